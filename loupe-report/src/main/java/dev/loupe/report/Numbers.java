package dev.loupe.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rounding rule for numbers shown to people, in the terminal and in the browser alike: the double's exact
 * binary value rounded to {@code d} decimals, half away from zero (what JavaScript's {@code toFixed} does; the
 * front end's {@code Loupe.fmt} follows it), a zero result without a sign, NaN as "—". {@code String.format("%.4f")}
 * differs: it rounds the shortest decimal string instead (0.00015, stored as 0.000149999…, gives 0.0002 there and
 * 0.0001 here and in the browser).
 */
public final class Numbers {
    private Numbers() {
    }

    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "\u2014";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\u221e" : "-\u221e";
        }
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString(); // a BigDecimal zero has no sign
    }
}
