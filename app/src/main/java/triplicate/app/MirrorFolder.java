package triplicate.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import triplicate.core.TriplicateException;

/**
 * The folder of one mirror: the library's files at their own paths, and {@code .triplicate-mirror/} holding the
 * marker that makes the folder a mirror ({@code MIRROR}), the checksum manifest ({@code manifest}) and the safety
 * net ({@code safety-net/YYYY-MM-DD/PATH}: replaced and deleted files, kept N days). A folder without the marker is
 * never written to unless asked ({@link #init}): an empty mount point of an unplugged drive must not become a mirror
 * on the computer's own disk.
 */
final class MirrorFolder {
    static final String META = ".triplicate-mirror";
    static final String MARKER = "MIRROR";
    static final String MANIFEST = "manifest";
    static final String SAFETY_NET = "safety-net";
    /** Suffix of files being written; a crash's leftovers are removed by the next run. */
    static final String TEMP_SUFFIX = ".triplicate-tmp";

    private final Path root;

    MirrorFolder(Path root) {
        this.root = root;
    }

    /** The folder a mirror target's URI names: a path, {@code ~/path}, {@code local:PATH} or a {@code file:} URI. */
    static MirrorFolder of(String uri) {
        String u = uri.strip();
        Path p;
        if (u.startsWith("file:")) {
            p = Path.of(URI.create(u));
        } else if (u.startsWith("local:")) {
            p = Path.of(u.substring("local:".length()));
        } else if (u.equals("~") || u.startsWith("~/")) {
            p = Path.of(System.getProperty("user.home") + u.substring(1));
        } else {
            p = Path.of(u);
        }
        return new MirrorFolder(p.toAbsolutePath().normalize());
    }

    Path root() {
        return root;
    }

    Path meta() {
        return root.resolve(META);
    }

    Path manifest() {
        return meta().resolve(MANIFEST);
    }

    Path file(String relative) {
        return root.resolve(relative);
    }

    /** Whether the folder is there and marked as a mirror. */
    boolean isMirror() {
        return Files.isRegularFile(meta().resolve(MARKER));
    }

    /** Why the mirror cannot be used now, or null when it can. */
    String unavailableReason(String target) {
        if (!Files.isDirectory(root)) {
            return root + " does not exist (drive not plugged in? share not mounted?)";
        }
        if (!isMirror()) {
            return root + " is not a mirror: it has no " + META + "/" + MARKER + " (drive not mounted there? if the"
                    + " folder is right, run 'triplicate mirror " + target + " --init' to make it one)";
        }
        return null;
    }

