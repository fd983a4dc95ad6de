package triplicate.catalog;

import java.util.List;
import triplicate.metadata.PhotoMetadata;
import triplicate.metadata.TimeSource;

/**
 * One photo as the photographer thinks of it: the files of one folder that share a name up to the extension (a RAW,
 * its JPEG twin, its XMP sidecar; a HEIC and its Live Photo movie), summed up from its primary file (RAW first, then
 * image, movie, sidecar) and the others (see docs/design/catalog.md).
 *
 * @param id          the catalog's id of the asset
 * @param taken       capture time as local text; {@code takenOffset} says the offset when known
 * @param takenOffset offset from UTC ({@code +02:00}) or null
 * @param takenSource where the capture time came from; {@link TimeSource#FILE_MTIME} when no file had a date
 * @param make        camera maker, or null
 * @param model       camera model, or null
 * @param lens        lens, or null
 * @param rating      XMP rating (the sidecar's first), or null
 * @param label       XMP colour label, or null
 * @param latitude    where it was taken, or null
 * @param longitude   where it was taken, or null
 * @param shoot       the shoot of its primary file, or null
 * @param files       its files, primary first
 */
public record Asset(long id, String taken, String takenOffset, TimeSource takenSource, String make, String model,
                    String lens, Integer rating, String label, Double latitude, Double longitude, String shoot,
                    List<CatalogFile> files) {
    public Asset {
        files = List.copyOf(files);
    }

    public boolean timeFallback() {
        return takenSource == TimeSource.FILE_MTIME;
    }

    /** Make and model as one name ({@link PhotoMetadata#cameraName}). */
    public String camera() {
        return PhotoMetadata.cameraName(make, model);
    }
}
