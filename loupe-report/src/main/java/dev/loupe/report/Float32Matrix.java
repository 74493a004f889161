package dev.loupe.report;

import dev.loupe.api.InvalidInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The run artifacts {@code embeddings.f32} and {@code projection-<method>.f32}: a little-endian int32 row count, an
 * int32 column count, then the rows' float32 values, row-major.
 *
 * @param data row-major rows × cols values
 */
public record Float32Matrix(int rows, int cols, float[] data) {
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(rows).putInt(cols);
        b.asFloatBuffer().put(data);
        return b.array();
    }

    public static Float32Matrix of(double[] values, int cols) {
        float[] f = new float[values.length];
        for (int t = 0; t < f.length; t++) {
            f[t] = (float) values[t];
        }
        return new Float32Matrix(values.length / cols, cols, f);
    }

    public static Float32Matrix of(float[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        float[] f = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, f, i * d, d);
        }
        return new Float32Matrix(n, d, f);
    }

    /** Reads an artifact file; a file whose size does not match its header is refused. */
    public static Float32Matrix read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw damaged(file, "shorter than its 8-byte header");
            }
            ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            h.flip();
            int rows = h.getInt();
            int cols = h.getInt();
            if (rows < 0 || cols < 0 || 8 + 4L * rows * cols != size) {
                throw damaged(file, "its header says " + rows + " × " + cols + " but it has " + size + " bytes");
            }
            ByteBuffer body = ByteBuffer.allocate((int) (size - 8)).order(ByteOrder.LITTLE_ENDIAN);
            while (body.hasRemaining() && ch.read(body, 8 + body.position()) > 0) {
                // read fully
            }
            body.flip();
            float[] f = new float[rows * cols];
            body.asFloatBuffer().get(f);
            return new Float32Matrix(rows, cols, f);
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static InvalidInputException damaged(Path file, String why) {
        return new InvalidInputException("DAMAGED_ARTIFACT", file + " is damaged (" + why + "): recompute it.");
    }
}
