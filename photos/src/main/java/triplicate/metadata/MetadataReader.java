package triplicate.metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneId;

/**
 * Reads what a photo, movie or XMP sidecar file says about itself.
 *
 * <p>Contract: {@link #read} never fails because of what is <em>in</em> the file. A truncated or malformed file,
 * absurd dates (year 0, a date in the future), a format nobody can parse: the result still comes back, with what could
 * be read, the rest {@code null}, and one plain-words warning per problem. When no usable capture time is found the
 * file's modification time stands in ({@link TimeSource#FILE_MTIME}), and a warning says so (except for an XMP
 * sidecar, which need not carry a date: its photo does). Only a file that
 * cannot be opened or stat'ed at all (gone, no permission) throws an {@link IOException}. Implementations are
 * thread-safe and keep no state between calls.
 */
public interface MetadataReader {
    /** Reads {@code file}; see the interface's contract. */
    PhotoMetadata read(Path file) throws IOException;

    /**
     * The reader built on metadata-extractor. {@code clock} decides which dates lie in the future (absurd), and
     * {@code zone} gives the local time of a file modification time or of a UTC-only movie date.
     */
    static MetadataReader standard(InstantSource clock, ZoneId zone) {
        return new ExtractorReader(clock, zone);
    }
}
