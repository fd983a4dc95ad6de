package triplicate.catalog;

import java.util.List;

/**
 * What a scan did.
 *
 * @param filesSeen     regular files found in the library (outside {@code .triplicate} and hidden folders)
 * @param added         files new to the catalog, read and indexed
 * @param updated       files whose size, modification time or file identity changed, read again
 * @param unchanged     files found as indexed, not read
 * @param moved         files found at a new path as they were at a vanished one (same device, inode, size and
 *                      modification time): moved in the catalog, not read
 * @param removed       files the catalog had that are gone from the library
 * @param filesRead     files read this scan (hashed and their metadata read)
 * @param bytesRead     bytes of those files
 * @param timeFallbacks photos and movies read this scan with no usable capture date, whose modification time
 *                      stands in (sidecars need no date of their own: their photo has it)
 * @param warnings      problems, per file, of the files read this scan (unreadable files, metadata problems, time
 *                      fallbacks); an unreadable file keeps its previous catalog entry, if any
 */
public record ScanResult(long filesSeen, long added, long updated, long unchanged, long moved, long removed,
                         long filesRead, long bytesRead, long timeFallbacks, List<Warning> warnings) {
    public ScanResult {
        warnings = List.copyOf(warnings);
    }

    /** One problem with one file. */
    public record Warning(String path, String message) {
    }
}
