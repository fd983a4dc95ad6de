package triplicate.metadata;

/** Where a capture time was read, best first. */
public enum TimeSource {
    /** EXIF DateTimeOriginal: when the shutter was pressed. */
    EXIF_ORIGINAL,
    /** EXIF DateTimeDigitized: when the image was stored (a scan's date, or the same as the original). */
    EXIF_DIGITIZED,
    /** XMP exif:DateTimeOriginal, photoshop:DateCreated or xmp:CreateDate (embedded or a sidecar). */
    XMP,
    /** The creation date of a QuickTime or MP4 movie (Apple's com.apple.quicktime.creationdate, else the movie header, which is UTC). */
    QUICKTIME,
    /** EXIF DateTime (IFD0): when the file was last changed by the camera or an editor. */
    EXIF_MODIFIED,
    /** No usable date in the file: its modification time on disk stands in, and the fallback is reported. */
    FILE_MTIME
}
