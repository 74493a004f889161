package dev.loupe.store.importers;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Reads the scalar points of one {@code events.out.tfevents.*} file: TFRecord framing ({@code uint64 length},
 * masked CRC-32C of the length, the data, masked CRC-32C of the data; little-endian), each record an {@code Event}
 * protobuf (fields in {@code tensorboard.proto} beside this class).
 *
 * <p>Scalars come from {@code simple_value} and from the TF2 tensor form (a one-element numeric tensor whose
 * plugin is {@code scalars} or unnamed). Other summaries are counted and skipped. A record whose data CRC does not
 * match is reported with its offset and skipped; a corrupt length is reported and the reader searches forward for
 * the next valid record; a truncated last record (a file still being written) is reported and ends the file.
 */
final class TfEventsReader {
    /** One scalar point. */
    record Scalar(String tag, long step, double wallTimeSeconds, double value) {
    }

    /**
     * What one file (or the part of it read) held.
     *
     * @param skipped  summaries that are not scalars, counted by kind ("histogram", "image", "audio", or a tensor's
     *                 plugin name such as "text" or "pr_curves")
     * @param consumed bytes read up to the end of the last whole record (the rest is a record still being written)
     */
    record Result(List<Scalar> scalars, long records, Map<String, Long> skipped, List<String> problems, int consumed) {
        long nonScalarSkipped() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final int MAX_RECORD = 256 << 20;

    private TfEventsReader() {
    }

    static int maskedCrc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    /** Reads {@code data} (a whole file); {@code name} is used in problem messages. */
    static Result read(String name, byte[] data) {
        return read(name, data, 0, false);
    }

    /**
     * Reads {@code data}, the bytes of a file from offset {@code base} on. When the file is {@code growing}, a record
     * cut short at the end (or a damaged length with no whole record after it) is not a problem: reading stops before
     * it and {@link Result#consumed()} says where to start again once more bytes arrive.
     */
    static Result read(String name, byte[] data, long base, boolean growing) {
        List<Scalar> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        long records = 0;
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        int index = 0; // the record's number in the file (1-based), as far as its framing lets one count
        while (pos < data.length) {
            index++;
            if (data.length - pos < 12) {
                if (!growing) {
                    problems.add(where(name, base, pos, index) + ": truncated record header (" + (data.length - pos)
                            + " bytes left; is the file still being written?)");
                }
                break;
            }
            long len = bb.getLong(pos);
            int lenCrc = bb.getInt(pos + 8);
            if (lenCrc != maskedCrc(data, pos, 8) || len < 0 || len > MAX_RECORD) {
                int next = resync(data, bb, pos + 1);
                if (next < 0 && growing) {
                    break; // perhaps not damaged but half-written: look again when the file has grown
                }
                problems.add(where(name, base, pos, index) + ": corrupt record length (CRC mismatch); "
                        + (next < 0 ? "no valid record after it" : "resumed at offset " + (base + next)));
                if (next < 0) {
                    pos = data.length;
                    break;
                }
                pos = next;
                continue;
            }
            int n = (int) len;
            if ((long) pos + 12 + n + 4 > data.length) {
                if (!growing) {
                    problems.add(where(name, base, pos, index) + ": truncated record (" + n + " bytes announced, "
                            + Math.max(0, data.length - pos - 12) + " present; is the file still being written?)");
                    pos = data.length;
                }
                break;
            }
            int dataCrc = bb.getInt(pos + 12 + n);
            if (dataCrc != maskedCrc(data, pos + 12, n)) {
                problems.add(where(name, base, pos, index) + ": record data CRC mismatch; record skipped");
            } else {
                records++;
                try {
                    parseEvent(CodedInputStream.newInstance(data, pos + 12, n), out, skipped);
                } catch (IOException | RuntimeException e) {
                    problems.add(where(name, base, pos, index) + ": the record is not an Event protobuf (" + e.getMessage()
                            + "); record skipped");
                }
            }
            pos += 12 + n + 4;
        }
        return new Result(out, records, skipped, problems, Math.min(pos, data.length));
    }

    /** Where a record is: the file, its number (when the bytes start at the file's beginning) and its byte offset. */
    private static String where(String name, long base, int pos, int index) {
        return name + (base == 0 ? ", record " + index + "," : "") + " at offset " + (base + pos);
    }

    /** The next offset from {@code from} holding a record whose length and data CRCs both match, or -1. */
    private static int resync(byte[] data, ByteBuffer bb, int from) {
        for (int p = from; p + 16 <= data.length; p++) {
            if (bb.getInt(p + 8) != maskedCrc(data, p, 8)) {
                continue;
            }
            long len = bb.getLong(p);
            if (len < 0 || len > MAX_RECORD || p + 12 + len + 4 > data.length) {
                continue;
            }
            int n = (int) len;
            if (bb.getInt(p + 12 + n) == maskedCrc(data, p + 12, n)) {
                return p;
            }
        }
        return -1;
    }

