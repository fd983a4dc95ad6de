package triplicate.importer;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a file is, by its extension. In an asset group the primary file (whose capture time names the group) is the
 * first by this order: a RAW, then a rendered image (JPEG, HEIC…), then a video, then a sidecar.
 */
enum MediaKind {
    RAW, IMAGE, VIDEO, SIDECAR, OTHER;

    private static final Map<MediaKind, Set<String>> EXTENSIONS = Map.of(
            RAW, Set.of("3fr", "ari", "arw", "bay", "cr2", "cr3", "crw", "dcr", "dng", "erf", "fff", "gpr", "iiq", "k25",
                    "kdc", "mef", "mos", "mrw", "nef", "nrw", "orf", "ori", "pef", "raf", "raw", "rw2", "rwl", "sr2",
                    "srf", "srw", "x3f"),
            IMAGE, Set.of("jpg", "jpeg", "jpe", "heic", "heif", "hif", "avif", "png", "tif", "tiff", "webp", "gif", "jxl",
                    "psd", "bmp"),
            VIDEO, Set.of("mov", "mp4", "m4v", "avi", "mts", "m2ts", "3gp", "mkv", "mpg", "mpeg", "wmv", "insv", "360"),
            SIDECAR, Set.of("xmp", "thm", "aae", "pp3", "dop", "on1", "lrv", "wav"));

    /** The kind of a file with this extension (without the dot, any case). */
    static MediaKind of(String extension) {
        String e = extension.toLowerCase(Locale.ROOT);
        for (MediaKind k : new MediaKind[] {RAW, IMAGE, VIDEO, SIDECAR}) {
            if (EXTENSIONS.get(k).contains(e)) {
                return k;
            }
        }
        return OTHER;
    }

    /** Whether this file is a photo or a video (not a sidecar). */
    boolean media() {
        return this == RAW || this == IMAGE || this == VIDEO;
    }
}
