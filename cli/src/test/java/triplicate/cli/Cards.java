package triplicate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import triplicate.app.SampleLibrary;

/**
 * Camera cards for the import tests: {@link SampleLibrary}'s real JPEGs (with EXIF capture time and camera), RAW-like
 * CR2s and XMP sidecars, laid out as a camera writes them ({@code DCIM/100CANON/IMG_0001.JPG}…), plus a file that is
 * not a photo.
 */
final class Cards {
    private Cards() {
    }

    /** Makes a card of {@code shoots} × {@code photos} photos (every third with a CR2 and an XMP) under {@code card}. */
    static Path card(Path card, int shoots, int photos, long seed) throws IOException {
        Path made = card.resolveSibling(card.getFileName() + ".made");
        SampleLibrary.write(made, shoots, photos, seed);
        Path dcim = Files.createDirectories(card.resolve("DCIM/100CANON"));
        for (Path p : CliTesting.filesUnder(made)) {
            Files.move(p, dcim.resolve(p.getFileName().toString()));
        }
        CliTesting.deleteTree(made);
        Files.createDirectories(card.resolve("MISC"));
        Files.writeString(card.resolve("MISC/AUTPRINT.MRK"), "print order\n");
        return card;
    }

    /** Relative path → "sha256 mtime" of every file under {@code root}: what "unchanged" means for a source. */
    static Map<String, String> state(Path root) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (Path p : CliTesting.filesUnder(root)) {
            out.put(root.relativize(p).toString(), CliTesting.sha256(p) + " " + Files.getLastModifiedTime(p).toMillis());
        }
        return out;
    }

    /** The files of a library, leaving out its {@code .triplicate} folder: relative path → SHA-256. */
    static Map<String, String> library(Path library) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (!Files.exists(library)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(library)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String rel = library.relativize(p).toString();
                if (!rel.startsWith(".triplicate")) {
                    out.put(rel, CliTesting.sha256(p));
                }
            }
        }
        return out;
    }

    /** The import workspace's files other than its lock: leftovers that must not be there after an import. */
    static List<String> leftovers(Path library) throws IOException {
        Path tmp = library.resolve(".triplicate/import-tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("lock")).toList();
        }
    }
}