    private static void parseEvent(CodedInputStream in, List<Scalar> out, Map<String, Long> skipped) throws IOException {
        double wall = 0;
        long step = 0;
        List<byte[]> summaries = new ArrayList<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> wall = in.readDouble();
                case 2 -> step = in.readInt64();
                case 5 -> summaries.add(in.readByteArray());
                default -> in.skipField(tag);
            }
        }
        for (byte[] s : summaries) {
            parseSummary(CodedInputStream.newInstance(s), step, wall, out, skipped);
        }
    }

    private static void parseSummary(CodedInputStream in, long step, double wall, List<Scalar> out, Map<String, Long> skipped)
            throws IOException {
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return;
            }
            if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                parseValue(CodedInputStream.newInstance(in.readByteArray()), step, wall, out, skipped);
            } else {
                in.skipField(tag);
            }
        }
    }

    private static void parseValue(CodedInputStream in, long step, double wall, List<Scalar> out, Map<String, Long> skipped)
            throws IOException {
        String name = null;
        Double simple = null;
        byte[] tensor = null;
        String plugin = "";
        String other = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> simple = (double) in.readFloat();
                case 8 -> tensor = in.readByteArray();
                case 9 -> plugin = pluginName(in.readByteArray());
                case 3, 4, 5, 6 -> {
                    other = switch (WireFormat.getTagFieldNumber(tag)) {
                        case 4 -> "image";
                        case 6 -> "audio";
                        default -> "histogram";
                    };
                    in.skipField(tag);
                }
                default -> in.skipField(tag);
            }
        }
        if (name == null) {
            skipped.merge("untagged", 1L, Long::sum);
            return;
        }
        if (simple != null) {
            out.add(new Scalar(name, step, wall, simple));
            return;
        }
        if (tensor != null && other == null && (plugin.isEmpty() || plugin.equals("scalars"))) {
            Double v = tensorScalar(tensor);
            if (v != null) {
                out.add(new Scalar(name, step, wall, v));
                return;
            }
        }
        skipped.merge(other != null ? other : plugin.isEmpty() ? "tensor" : plugin, 1L, Long::sum);
    }

    private static String pluginName(byte[] metadata) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(metadata);
        String name = "";
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return name;
            }
            if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                CodedInputStream pd = CodedInputStream.newInstance(in.readByteArray());
                while (true) {
                    int t = pd.readTag();
                    if (t == 0) {
                        break;
                    }
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        name = pd.readString();
                    } else {
                        pd.skipField(t);
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
    }

    /** The value of a one-element numeric tensor, or {@code null} when it is anything else. */
    static Double tensorScalar(byte[] tensor) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(tensor);
        int dtype = 0;
        long elements = 1;
        byte[] content = null;
        List<Double> vals = new ArrayList<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 1 -> dtype = in.readInt32();
                case 2 -> elements = shapeElements(in.readByteArray());
                case 4 -> content = in.readByteArray();
                case 5 -> readRepeated(in, packed, vals, () -> (double) in.readFloat());
                case 6 -> readRepeated(in, packed, vals, in::readDouble);
                case 7 -> readRepeated(in, packed, vals, () -> (double) in.readInt32());
                case 10 -> readRepeated(in, packed, vals, () -> (double) in.readInt64());
                case 13 -> {
                    final int dt = dtype;
                    readRepeated(in, packed, vals, () -> halfToDouble(in.readInt32(), dt));
                }
                default -> in.skipField(tag);
            }
        }
        if (elements != 1) {
            return null;
        }
        if (content != null && content.length > 0) {
            ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
            return switch (dtype) {
                case 1 -> content.length == 4 ? (double) b.getFloat() : null;
                case 2 -> content.length == 8 ? b.getDouble() : null;
                case 3 -> content.length == 4 ? (double) b.getInt() : null;
                case 9 -> content.length == 8 ? (double) b.getLong() : null;
                case 14, 19 -> content.length == 2 ? halfToDouble(b.getShort() & 0xffff, dtype) : null;
                default -> null;
            };
        }
        if (dtype != 1 && dtype != 2 && dtype != 3 && dtype != 9 && dtype != 14 && dtype != 19) {
            return null;
        }
        return vals.size() == 1 ? vals.get(0) : null;
    }

    @FunctionalInterface
    private interface Reader {
        double read() throws IOException;
    }

    private static void readRepeated(CodedInputStream in, boolean packed, List<Double> vals, Reader r) throws IOException {
        if (!packed) {
            vals.add(r.read());
            return;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            vals.add(r.read());
        }
        in.popLimit(limit);
    }

    private static long shapeElements(byte[] shape) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(shape);
        long elements = 1;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return elements;
            }
            if (WireFormat.getTagFieldNumber(tag) == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                CodedInputStream dim = CodedInputStream.newInstance(in.readByteArray());
                long size = 0;
                while (true) {
                    int t = dim.readTag();
                    if (t == 0) {
                        break;
                    }
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        size = dim.readInt64();
                    } else {
                        dim.skipField(t);
                    }
                }
                elements *= size;
            } else {
                in.skipField(tag);
            }
        }
    }

    /** IEEE half (DT_HALF 19) or bfloat16 (DT_BFLOAT16 14) bits to a double. */
    static double halfToDouble(int bits, int dtype) {
        if (dtype == 14) {
            return Float.intBitsToFloat((bits & 0xffff) << 16);
        }
        int sign = (bits >> 15) & 1;
        int exp = (bits >> 10) & 0x1f;
        int frac = bits & 0x3ff;
        double v;
        if (exp == 0) {
            v = frac * Math.pow(2, -24);
        } else if (exp == 31) {
            v = frac == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = (1 + frac / 1024.0) * Math.pow(2, exp - 15);
        }
        return sign == 1 ? -v : v;
    }
}