    /** Makes the folder a mirror (creating it if its parent exists); returns whether it had files already. */
    boolean init(String target, Path library, Instant now) throws IOException {
        if (!Files.isDirectory(root)) {
            if (root.getParent() == null || !Files.isDirectory(root.getParent())) {
                throw new TriplicateException("cannot make " + root + " a mirror: " + root.getParent()
                        + " does not exist (drive not plugged in?)");
            }
            Files.createDirectory(root);
        }
        boolean hadFiles;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            hadFiles = ds.iterator().hasNext();
        }
        Files.createDirectories(meta().resolve(SAFETY_NET));
        if (!isMirror()) {
            Files.writeString(meta().resolve(MARKER), "Triplicate mirror (plain files; see docs/mirrors.md)\ntarget: "
                    + target + "\nlibrary: " + library + "\ncreated: " + now + "\n");
        }
        return hadFiles;
    }

    /**
     * Moves the file at {@code relative} into today's safety-net folder, keeping its path; a name already taken there
     * today gets {@code ~1}, {@code ~2}… Returns where it went, relative to the mirror.
     */
    String toSafetyNet(String relative, Instant now) throws IOException {
        String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        String base = META + "/" + SAFETY_NET + "/" + day + "/" + relative;
        Path dest = root.resolve(base);
        mkdirs(dest.getParent());
        for (int i = 1; ; i++) {
            try {
                Files.move(root.resolve(relative), dest, StandardCopyOption.ATOMIC_MOVE);
                return root.relativize(dest).toString();
            } catch (FileAlreadyExistsException e) {
                dest = root.resolve(base + "~" + i);
            } catch (IOException e) {
                if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                    dest = root.resolve(base + "~" + i);
                    continue;
                }
                throw e;
            }
        }
    }

    /** Deletes the safety-net days more than {@code days} days before {@code now}; returns how many files went. */
    long pruneSafetyNet(int days, Instant now) throws IOException {
        Path net = meta().resolve(SAFETY_NET);
        if (!Files.isDirectory(net)) {
            return 0;
        }
        LocalDate oldestKept = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(days);
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(net)) {
            for (Path day : ds) {
                LocalDate d;
                try {
                    d = LocalDate.parse(day.getFileName().toString());
                } catch (DateTimeParseException e) {
                    continue;   // not ours
                }
                if (d.isBefore(oldestKept)) {
                    n += deleteTree(day);
                }
            }
        }
        return n;
    }

    private static long deleteTree(Path dir) throws IOException {
        long[] n = {0};
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    n[0]++;
                }
                Files.delete(p);
            }
        }
        return n[0];
    }

    /**
     * Hands {@code each} the path (relative, '/' between names) of every regular file in the mirror outside
     * {@code .triplicate-mirror}; removes the temporary files crashed runs left. Symlinks are reported as files.
     */
    void walk(Consumer<String> each) throws IOException {
        walk(root, "", each);
    }

    private void walk(Path dir, String prefix, Consumer<String> each) throws IOException {
        List<Path> subdirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String rel = prefix + name;
                if (prefix.isEmpty() && name.equals(META)) {
                    continue;
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    subdirs.add(p);
                } else if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                } else {
                    each.accept(rel);
                }
            }
        } catch (NoSuchFileException e) {
            if (dir.equals(root)) {
                throw e;
            }
        }
        subdirs.sort(null);
        for (Path d : subdirs) {
            walk(d, prefix + d.getFileName() + "/", each);
        }
    }

    /**
     * Creates {@code dir} and its parents inside the mirror, but only while the mirror is there: an unplugged drive's
     * path must not be created again on the computer's own disk.
     */
    void mkdirs(Path dir) throws IOException {
        if (!isMirror()) {
            throw new NoSuchFileException(root.toString(), null, "the mirror is not there any more");
        }
        Files.createDirectories(dir);
    }

    /** A temporary name beside {@code dest}. */
    static Path temp(Path dest) {
        return dest.resolveSibling(dest.getFileName() + TEMP_SUFFIX);
    }

    /** What {@link #install} found. */
    enum Installed { OK, SOURCE_CHANGED }

    /**
     * Copies {@code source} to the mirror at {@code relative}: into a temporary file beside it, hashed while copied,
     * forced to the disk, read back and hashed again; only when both hashes are {@code sha256} is it given
     * {@code mtime} and renamed into place. A file already there is first moved to the safety net
     * ({@code beforeReplace} is told). Returns {@link Installed#SOURCE_CHANGED} (and changes nothing) when the source
     * does not hash to {@code sha256}; throws when the copy reads back differently (a failing drive).
     */
    Installed install(Path source, String relative, String sha256, FileTime mtime, Instant now,
                      Consumer<String> beforeReplace, java.util.function.LongConsumer progress) throws IOException {
        Path dest = root.resolve(relative);
        mkdirs(dest.getParent());
        Path tmp = temp(dest);
        Files.deleteIfExists(tmp);
        try {
            String copied = Hashing.copy(source, tmp, progress);
            if (!copied.equals(sha256)) {
                Files.deleteIfExists(tmp);
                return Installed.SOURCE_CHANGED;
            }
            String back = Hashing.sha256(tmp, n -> { });
            if (!back.equals(sha256)) {
                throw new IOException("the copy of " + relative + " on " + root + " reads back differently from what"
                        + " was written: the drive may be failing");
            }
            Files.setLastModifiedTime(tmp, mtime);
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                beforeReplace.accept(toSafetyNet(relative, now));
            }
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Installed.OK;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Reads the manifest; {@code rebuild} starts from an empty one instead. */
    Map<String, String> readManifest(boolean rebuild) throws IOException {
        return rebuild ? new java.util.TreeMap<>() : Manifest.read(manifest());
    }
}
