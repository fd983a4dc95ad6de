package triplicate.catalog;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link Catalog#find} looks for; every criterion is optional (null: any). Build one from {@link #all()} and
 * the {@code with…} methods, which also parse the command line's spellings and throw
 * {@link IllegalArgumentException} with a message for people on a bad one.
 *
 * @param takenFrom capture time at or after this local-time prefix ({@code 2024-06}), or null
 * @param takenTo   capture time before this one, or null
 * @param camera    text the camera's make and model contain (case-insensitive), or null
 * @param lens      text the lens contains (case-insensitive), or null
 * @param minRating lowest rating, or null
 * @param maxRating highest rating, or null
 * @param shoot     text the shoot's name contains (case-insensitive), or null
 * @param near      a circle the position must lie in, or null
 * @param limit     at most this many assets (0: no limit), earliest first
 */
public record Query(String takenFrom, String takenTo, String camera, String lens, Integer minRating,
                    Integer maxRating, String shoot, Near near, int limit) {
    private static final Pattern RATING = Pattern.compile("(>=|≥|<=|≤|=)?\\s*(-?\\d)(\\+)?");

    /** A circle on Earth: centre in degrees, radius in kilometres. */
    public record Near(double latitude, double longitude, double km) {
        public Near {
            if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180) || !(km > 0) || Double.isInfinite(km)) {
                throw new IllegalArgumentException("--near wants LAT,LON,KM with -90<=LAT<=90, -180<=LON<=180 and"
                        + " KM > 0; got " + latitude + "," + longitude + "," + km);
            }
        }
    }

    public static Query all() {
        return new Query(null, null, null, null, null, null, null, null, 0);
    }

    /**
     * Capture time within a year ({@code 2024}), a month ({@code 2024-06}), a day ({@code 2024-06-15}), or a range of
     * those ({@code 2024-06..2024-08}, both ends included; either end may be left out).
     */
    public Query withTaken(String spec) {
        String s = spec.trim();
        int dots = s.indexOf("..");
        String from;
        String to;
        if (dots >= 0) {
            String a = s.substring(0, dots).trim();
            String b = s.substring(dots + 2).trim();
            from = a.isEmpty() ? null : start(a);
            to = b.isEmpty() ? null : end(b);
        } else {
            from = start(s);
            to = end(s);
        }
        if (from != null && to != null && from.compareTo(to) >= 0) {
            throw new IllegalArgumentException("--taken " + spec + ": the range ends before it starts");
        }
        return new Query(from, to, camera, lens, minRating, maxRating, shoot, near, limit);
    }

    public Query withCamera(String text) {
        return new Query(takenFrom, takenTo, blankToNull(text), lens, minRating, maxRating, shoot, near, limit);
    }

    public Query withLens(String text) {
        return new Query(takenFrom, takenTo, camera, blankToNull(text), minRating, maxRating, shoot, near, limit);
    }

    /** {@code 4} or {@code >=4} or {@code ≥4} or {@code 4+}: at least 4; {@code <=2}, {@code ≤2}: at most 2; {@code =5}. */
    public Query withRating(String spec) {
        Matcher m = RATING.matcher(spec.trim());
        if (!m.matches() || (m.group(3) != null && m.group(1) != null)) {
            throw new IllegalArgumentException("--rating wants N, >=N, N+, <=N or =N with N from -1 to 5; got '" + spec + "'");
        }
        int n = Integer.parseInt(m.group(2));
        if (n < -1 || n > 5) {
            throw new IllegalArgumentException("--rating: ratings go from -1 (rejected) to 5; got " + n);
        }
        String op = m.group(1) == null ? ">=" : m.group(1);
        Integer min = switch (op) {
            case ">=", "≥", "=" -> n;
            default -> null;
        };
        Integer max = switch (op) {
            case "<=", "≤", "=" -> n;
            default -> null;
        };
        return new Query(takenFrom, takenTo, camera, lens, min, max, shoot, near, limit);
    }

    public Query withShoot(String text) {
        return new Query(takenFrom, takenTo, camera, lens, minRating, maxRating, blankToNull(text), near, limit);
    }

    /** {@code LAT,LON,KM} in decimal degrees and kilometres ({@code 48.8584,2.2945,5}). */
    public Query withNear(String spec) {
        String[] p = spec.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("--near wants LAT,LON,KM (e.g. 48.8584,2.2945,5); got '" + spec + "'");
        }
        try {
            return withNear(new Near(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()),
                    Double.parseDouble(p[2].trim())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--near wants three numbers LAT,LON,KM; got '" + spec + "'");
        }
    }

    public Query withNear(Near n) {
        return new Query(takenFrom, takenTo, camera, lens, minRating, maxRating, shoot, n, limit);
    }

    public Query withLimit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("--limit cannot be negative");
        }
        return new Query(takenFrom, takenTo, camera, lens, minRating, maxRating, shoot, near, n);
    }

    /** The first local-time text of a period, as catalog times are written. */
    private static String start(String period) {
        return switch (kind(period)) {
            case 4 -> period;
            case 7 -> YearMonth.parse(period).toString();
            default -> LocalDate.parse(period).toString();
        };
    }

    /** The first local-time text after a period. */
    private static String end(String period) {
        return switch (kind(period)) {
            case 4 -> String.format(Locale.ROOT, "%04d", Integer.parseInt(period) + 1);
            case 7 -> YearMonth.parse(period).plusMonths(1).toString();
            default -> LocalDate.parse(period).plusDays(1).toString();
        };
    }

    private static int kind(String period) {
        try {
            if (period.matches("\\d{4}")) {
                return 4;
            }
            if (period.matches("\\d{4}-\\d{2}")) {
                YearMonth.parse(period);
                return 7;
            }
            if (period.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate.parse(period);
                return 10;
            }
        } catch (DateTimeParseException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("--taken wants YYYY, YYYY-MM or YYYY-MM-DD, or a range A..B of those; got '"
                + period + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
