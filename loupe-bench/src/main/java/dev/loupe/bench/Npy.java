package dev.loupe.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the little-endian, C-order {@code .npy} arrays that {@code bench/gen_data.py} writes (int32, float64). */
final class Npy {
    private Npy() {
    }

    static int[] ints(Path file) {
        ByteBuffer data = open(file, "<i4");
        int[] out = new int[data.remaining() / 4];
        data.asIntBuffer().get(out);
        return out;
    }

    static double[] doubles(Path file) {
        ByteBuffer data = open(file, "<f8");
        double[] out = new double[data.remaining() / 8];
        data.asDoubleBuffer().get(out);
        return out;
    }

    private static ByteBuffer open(Path file, String dtype) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[6];
            all.get(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new IllegalArgumentException(file + " is not a .npy file");
            }
            int major = all.get() & 0xFF;
            all.get();
            int headerLen = major == 1 ? all.getShort() & 0xFFFF : all.getInt();
            byte[] header = new byte[headerLen];
            all.get(header);
            String h = new String(header, StandardCharsets.ISO_8859_1);
            if (!h.contains("'" + dtype + "'") || h.contains("'fortran_order': True")) {
                throw new IllegalArgumentException(file + ": expected C-order " + dtype + ", header " + h.trim());
            }
            return all.slice().order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
