package triplicate.importer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises what a source is and lists the files an import looks at. Reads only: listing folders and their files'
 * attributes. Follows no symbolic links.
 */
final class SourceScanner {
    /** DCF folder names: three digits and five characters ({@code 100CANON}, {@code 101_PANA}, {@code 100APPLE}). */
    private static final Pattern DCF_FOLDER = Pattern.compile("\\d{3}[A-Za-z0-9_]{5}");
    /** Operating-system litter on removable volumes: never photos, never reported. */
    private static final Set<String> LITTER = Set.of("system volume information", "$recycle.bin", "thumbs.db",
            "desktop.ini", "lost.dir", "found.000");

    private SourceScanner() {
    }

    /** A file found on the source. */
    record Found(Path path, long size, FileTime mtime) {
    }

    /** What a scan found: media and sidecars, files left alone (with why), folders that could not be listed. */
    record Scan(SourceKind kind, List<Found> files, List<FileOutcome.Skipped> skipped,
                List<ImportReport.Warning> warnings) {
    }

    static Scan scan(Path root) throws IOException {
        SourceKind kind = kind(root);
        List<Path> roots = switch (kind) {
            case CAMERA_CARD -> existing(root, List.of("DCIM", "PRIVATE/M4ROOT/CLIP", "PRIVATE/AVCHD/BDMV/STREAM"));
            case PHONE -> existing(root, List.of("DCIM", "Pictures", "Movies"));
            case FOLDER -> List.of(root);
        };
        List<Found> files = new ArrayList<>();
        List<FileOutcome.Skipped> skipped = new ArrayList<>();
        List<ImportReport.Warning> warnings = new ArrayList<>();
        for (Path r : roots) {
            walk(r, r == root, files, skipped, warnings);
        }
        files.sort(Comparator.comparing(f -> f.path().toString()));
        return new Scan(kind, files, skipped, warnings);
    }

    /** Only the given files (for callers that import file by file, such as a watched folder). */
    static Scan of(List<Path> paths) {
        List<Found> files = new ArrayList<>();
        List<FileOutcome.Skipped> skipped = new ArrayList<>();
        List<ImportReport.Warning> warnings = new ArrayList<>();
        for (Path p : paths) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                consider(p, a, files, skipped);
            } catch (IOException e) {
                warnings.add(new ImportReport.Warning(p, "cannot read: " + Importer.describe(e)));
            }
        }
        files.sort(Comparator.comparing(f -> f.path().toString()));
        return new Scan(SourceKind.FOLDER, files, skipped, warnings);
    }

    static SourceKind kind(Path root) throws IOException {
        Path dcim = child(root, "DCIM");
        if (dcim == null) {
            return child(root, "Android") != null && child(root, "Pictures") != null ? SourceKind.PHONE
                    : SourceKind.FOLDER;
        }
        boolean phone = child(root, "Android") != null || child(dcim, "Camera") != null;
        boolean dcf = false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dcim)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && DCF_FOLDER.matcher(n).matches()) {
                    dcf = true;
                    phone |= n.toUpperCase(Locale.ROOT).endsWith("APPLE");
                }
            }
        }
        return phone || !dcf ? SourceKind.PHONE : SourceKind.CAMERA_CARD;
    }

    /** The child of {@code dir} named {@code name} in any case, if it is a folder. */
    private static Path child(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().equalsIgnoreCase(name) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static List<Path> existing(Path root, List<String> relative) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String rel : relative) {
            Path p = root;
            for (String part : rel.split("/")) {
                p = p == null ? null : child(p, part);
            }
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private static void walk(Path dir, boolean isRoot, List<Found> files, List<FileOutcome.Skipped> skipped,
                             List<ImportReport.Warning> warnings) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        } catch (IOException e) {
            if (isRoot) {
                throw e;
            }
            warnings.add(new ImportReport.Warning(dir, "cannot list this folder: " + Importer.describe(e)));
            return;
        }
        children.sort(null);
        for (Path p : children) {
            String name = p.getFileName().toString();
            if (name.startsWith(".") || LITTER.contains(name.toLowerCase(Locale.ROOT))) {
                continue; // hidden files, AppleDouble "._" files, .Trashes, .Spotlight-V100, Windows' folders
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                warnings.add(new ImportReport.Warning(p, "cannot read: " + Importer.describe(e)));
                continue;
            }
            if (a.isDirectory()) {
                walk(p, false, files, skipped, warnings);
            } else {
                consider(p, a, files, skipped);
            }
        }
    }

    private static void consider(Path p, BasicFileAttributes a, List<Found> files, List<FileOutcome.Skipped> skipped) {
        if (a.isSymbolicLink()) {
            skipped.add(new FileOutcome.Skipped(p, "symbolic link (not followed)"));
        } else if (!a.isRegularFile()) {
            skipped.add(new FileOutcome.Skipped(p, "not a regular file"));
        } else if (MediaKind.of(extension(p.getFileName().toString())) == MediaKind.OTHER) {
            skipped.add(new FileOutcome.Skipped(p, "not a photo, video or sidecar"));
        } else {
            files.add(new Found(p, a.size(), a.lastModifiedTime()));
        }
    }

    /** The text after the last dot of a name, or "" if none (or only a leading dot). */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1);
    }
}
