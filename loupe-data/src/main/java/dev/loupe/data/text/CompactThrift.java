package dev.loupe.data.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of the Thrift compact protocol into generic values — enough for Parquet's footer and page headers.
 * A struct is a {@code Map<Integer, Object>} (field id → value); lists and sets are {@code List<Object>}; integers
 * are {@code Long}; binaries {@code byte[]}; booleans {@code Boolean}; doubles {@code Double}; maps
 * {@code Map<Object, Object>}. Malformed input throws {@link IllegalArgumentException}.
 */
final class CompactThrift {
    private static final int MAX_DEPTH = 64;

    private final byte[] b;
    private int pos;
    private final int end;

    CompactThrift(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    int position() {
        return pos;
    }

    Map<Integer, Object> readStruct() {
        return readStruct(0);
    }

    private Map<Integer, Object> readStruct(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Thrift structures nested too deeply");
        }
        Map<Integer, Object> m = new HashMap<>();
        int last = 0;
        while (true) {
            int h = u8();
            if (h == 0) {
                return m;
            }
            int type = h & 0x0F;
            int delta = h >>> 4;
            int id = delta == 0 ? (short) zigzag(varint()) : last + delta;
            last = id;
            Object v;
            if (type == 1) {
                v = Boolean.TRUE;
            } else if (type == 2) {
                v = Boolean.FALSE;
            } else {
                v = value(type, depth);
            }
            m.put(id, v);
        }
    }

    private Object value(int type, int depth) {
        switch (type) {
            case 1:
            case 2:
                return u8() == 1; // a bool inside a list or map
            case 3:
                return (long) (byte) u8();
            case 4:
            case 5:
            case 6:
                return zigzag(varint());
            case 7: {
                need(8);
                long bits = 0;
                for (int i = 7; i >= 0; i--) {
                    bits = (bits << 8) | (b[pos + i] & 0xFF);
                }
                pos += 8;
                return Double.longBitsToDouble(bits);
            }
            case 8: {
                int n = length();
                byte[] out = new byte[n];
                System.arraycopy(b, pos, out, 0, n);
                pos += n;
                return out;
            }
            case 9:
            case 10: {
                int h = u8();
                int n = h >>> 4;
                int et = h & 0x0F;
                if (n == 15) {
                    n = length();
                }
                List<Object> l = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    l.add(value(et, depth + 1));
                }
                return l;
            }
            case 11: {
                int n = length();
                Map<Object, Object> m = new HashMap<>();
                if (n > 0) {
                    int kv = u8();
                    for (int i = 0; i < n; i++) {
                        Object k = value(kv >>> 4, depth + 1);
                        m.put(k, value(kv & 0x0F, depth + 1));
                    }
                }
                return m;
            }
            case 12:
                return readStruct(depth + 1);
            default:
                throw new IllegalArgumentException("unknown Thrift type " + type);
        }
    }

    private int u8() {
        need(1);
        return b[pos++] & 0xFF;
    }

    private void need(int n) {
        if (n < 0 || pos + n > end) {
            throw new IllegalArgumentException("Thrift data ends early");
        }
    }

    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("bad Thrift varint");
    }

    private int length() {
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw new IllegalArgumentException("bad Thrift length " + n);
        }
        return (int) n;
    }

    private static long zigzag(long n) {
        return (n >>> 1) ^ -(n & 1);
    }

    // ------------------------------------------------------------------ typed access

    static long i64(Map<Integer, Object> s, int id, long dflt) {
        Object v = s.get(id);
        return v instanceof Long ? (Long) v : dflt;
    }

    static int i32(Map<Integer, Object> s, int id, int dflt) {
        Object v = s.get(id);
        return v instanceof Long ? (int) (long) (Long) v : dflt;
    }

    static String string(Map<Integer, Object> s, int id) {
        Object v = s.get(id);
        return v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8) : null;
    }

    @SuppressWarnings("unchecked")
    static Map<Integer, Object> struct(Map<Integer, Object> s, int id) {
        Object v = s.get(id);
        return v instanceof Map ? (Map<Integer, Object>) v : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<Integer, Object> s, int id) {
        Object v = s.get(id);
        return v instanceof List ? (List<Object>) v : List.of();
    }
}
