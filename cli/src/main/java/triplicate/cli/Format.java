package triplicate.cli;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations. */
final class Format {
    private Format() {
    }

    static String bytes(long b) {
        return triplicate.core.ByteSizes.format(b);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String rate(long bytes, double seconds) {
        return seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.1f MB/s", bytes / seconds / 1e6);
    }
}
