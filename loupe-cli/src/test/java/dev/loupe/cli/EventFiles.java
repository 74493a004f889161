package dev.loupe.cli;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TensorBoard event-file pieces for tests: a TFRecord frame and a scalar {@code Event}, written independently of the
 * importer's reader (its own CRC), so that a reader bug cannot hide behind a writer sharing it.
 */
public final class EventFiles {
    private EventFiles() {
    }

    /** One TFRecord: length, masked CRC-32C of the length, the data, masked CRC-32C of the data. */
    public static byte[] record(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(masked(b.array(), 0, 8));
        b.put(data);
        b.putInt(masked(data, 0, data.length));
        return b.array();
    }

    /** An {@code Event} at {@code step} holding one simple scalar {@code tag = v}. */
    public static byte[] scalarEvent(long step, String tag, float v) throws IOException {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(value);
        o.writeString(1, tag);
        o.writeFloat(2, v);
        o.flush();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        o = CodedOutputStream.newInstance(summary);
        o.writeByteArray(1, value.toByteArray());
        o.flush();
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        o = CodedOutputStream.newInstance(event);
        o.writeDouble(1, 1.7e9 + step);
        o.writeInt64(2, step);
        o.writeByteArray(5, summary.toByteArray());
        o.flush();
        return event.toByteArray();
    }

    private static int masked(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }
}
