package triplicate.catalog;

import java.time.Instant;

/**
 * A known copy of a library file on a target (a mirror or a vault), as last verified.
 *
 * @param path       the file's path in the library
 * @param target     the target's name
 * @param verifiedAt when the copy was last verified
 * @param result     what that verification found
 * @param detail     a snapshot id, a path on the target or an error message; may be null
 */
public record Copy(String path, String target, Instant verifiedAt, CopyResult result, String detail) {
}
