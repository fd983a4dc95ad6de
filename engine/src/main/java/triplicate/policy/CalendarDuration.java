package triplicate.policy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A span of calendar time as people say it: years, months, weeks, days and hours, written like {@code 30d},
 * {@code 2w}, {@code 6m}, {@code 1y6m} or {@code 36h} (each unit at most once, largest first). Months and years
 * are calendar months and years, counted in a time zone ({@link #before}).
 */
public record CalendarDuration(int years, int months, int weeks, int days, int hours) {
    private static final Pattern FORMAT = Pattern.compile("(?:(\\d{1,4})y)?(?:(\\d{1,5})m)?(?:(\\d{1,5})w)?"
            + "(?:(\\d{1,6})d)?(?:(\\d{1,7})h)?");

    public CalendarDuration {
        if (years < 0 || months < 0 || weeks < 0 || days < 0 || hours < 0) {
            throw new IllegalArgumentException("a duration is not negative");
        }
    }

    /** Parses {@code 1y6m}, {@code 30d}…; throws {@link IllegalArgumentException} saying what is wrong. */
    public static CalendarDuration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("a duration is empty: give a number and a unit, e.g. 30d");
        }
        Matcher m = FORMAT.matcher(t);
        if (!m.matches()) {
            String why;
            if (t.startsWith("-")) {
                why = "a duration cannot be negative";
            } else if (t.matches(".*\\d[.,]\\d.*")) {
                why = "use whole numbers (36h rather than 1.5d)";
            } else if (t.matches("\\d+")) {
                why = "the number has no unit";
            } else if (t.matches(".*[^0-9ymwdh].*")) {
                why = "units are y (years), m (months), w (weeks), d (days) and h (hours)";
            } else {
                why = "write each unit once, largest first, each after its number (e.g. 1y6m, 2w3d)";
            }
            throw new IllegalArgumentException("'" + text + "' is not a duration: " + why + "; e.g. 30d, 2w, 6m, 1y6m, 36h");
        }
        return new CalendarDuration(group(m, 1), group(m, 2), group(m, 3), group(m, 4), group(m, 5));
    }

    private static int group(Matcher m, int i) {
        return m.group(i) == null ? 0 : Integer.parseInt(m.group(i));
    }

    public boolean isZero() {
        return years == 0 && months == 0 && weeks == 0 && days == 0 && hours == 0;
    }

    /** The instant this long before {@code end}, counting calendar months and days in {@code zone}. */
    public Instant before(Instant end, ZoneId zone) {
        ZonedDateTime t = end.atZone(zone).minusYears(years).minusMonths(months).minusWeeks(weeks).minusDays(days);
        return t.toInstant().minusSeconds(3600L * hours);
    }

    /** As written: {@code 1y6m}, {@code 30d}, {@code 0d} for zero. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (years > 0) {
            b.append(years).append('y');
        }
        if (months > 0) {
            b.append(months).append('m');
        }
        if (weeks > 0) {
            b.append(weeks).append('w');
        }
        if (days > 0) {
            b.append(days).append('d');
        }
        if (hours > 0) {
            b.append(hours).append('h');
        }
        return b.isEmpty() ? "0d" : b.toString();
    }
}
