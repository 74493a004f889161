package dev.loupe.data.text;

import dev.loupe.api.InvalidInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A small Apache Parquet reader for flat tables, without Hadoop: every top-level primitive column is read into
 * strings (null for a null cell). Nested columns (lists, maps, structs) are listed as skipped.
 *
 * <p>Supported: data pages v1 and v2, dictionary pages; PLAIN, PLAIN_DICTIONARY and RLE_DICTIONARY value encodings
 * (and RLE for booleans) with RLE/bit-packed definition levels; codecs UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW (pure-Java
 * decompressors). Other encodings (the DELTA_* family, BYTE_STREAM_SPLIT) and codecs (BROTLI, LZO, Hadoop LZ4) are
 * refused with UNSUPPORTED_PARQUET and a way out.
 *
 * <p>Cells become strings: BYTE_ARRAY as UTF-8 (strict), INT32/INT64 as decimal integers, FLOAT/DOUBLE as Java
 * prints them, BOOLEAN as {@code true}/{@code false}, INT96 and FIXED_LEN_BYTE_ARRAY as hex. Logical types (dates,
 * decimals, timestamps) are not interpreted: their stored numbers are shown.
 */
final class ParquetTable {
    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};
    private static final String[] TYPES = {"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY",
        "FIXED_LEN_BYTE_ARRAY"};
    private static final String[] CODECS = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
    private static final String[] ENCODINGS = {"PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED",
        "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
    private static final int MAX_PAGE = 256 << 20;

    /** The columns (schema order), their cells (column-major), the row count, and skipped nested columns. */
    record Result(List<String> columns, List<String[]> cells, int rows, List<String> skipped) {
    }

    private record Leaf(String name, int type, int typeLength, int maxDef) {
    }

    private final byte[] f;
    private final String shown;

    private ParquetTable(byte[] f, String shown) {
        this.f = f;
        this.shown = shown;
    }

    static Result read(byte[] file, String shown) {
        ParquetTable t = new ParquetTable(file, shown);
        try {
            return t.read();
        } catch (dev.loupe.api.LoupeException e) {
            throw e;
        } catch (RuntimeException e) { // bounds, casts of damaged metadata, decompressor errors
            throw t.corrupt(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private InvalidInputException corrupt(String why, Exception e) {
        return new InvalidInputException("CORRUPT_PARQUET", shown + " is not a readable Parquet file (" + why
                + "). Check that the file was written completely, or re-export it.", e);
    }

    private Result read() {
        int n = f.length;
        if (n < 12 || !Arrays.equals(Arrays.copyOfRange(f, 0, 4), MAGIC) || !Arrays.equals(Arrays.copyOfRange(f, n - 4, n), MAGIC)) {
            throw corrupt("it does not start and end with PAR1", null);
        }
        int footerLen = le32(f, n - 8);
        if (footerLen <= 0 || footerLen > n - 12) {
            throw corrupt("bad footer length " + footerLen, null);
        }
        Map<Integer, Object> meta = new CompactThrift(f, n - 8 - footerLen, n - 8).readStruct();
        List<Object> schema = CompactThrift.list(meta, 2);
        if (schema.isEmpty()) {
            throw corrupt("no schema", null);
        }
        Map<String, Leaf> leaves = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        int[] at = {1};
        int rootChildren = CompactThrift.i32(el(schema, 0), 5, 0);
        for (int c = 0; c < rootChildren; c++) {
            walk(schema, at, leaves, skipped);
        }
        long total = CompactThrift.i64(meta, 3, 0);
        if (total < 0 || total > Integer.MAX_VALUE - 8 || total > 16L * n + 1_000_000) {
            throw corrupt("bad row count " + total, null);
        }
        int rows = (int) total;
        Map<String, String[]> cells = new LinkedHashMap<>();
        for (String name : leaves.keySet()) {
            cells.put(name, new String[rows]);
        }
        int rgStart = 0;
        for (Object rgo : CompactThrift.list(meta, 4)) {
            @SuppressWarnings("unchecked")
            Map<Integer, Object> rg = (Map<Integer, Object>) rgo;
            long rgRows = CompactThrift.i64(rg, 3, 0);
            if (rgRows < 0 || rgStart + rgRows > rows) {
                throw corrupt("row groups hold more rows than the file", null);
            }
            for (Object cco : CompactThrift.list(rg, 1)) {
                @SuppressWarnings("unchecked")
                Map<Integer, Object> cc = (Map<Integer, Object>) cco;
                Map<Integer, Object> md = CompactThrift.struct(cc, 3);
                if (md == null) {
                    throw corrupt("a column chunk without metadata (columns in other files are not supported)", null);
                }
                List<Object> path = CompactThrift.list(md, 3);
                if (path.size() != 1) {
                    continue;
                }
                Leaf leaf = leaves.get(new String((byte[]) path.get(0), StandardCharsets.UTF_8));
                if (leaf == null) {
                    continue;
                }
                readChunk(leaf, md, cells.get(leaf.name()), rgStart, (int) rgRows);
            }
            rgStart += (int) rgRows;
        }
        return new Result(new ArrayList<>(leaves.keySet()), new ArrayList<>(cells.values()), rows, skipped);
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, Object> el(List<Object> schema, int i) {
        return (Map<Integer, Object>) schema.get(i);
    }

    /** Walks one schema element (and its children), keeping top-level primitive columns. */
    private void walk(List<Object> schema, int[] at, Map<String, Leaf> leaves, List<String> skipped) {
        if (at[0] >= schema.size()) {
            throw corrupt("the schema ends early", null);
        }
        Map<Integer, Object> e = el(schema, at[0]++);
        String name = CompactThrift.string(e, 4);
        int children = CompactThrift.i32(e, 5, 0);
        int repetition = CompactThrift.i32(e, 3, 0);
        if (children > 0) {
            skipped.add(name);
            skipChildren(schema, at, children);
            return;
        }
        if (repetition == 2) {
            skipped.add(name);
            return;
        }
        int type = CompactThrift.i32(e, 1, -1);
        if (type < 0 || type >= TYPES.length) {
            throw corrupt("column '" + name + "' has an unknown type " + type, null);
        }
        leaves.put(name, new Leaf(name, type, CompactThrift.i32(e, 2, 0), repetition == 1 ? 1 : 0));
    }

    private void skipChildren(List<Object> schema, int[] at, int count) {
        for (int c = 0; c < count; c++) {
            if (at[0] >= schema.size()) {
                throw corrupt("the schema ends early", null);
            }
            Map<Integer, Object> e = el(schema, at[0]++);
            int k = CompactThrift.i32(e, 5, 0);
            if (k > 0) {
                skipChildren(schema, at, k);
            }
        }
    }

    private void readChunk(Leaf leaf, Map<Integer, Object> md, String[] out, int rowStart, int rows) {
        int codec = CompactThrift.i32(md, 4, 0);
        long numValues = CompactThrift.i64(md, 5, 0);
        long dataOff = CompactThrift.i64(md, 9, -1);
        long dictOff = CompactThrift.i64(md, 11, -1);
        long pos = dictOff > 0 && dictOff < dataOff ? dictOff : dataOff;
        String[] dict = null;
        long read = 0;
        int row = rowStart;
        while (read < numValues) {
            if (pos < 4 || pos >= f.length - 8) {
                throw corrupt("column '" + leaf.name() + "': a page lies outside the file", null);
            }
            CompactThrift t = new CompactThrift(f, (int) pos, f.length - 8);
            Map<Integer, Object> ph = t.readStruct();
            int p = t.position();
            int ptype = CompactThrift.i32(ph, 1, -1);
            int usize = CompactThrift.i32(ph, 2, -1);
            int csize = CompactThrift.i32(ph, 3, -1);
            if (csize < 0 || usize < 0 || usize > MAX_PAGE || p + (long) csize > f.length - 8) {
                throw corrupt("column '" + leaf.name() + "': bad page sizes", null);
            }
            if (ptype == 2) { // dictionary page
                Map<Integer, Object> dh = CompactThrift.struct(ph, 7);
                int n = dh == null ? 0 : CompactThrift.i32(dh, 1, 0);
                byte[] data = decompress(leaf, codec, p, csize, usize);
                dict = new String[n];
                int end = plain(leaf, data, 0, data.length, n, dict, 0);
                if (end > data.length) {
                    throw corrupt("column '" + leaf.name() + "': the dictionary ends early", null);
                }
            } else if (ptype == 0 || ptype == 3) {
                boolean v2 = ptype == 3;
                Map<Integer, Object> h = CompactThrift.struct(ph, v2 ? 8 : 5);
                if (h == null) {
                    throw corrupt("column '" + leaf.name() + "': a data page without its header", null);
                }
                int n = CompactThrift.i32(h, 1, 0);
                int enc = CompactThrift.i32(h, v2 ? 4 : 2, 0);
                if (n < 0 || row + (long) n > rowStart + (long) rows) {
                    throw corrupt("column '" + leaf.name() + "': more values than rows", null);
                }
                byte[] data;
                int q;
                int[] def = null;
                if (v2) {
                    int defLen = CompactThrift.i32(h, 5, 0);
                    int repLen = CompactThrift.i32(h, 6, 0);
                    if (defLen < 0 || repLen < 0 || defLen + repLen > csize || defLen + repLen > usize) {
                        throw corrupt("column '" + leaf.name() + "': bad level lengths", null);
                    }
                    if (leaf.maxDef() > 0) {
                        def = rle(f, p + repLen, p + repLen + defLen, 1, n);
                    }
                    boolean compressed = !Boolean.FALSE.equals(h.get(7));
                    int vs = p + repLen + defLen;
                    data = compressed ? decompress(leaf, codec, vs, csize - repLen - defLen, usize - repLen - defLen)
                            : Arrays.copyOfRange(f, vs, p + csize);
                    q = 0;
                } else {
                    data = decompress(leaf, codec, p, csize, usize);
                    q = 0;
                    if (leaf.maxDef() > 0) {
                        int len = le32(data, 0);
                        if (len < 0 || 4 + len > data.length) {
                            throw corrupt("column '" + leaf.name() + "': bad definition levels", null);
                        }
                        def = rle(data, 4, 4 + len, 1, n);
                        q = 4 + len;
                    }
                }
                int present = n;
                if (def != null) {
                    present = 0;
                    for (int d : def) {
                        present += d == 1 ? 1 : 0;
                    }
                }
                String[] values = new String[present];
                values(leaf, enc, data, q, present, dict, values);
                int k = 0;
                for (int i = 0; i < n; i++) {
                    out[row + i] = def == null || def[i] == 1 ? values[k++] : null;
                }
                row += n;
                read += n;
            }
            pos = p + (long) csize;
        }
    }

    private void values(Leaf leaf, int enc, byte[] data, int q, int n, String[] dict, String[] out) {
        if (enc == 0) {
            if (plain(leaf, data, q, data.length, n, out, 0) > data.length) {
                throw corrupt("column '" + leaf.name() + "': a page ends early", null);
            }
        } else if (enc == 3 && leaf.type() == 0) { // RLE booleans (data page v2): length-prefixed, 1 bit wide
            int len = le32(data, q);
            if (len < 0 || q + 4 + len > data.length) {
                throw corrupt("column '" + leaf.name() + "': bad boolean run lengths", null);
            }
            int[] bits = rle(data, q + 4, q + 4 + len, 1, n);
            for (int i = 0; i < n; i++) {
                out[i] = bits[i] == 1 ? "true" : "false";
            }
        } else if (enc == 2 || enc == 8) {
            if (dict == null) {
                throw corrupt("column '" + leaf.name() + "': dictionary-encoded values without a dictionary", null);
            }
            if (n == 0) {
                return;
            }
            int bw = data[q] & 0xFF;
            if (bw > 32) {
                throw corrupt("column '" + leaf.name() + "': bad bit width " + bw, null);
            }
            int[] idx = rle(data, q + 1, data.length, bw, n);
            for (int i = 0; i < n; i++) {
                if (idx[i] < 0 || idx[i] >= dict.length) {
                    throw corrupt("column '" + leaf.name() + "': a dictionary index out of range", null);
                }
                out[i] = dict[idx[i]];
            }
        } else {
            String name = enc >= 0 && enc < ENCODINGS.length ? ENCODINGS[enc] : "#" + enc;
            throw new InvalidInputException("UNSUPPORTED_PARQUET", shown + ": column '" + leaf.name() + "' uses the "
                    + name + " encoding, which Loupe does not read. Re-write the file with dictionary or plain encoding "
                    + "(pyarrow: pq.write_table(table, path) with no column_encoding; Spark: "
                    + "parquet.writer.version=v1), or convert it to CSV or JSON Lines.");
        }
    }

    /** Decodes {@code n} PLAIN values from {@code d[p, end)} into {@code out[o..]}; returns the end position. */
    private int plain(Leaf leaf, byte[] d, int p, int end, int n, String[] out, int o) {
        switch (leaf.type()) {
            case 0: // BOOLEAN: bit-packed, least significant bit first
                for (int i = 0; i < n; i++) {
                    out[o + i] = ((d[p + (i >>> 3)] >>> (i & 7)) & 1) == 1 ? "true" : "false";
                }
                return p + (n + 7) / 8;
            case 1:
                for (int i = 0; i < n; i++, p += 4) {
                    out[o + i] = Integer.toString(le32(d, p));
                }
                return p;
            case 2:
                for (int i = 0; i < n; i++, p += 8) {
                    out[o + i] = Long.toString(le64(d, p));
                }
                return p;
            case 3:
                for (int i = 0; i < n; i++, p += 12) {
                    out[o + i] = HexFormat.of().formatHex(d, p, p + 12);
                }
                return p;
            case 4:
                for (int i = 0; i < n; i++, p += 4) {
                    out[o + i] = Float.toString(Float.intBitsToFloat(le32(d, p)));
                }
                return p;
            case 5:
                for (int i = 0; i < n; i++, p += 8) {
                    out[o + i] = Double.toString(Double.longBitsToDouble(le64(d, p)));
                }
                return p;
            case 6:
                for (int i = 0; i < n; i++) {
                    int len = le32(d, p);
                    p += 4;
                    if (len < 0 || p + len > end) {
                        throw corrupt("column '" + leaf.name() + "': a string runs past its page", null);
                    }
                    out[o + i] = utf8(leaf, d, p, len);
                    p += len;
                }
                return p;
            case 7:
                int w = leaf.typeLength();
                if (w <= 0) {
                    throw corrupt("column '" + leaf.name() + "': fixed-length bytes without a length", null);
                }
                for (int i = 0; i < n; i++, p += w) {
                    out[o + i] = HexFormat.of().formatHex(d, p, p + w);
                }
                return p;
            default:
                throw corrupt("column '" + leaf.name() + "': unknown type", null);
        }
    }

    private String utf8(Leaf leaf, byte[] d, int p, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(d, p, len)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("NOT_UTF8", shown + ", column '" + leaf.name() + "': a value is not valid "
                    + "UTF-8 text. Store text columns as UTF-8 strings.");
        }
    }

    /** The RLE / bit-packed hybrid encoding of {@code n} values of {@code bw} bits in {@code d[p, end)}. */
    static int[] rle(byte[] d, int p, int end, int bw, int n) {
        int[] out = new int[n];
        int i = 0;
        int bytes = (bw + 7) / 8;
        while (i < n) {
            if (p >= end) {
                throw new IllegalArgumentException("run-length data ends early");
            }
            long h = 0;
            int shift = 0;
            while (true) {
                if (p >= end || shift > 35) {
                    throw new IllegalArgumentException("bad run-length header");
                }
                int x = d[p++] & 0xFF;
                h |= (long) (x & 0x7F) << shift;
                shift += 7;
                if ((x & 0x80) == 0) {
                    break;
                }
            }
            if ((h & 1) == 0) {
                long count = h >>> 1;
                if (p + bytes > end) {
                    throw new IllegalArgumentException("run-length data ends early");
                }
                int v = 0;
                for (int k = 0; k < bytes; k++) {
                    v |= (d[p + k] & 0xFF) << (8 * k);
                }
                p += bytes;
                for (long c = 0; c < count && i < n; c++) {
                    out[i++] = v;
                }
            } else {
                long count = (h >>> 1) * 8;
                long bit = (long) p * 8;
                for (long c = 0; c < count && i < n; c++) {
                    int v = 0;
                    for (int k = 0; k < bw; k++, bit++) {
                        int byteAt = (int) (bit >>> 3);
                        if (byteAt >= end) {
                            throw new IllegalArgumentException("bit-packed data ends early");
                        }
                        v |= ((d[byteAt] >>> (bit & 7)) & 1) << k;
                    }
                    out[i++] = v;
                }
                p = (int) Math.min(end, p + (h >>> 1) * bw);
            }
        }
        return out;
    }

    private byte[] decompress(Leaf leaf, int codec, int p, int csize, int usize) {
        if (csize < 0 || usize < 0 || p + (long) csize > f.length) {
            throw corrupt("column '" + leaf.name() + "': bad page sizes", null);
        }
        byte[] out = new byte[usize];
        switch (codec) {
            case 0:
                if (csize != usize) {
                    throw corrupt("column '" + leaf.name() + "': page sizes disagree", null);
                }
                System.arraycopy(f, p, out, 0, usize);
                return out;
            case 1:
                check(leaf, new SnappyDecompressor().decompress(f, p, csize, out, 0, usize), usize);
                return out;
            case 6:
                check(leaf, new ZstdDecompressor().decompress(f, p, csize, out, 0, usize), usize);
                return out;
            case 7:
                check(leaf, new Lz4Decompressor().decompress(f, p, csize, out, 0, usize), usize);
                return out;
            case 2:
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(f, p, csize))) {
                    check(leaf, in.readNBytes(out, 0, usize), usize);
                    return out;
                } catch (IOException e) {
                    throw corrupt("column '" + leaf.name() + "': " + e.getMessage(), e);
                }
            default:
                String name = codec >= 0 && codec < CODECS.length ? CODECS[codec] : "#" + codec;
                throw new InvalidInputException("UNSUPPORTED_PARQUET", shown + ": column '" + leaf.name() + "' is "
                        + "compressed with " + name + ", which Loupe does not read. Re-write the file with SNAPPY, ZSTD, "
                        + "GZIP, LZ4_RAW or no compression (pyarrow: compression='snappy'), or convert it to CSV or "
                        + "JSON Lines.");
        }
    }

    private void check(Leaf leaf, int got, int usize) {
        if (got != usize) {
            throw corrupt("column '" + leaf.name() + "': a page decompressed to " + got + " bytes, not " + usize, null);
        }
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static long le64(byte[] b, int p) {
        return (le32(b, p) & 0xFFFFFFFFL) | ((long) le32(b, p + 4) << 32);
    }
}
