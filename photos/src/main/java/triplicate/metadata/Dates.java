package triplicate.metadata;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the date strings of EXIF, XMP and QuickTime, and tells plausible dates from absurd ones. Pure functions. */
final class Dates {
    /** The first photograph is from 1826; nothing in a library is older. */
    static final LocalDateTime EARLIEST = LocalDateTime.of(1826, 1, 1, 0, 0);

    /** EXIF "2024:06:15 12:34:56", XMP/ISO "2024-06-15T12:34:56.25+02:00", QuickTime "2024-06-15T12:34:56+0200". */
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})[:\\-/.](\\d{1,2})[:\\-/.](\\d{1,2})(?:[ T]+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:[.,](\\d+))?)?"
                    + "\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{2}):?(\\d{2})?");

    private Dates() {
    }

    /** A parsed date: the local time, its fractional digits and the offset (null when absent). */
    record Parsed(LocalDateTime local, int subsecondDigits, ZoneOffset offset) {
    }

    /** Thrown for a date string that is not a date; the message is for people. */
    static final class BadDate extends Exception {
        BadDate(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code text} (null when the field is absent). Returns null when the field is absent or blank, throws
     * {@link BadDate} when it is there but not a valid date (including EXIF's "0000:00:00 00:00:00").
     */
    static Parsed parse(String text) throws BadDate {
        if (text == null) {
            return null;
        }
        String t = text.replace('\0', ' ').trim();
        if (t.isEmpty() || t.replaceAll("[\\s:\\-.]", "").isEmpty()) {
            return null;
        }
        Matcher m = DATE_TIME.matcher(t);
        if (!m.matches()) {
            throw new BadDate("'" + t + "' is not a date");
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (year == 0 && month == 0 && day == 0) {
            throw new BadDate("'" + t + "' is blank (all zeros)");
        }
        try {
            LocalDate date = LocalDate.of(year, month, day);
            LocalDateTime local = m.group(4) == null ? date.atStartOfDay()
                    : date.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                            m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            int digits = 0;
            if (m.group(7) != null) {
                String frac = m.group(7).length() > 9 ? m.group(7).substring(0, 9) : m.group(7);
                digits = frac.length();
                local = local.withNano(Integer.parseInt((frac + "000000000").substring(0, 9)));
            }
            ZoneOffset offset = m.group(8) == null ? null : offset(m.group(8));
            return new Parsed(local, digits, offset);
        } catch (DateTimeException | NumberFormatException e) {
            throw new BadDate("'" + t + "' is not a valid date (" + e.getMessage() + ")");
        }
    }

    /**
     * The fraction of a second of EXIF SubSecTime* ("277" → 277 ms): {digits, nanos}, or null when absent or not
     * digits. Only the first 9 digits count.
     */
    static int[] subseconds(String text) {
        if (text == null) {
            return null;
        }
        String t = text.replace('\0', ' ').trim();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit)) {
            return null;
        }
        String frac = t.length() > 9 ? t.substring(0, 9) : t;
        return new int[] {frac.length(), Integer.parseInt((frac + "000000000").substring(0, 9))};
    }

    /** An EXIF OffsetTime* or ISO offset ("+02:00", "-0530", "Z"); null when absent or blank. */
    static ZoneOffset offset(String text) throws BadDate {
        if (text == null) {
            return null;
        }
        String t = text.replace('\0', ' ').trim();
        if (t.isEmpty() || t.equals(":")) {
            return null;
        }
        if (t.equals("Z")) {
            return ZoneOffset.UTC;
        }
        Matcher m = OFFSET.matcher(t);
        if (!m.matches()) {
            throw new BadDate("offset '" + t + "' is not an offset from UTC");
        }
        int h = Integer.parseInt(m.group(2));
        int min = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        try {
            return ZoneOffset.ofHoursMinutes(m.group(1).equals("-") ? -h : h, m.group(1).equals("-") ? -min : min);
        } catch (DateTimeException e) {
            throw new BadDate("offset '" + t + "' is out of range");
        }
    }

    /**
     * Why {@code local} cannot be a capture time, or null when it can: before 1826, or more than a day after
     * {@code latest} (the reader's clock, in the earliest time zone).
     */
    static String implausible(LocalDateTime local, LocalDateTime latest) {
        if (local.isBefore(EARLIEST)) {
            return "is before " + EARLIEST.getYear() + ", the year of the first photograph";
        }
        if (local.isAfter(latest.plusDays(1))) {
            return "is in the future";
        }
        return null;
    }
}
