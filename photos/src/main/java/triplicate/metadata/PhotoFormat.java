package triplicate.metadata;

import java.util.List;
import java.util.Locale;

/**
 * The file formats a photo library holds, as far as Triplicate tells them apart. A format is named by the file's
 * extension and, where the content says otherwise, by its content ({@link MetadataReader} decides).
 */
public enum PhotoFormat {
    JPEG(Kind.IMAGE, "jpg", "jpeg", "jpe"),
    /** HEIC and other HEIF images. */
    HEIC(Kind.IMAGE, "heic", "heif", "hif"),
    PNG(Kind.IMAGE, "png"),
    TIFF(Kind.IMAGE, "tif", "tiff"),
    /** Adobe Digital Negative. */
    DNG(Kind.RAW, "dng"),
    /** Canon RAW, 2004-2018. */
    CR2(Kind.RAW, "cr2"),
    /** Canon RAW since 2018 (ISO base media file). */
    CR3(Kind.RAW, "cr3"),
    /** Nikon RAW. */
    NEF(Kind.RAW, "nef", "nrw"),
    /** Sony RAW. */
    ARW(Kind.RAW, "arw", "srf", "sr2"),
    /** Fujifilm RAW. */
    RAF(Kind.RAW, "raf"),
    /** Olympus / OM System RAW. */
    ORF(Kind.RAW, "orf"),
    /** Panasonic RAW. */
    RW2(Kind.RAW, "rw2"),
    MP4(Kind.VIDEO, "mp4", "m4v"),
    /** QuickTime movie, such as the movie half of a Live Photo. */
    MOV(Kind.VIDEO, "mov", "qt"),
    /** An XMP sidecar: the rating, label and keywords an editor keeps beside a photo. */
    XMP(Kind.SIDECAR, "xmp"),
    /** Anything else; such files are indexed but their content is not read for metadata. */
    OTHER(Kind.OTHER);

    /** What a format is for. */
    public enum Kind { IMAGE, RAW, VIDEO, SIDECAR, OTHER }

    private final Kind kind;
    private final List<String> extensions;

    PhotoFormat(Kind kind, String... extensions) {
        this.kind = kind;
        this.extensions = List.of(extensions);
    }

    public Kind kind() {
        return kind;
    }

    /** The extensions of this format, lower case and without the dot; the first is the usual one. */
    public List<String> extensions() {
        return extensions;
    }

    public boolean isRaw() {
        return kind == Kind.RAW;
    }

    public boolean isVideo() {
        return kind == Kind.VIDEO;
    }

    public boolean isSidecar() {
        return kind == Kind.SIDECAR;
    }

    /** Whether files of this format carry metadata worth reading: every format but {@link #OTHER}. */
    public boolean isMedia() {
        return kind != Kind.OTHER;
    }

    /** The format a file name's extension announces (case-insensitive), or {@link #OTHER}. */
    public static PhotoFormat fromFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return OTHER;
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (PhotoFormat f : values()) {
            if (f.extensions.contains(ext)) {
                return f;
            }
        }
        return OTHER;
    }
}
