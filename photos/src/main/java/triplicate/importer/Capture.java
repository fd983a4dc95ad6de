package triplicate.importer;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * When a photo was taken, as its metadata tells it.
 *
 * @param local    the camera's wall-clock time; sub-seconds, when the metadata has them, are in its nanoseconds
 * @param offset   the camera's offset from UTC at that moment (EXIF {@code OffsetTimeOriginal}), or null if unknown
 * @param fallback true when the time does not come from the capture-time field itself (e.g. the file's
 *                 modification time, or a digitized/creation date used in its place): names built from it are
 *                 best guesses
 */
public record Capture(LocalDateTime local, ZoneOffset offset, boolean fallback) {
    public Capture {
        Objects.requireNonNull(local, "local");
    }

    /** A capture time read from the capture-time field, without an offset. */
    public static Capture at(LocalDateTime local) {
        return new Capture(local, null, false);
    }

    public Optional<ZoneOffset> offsetIfKnown() {
        return Optional.ofNullable(offset);
    }
}
