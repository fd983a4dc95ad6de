package triplicate.metadata;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * When a photo was taken: the camera's local clock time, the offset from UTC when the file records one, the number of
 * sub-second digits the file gave (0 when it gave none), and where the time came from.
 *
 * @param local           the wall-clock time as the camera showed it (never null)
 * @param offset          the offset from UTC at capture, or {@code null} when the file does not say
 * @param subsecondDigits how many fractional-second digits the file recorded (0-9); {@code local} holds them
 * @param source          where the time was read; {@link TimeSource#FILE_MTIME} marks the fallback
 */
public record CaptureTime(LocalDateTime local, ZoneOffset offset, int subsecondDigits, TimeSource source) {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    public CaptureTime {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(source, "source");
        if (subsecondDigits < 0 || subsecondDigits > 9) {
            throw new IllegalArgumentException("subsecondDigits must be 0-9: " + subsecondDigits);
        }
    }

    /** Whether no date was found in the file and its modification time stands in. */
    public boolean isFallback() {
        return source == TimeSource.FILE_MTIME;
    }

    /** The moment, when the offset is known. */
    public Optional<Instant> instant() {
        return offset == null ? Optional.empty() : Optional.of(local.toInstant(offset));
    }

    /**
     * The local time as {@code 2024-06-15T12:34:56}, with as many fractional digits as the file gave: fixed width for
     * a given precision, so these strings sort as the times do.
     */
    public String localText() {
        String s = SECONDS.format(local);
        if (subsecondDigits > 0) {
            String nanos = String.format("%09d", local.getNano());
            s += "." + nanos.substring(0, subsecondDigits);
        }
        return s;
    }

    /** {@link #localText()} followed by the offset when known ({@code 2024-06-15T12:34:56.25+02:00}). */
    @Override
    public String toString() {
        return localText() + (offset == null ? "" : offset.getId());
    }
}
