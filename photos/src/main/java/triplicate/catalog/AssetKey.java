package triplicate.catalog;

import java.util.Locale;
import triplicate.metadata.PhotoFormat;

/**
 * Which asset a file belongs to: the files of one folder whose names agree up to the extension, ignoring case, form
 * one asset. A sidecar's name may keep its photo's extension ({@code IMG_0001.CR3.xmp}) or drop it
 * ({@code IMG_0001.xmp}). Files of format {@link PhotoFormat#OTHER} belong to no asset.
 */
final class AssetKey {
    private AssetKey() {
    }

    /** The group key of a library path ({@code 2024/paris/img_0001}), or null for a file that is not media. */
    static String of(String path, PhotoFormat format) {
        if (!format.isMedia()) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        String stem = stripExtension(name);
        if (format == PhotoFormat.XMP) {
            String inner = stripExtension(stem);
            if (!inner.equals(stem) && PhotoFormat.fromFileName(stem).isMedia()
                    && PhotoFormat.fromFileName(stem) != PhotoFormat.XMP) {
                stem = inner;
            }
        }
        return folder + stem.toLowerCase(Locale.ROOT);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
