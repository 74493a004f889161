package dev.loupe.data.predictions;

/** Strict UTF-8 validation of byte ranges (no overlongs, no surrogates, nothing above U+10FFFF). */
final class Utf8 {
    private Utf8() {
    }

    /** Index of the first byte of {@code b[s, e)} that starts an invalid sequence, or -1 when all is valid UTF-8. */
    static int firstInvalid(byte[] b, int s, int e) {
        int i = s;
        while (i < e) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            if (c < 0xC2) {
                return i; // stray continuation byte or overlong 2-byte lead
            }
            if (c < 0xE0) {
                if (i + 1 >= e || !cont(b[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= e) {
                    return i;
                }
                int c1 = b[i + 1] & 0xFF;
                if (!cont(c1) || !cont(b[i + 2]) || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) {
                    return i;
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= e) {
                    return i;
                }
                int c1 = b[i + 1] & 0xFF;
                if (!cont(c1) || !cont(b[i + 2]) || !cont(b[i + 3]) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
                    return i;
                }
                i += 4;
            } else {
                return i;
            }
        }
        return -1;
    }

    private static boolean cont(int x) {
        return (x & 0xC0) == 0x80;
    }
}
