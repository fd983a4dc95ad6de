package triplicate.catalog;

import java.time.Instant;

/**
 * A copy to record with {@link Catalog#recordCopies}: what was found (or written) for the file at {@code path} whose
 * content hashes to {@code sha256}. The record is kept only if the catalog's file still has that content: a copy of
 * an older version of a file is not a copy of the file.
 *
 * @param path   the file's path in the library
 * @param sha256 the content the copy was checked against (the catalog's hash when the copy was made or verified)
 * @param target the target's name
 * @param at     when it was verified or written
 * @param result what was found
 * @param detail a snapshot id, a path on the target or an error message; may be null
 */
public record CopyRecord(String path, String sha256, String target, Instant at, CopyResult result, String detail) {
}
