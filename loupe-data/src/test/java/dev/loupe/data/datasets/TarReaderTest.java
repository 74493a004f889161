package dev.loupe.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TarReaderTest {
    private static List<String[]> readAll(byte[] tar) throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        List<String[]> out = new ArrayList<>();
        TarReader.Entry e;
        int k = 0;
        while ((e = r.next()) != null) {
            // read every other entry's data; the reader must skip the rest by itself
            String data = k++ % 2 == 0 ? new String(r.read(), StandardCharsets.UTF_8) : null;
            out.add(new String[] {e.name(), data, Long.toString(e.size())});
        }
        return out;
    }

    @Test
    void readsFilesSkipsDirectoriesAndUnreadData() throws IOException {
        byte[] big = new byte[1500];
        java.util.Arrays.fill(big, (byte) 'x');
        byte[] tar = new Tars().dir("package/").file("package/a.txt", "alpha").file("package/big.bin", big)
                .file("package/c.txt", "").file("package/d.txt", "delta").tar();
        List<String[]> e = readAll(tar);
        assertEquals(4, e.size());
        assertArrayEquals(new String[] {"package/a.txt", "alpha", "5"}, e.get(0));
        assertEquals("package/big.bin", e.get(1)[0]);
        assertEquals("1500", e.get(1)[2]);
        assertArrayEquals(new String[] {"package/c.txt", "", "0"}, e.get(2));
        assertEquals("package/d.txt", e.get(3)[0]);
    }

    @ParameterizedTest
    @EnumSource(Tars.LongNames.class)
    void longNames(Tars.LongNames mode) throws IOException {
        String name = "package/" + "d".repeat(120) + "/file.txt";
        byte[] tar = new Tars().longNames(mode).file(name, "long").file("package/short.txt", "s").tar();
        List<String[]> e = readAll(tar);
        assertEquals(name, e.get(0)[0]);
        assertEquals("long", e.get(0)[1]);
        assertEquals("package/short.txt", e.get(1)[0]);
    }

    @Test
    void endsWithoutZeroBlocks() throws IOException {
        byte[] tar = new Tars().file("a", "1").tar();
        byte[] cut = java.util.Arrays.copyOf(tar, tar.length - 1024);
        assertEquals(1, readAll(cut).size());
        assertNull(new TarReader(new ByteArrayInputStream(new byte[0])).next());
    }

    @Test
    void corruptHeaderIsAnError() {
        byte[] tar = new Tars().file("package/a.txt", "alpha").tar();
        tar[10] ^= 0x55; // damages the name: the checksum no longer matches
        IOException e = assertThrows(IOException.class, () -> readAll(tar));
        assertEquals("bad tar header checksum (the archive is corrupt)", e.getMessage());
    }

    @Test
    void truncatedDataIsAnError() {
        byte[] tar = new Tars().file("package/a.txt", "x".repeat(2000)).tar();
        byte[] cut = java.util.Arrays.copyOf(tar, 512 + 700);
        assertThrows(IOException.class, () -> readAll(cut));
    }
}
