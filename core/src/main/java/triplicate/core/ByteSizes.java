package triplicate.core;

import java.util.Locale;

/** Sizes for people: {@code 512 B}, {@code 1.5 KiB}, {@code 286 MiB} (binary units; one decimal below 100). */
public final class ByteSizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private ByteSizes() {
    }

    public static String format(long b) {
        if (b < 1024) {
            return b + " B";
        }
        double v = b;
        int i = -1;
        while (v >= 1024 && i < UNITS.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, UNITS[i]);
    }
}
