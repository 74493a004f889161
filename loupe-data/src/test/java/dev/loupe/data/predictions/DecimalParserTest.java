package dev.loupe.data.predictions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalParserTest {

    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return DecimalParser.parse(b, 0, b.length);
    }

    private static void assertSame(String text) {
        double expected = Double.parseDouble(text);
        double actual = parse(text);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> "'" + text + "': expected " + expected + " got " + actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+0", "0.0", "-0.0", "1", "1.", ".5", "-.5", "+.5", "0.1", "0.2", "0.3",
        "1e-300", "5e-324", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400",
        "123456789012345678901", "12345678901234567890", "1234567890123456789", "9007199254740993",
        "9007199254740992", "9007199254740991", "1.7976931348623157e308", "1.7976931348623158e308",
        "1.7976931348623159e308", "1e309", "2.2250738585072011e-308", "2.2250738585072014e-308",
        "2.2250738585072012e-308", "0.000000000000000000000000000001", "1E5", "1e+5", "1e-5", "1e0",
        "0.5000000000000000000000000000000000001", "0.1000000000000000055511151231257827",
        "0.10000000000000000555111512312578270211815834045410156249", "3.14159265358979323846264338327950288",
        "100000000000000000000000", "1000000000000000000000000000000000000000000000000000e-50",
        "  0.25 ", "7.2057594037927933e16", "4.35679e-5", "8.98846567431158e307", "0.9999999999999999",
        "0.99999999999999999", "1.0000000000000002", "4503599627370496.5", "4503599627370497.5",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
        "1e23", "8.41e21", "5e-1", "1.5e22", "1.5e23", "1.5e-22", "1.5e-23", "0.0000001",
        "1e-99999", "1e99999", "0e99999", "-1e400", "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"})
    void matchesDoubleParseDouble(String text) {
        assertSame(text);
    }

    @Test
    void randomValuesAreBitIdenticalToDoubleParseDouble() {
        SplittableRandom rnd = new SplittableRandom(20240607);
        int n = 400_000;
        for (int i = 0; i < n; i++) {
            String text;
            switch (i % 8) {
                case 0: // shortest repr of a random probability
                    text = Double.toString(rnd.nextDouble());
                    break;
                case 1: // any finite double, any exponent
                    double d;
                    do {
                        d = Double.longBitsToDouble(rnd.nextLong());
                    } while (!Double.isFinite(d));
                    text = Double.toString(d);
                    break;
                case 2: // %.17g and %.6f style
                    text = String.format(Locale.ROOT, (i & 16) == 0 ? "%.17g" : "%.6f", rnd.nextDouble() * 100);
                    break;
                case 3: // random digit strings with a decimal point and exponent
                    text = randomDecimal(rnd);
                    break;
                case 4: // exact decimal expansion, truncated (long, hard cases near halfway)
                    String full = new BigDecimal(rnd.nextDouble()).toPlainString();
                    text = full.substring(0, Math.min(full.length(), 2 + rnd.nextInt(40)));
                    break;
                case 5: // halfway points between adjacent doubles
                    double a = Math.abs(Double.longBitsToDouble(rnd.nextLong() & 0x7FEFFFFFFFFFFFFFL));
                    text = new BigDecimal(a).add(new BigDecimal(Math.nextUp(a))).divide(BigDecimal.valueOf(2)).toString();
                    break;
                case 6: // subnormals and tiny values
                    text = Double.toString(Double.longBitsToDouble(rnd.nextLong(0x0010000000000000L)))
                            + (rnd.nextBoolean() ? "" : "0");
                    break;
                default: // integers
                    text = Long.toString(rnd.nextLong()) + (rnd.nextBoolean() ? ".0" : "");
                    break;
            }
            if (rnd.nextInt(10) == 0) {
                text = "-" + (text.startsWith("-") ? text.substring(1) : text);
            }
            assertSame(text);
        }
    }

    @Test
    void eiselLemireIsExactForRandomSignificandsAndExponents() {
        SplittableRandom rnd = new SplittableRandom(7);
        int guarded = 0;
        for (int i = 0; i < 300_000; i++) {
            long w = rnd.nextLong() >>> rnd.nextInt(0, 60);
            if (Long.compareUnsigned(w, -8446744073709551617L) > 0 || w == 0) { // keep w < 10^19
                continue;
            }
            int q = rnd.nextInt(-345, 312);
            long bits = DecimalParser.eiselLemire(w, q);
            if (bits < 0) {
                guarded++;
                continue;
            }
            String text = Long.toUnsignedString(w) + "e" + q;
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), bits, text);
        }
        assertTrue(guarded < 10, "the fallback guard fired " + guarded + " times");
    }

    private static String randomDecimal(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        int intDigits = rnd.nextInt(0, 22);
        for (int i = 0; i < intDigits; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        sb.append('.');
        int fracDigits = rnd.nextInt(intDigits == 0 ? 1 : 0, 22);
        for (int i = 0; i < fracDigits; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextBoolean()) {
            sb.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(-330, 310));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "0x10", "1f", "1d", "abc",
        "1 2", "--1", "1e5.5", "١"})
    void rejectsWhatIsNotAPlainDecimal(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(Double.isNaN(DecimalParser.parse(b, 0, b.length)), text);
        assertTrue(!DecimalParser.isNonFiniteLiteral(b, 0, b.length), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "-nan", "inf", "-inf", "+Inf", "Infinity", "-Infinity", "INF"})
    void recognisesNonFiniteLiterals(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(!Double.isFinite(DecimalParser.parse(b, 0, b.length)), text);
        assertTrue(DecimalParser.isNonFiniteLiteral(b, 0, b.length), text);
    }

    @Test
    void powerOfFiveTableMatchesFastFloat() {
        long[] t = DecimalParser.POW5_128;
        assertEquals(0xeef453d6923bd65aL, t[0]);
        assertEquals(0x113faa2906a13b3fL, t[1]);
        assertEquals(0x9558b4661b6565f8L, t[2]);
        assertEquals(0x4ac7ca59a424c507L, t[3]);
        int zero = 2 * 342;
        assertEquals(0x8000000000000000L, t[zero]);
        assertEquals(0L, t[zero + 1]);
        assertEquals(0x8e679c2f5e44ff8fL, t[t.length - 2]);
        assertEquals(0x570f09eaa7ea7648L, t[t.length - 1]);
    }
}
