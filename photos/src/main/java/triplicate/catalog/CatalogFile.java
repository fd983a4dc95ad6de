package triplicate.catalog;

import java.time.Instant;
import java.util.List;
import triplicate.metadata.PhotoFormat;
import triplicate.metadata.TimeSource;

/**
 * One file of the library as the catalog knows it.
 *
 * @param id          the catalog's id of the file (stable while the file stays at its path, or is moved by a scan)
 * @param path        its path inside the library, with '/' between names ({@code 2024/06-paris/IMG_0001.CR3})
 * @param size        bytes
 * @param sha256      SHA-256 of the content, 64 lower-case hex digits
 * @param mtime       modification time when it was indexed
 * @param format      its format
 * @param shoot       the shoot it belongs to (given at import; else the name of its folder), or null
 * @param taken       capture time as local text ({@code 2024-06-15T12:34:56.25}), see {@code takenOffset}
 * @param takenOffset offset from UTC at capture ({@code +02:00}), or null when the file does not record it
 * @param takenSource where the capture time came from; {@link TimeSource#FILE_MTIME} marks the fallback
 * @param warnings    what reading the file reported (empty when nothing)
 * @param archived    whether the file was archived ({@code triplicate archive}): it is no longer in the library, and
 *                    a vault's archive snapshot holds it
 */
public record CatalogFile(long id, String path, long size, String sha256, Instant mtime, PhotoFormat format,
                          String shoot, String taken, String takenOffset, TimeSource takenSource,
                          List<String> warnings, boolean archived) {
    public CatalogFile {
        warnings = List.copyOf(warnings);
    }

    /** Whether no date was found in the file and its modification time stands in. */
    public boolean timeFallback() {
        return takenSource == TimeSource.FILE_MTIME;
    }
}
