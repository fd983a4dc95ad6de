package triplicate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Everything a restore must reproduce, per path relative to a root: type, SHA-256 and size of files, symlink targets,
 * permission bits and modification times in nanoseconds. Two trees are restored identically iff their fingerprints
 * are equal. Symlinks are never followed.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    /** The fingerprint of {@code root} and everything below it; the root itself is the entry {@code "."}. */
    public static SortedMap<String, String> of(Path root) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                out.put(rel(root, dir), "dir " + meta(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    out.put(rel(root, file), "symlink -> " + Files.readSymbolicLink(file) + " mtime="
                            + nanos(Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)));
                } else if (attrs.isRegularFile()) {
                    out.put(rel(root, file), "file size=" + attrs.size() + " sha256=" + sha256(file) + " " + meta(file));
                } else {
                    out.put(rel(root, file), "other");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** Only the content: SHA-256 of every regular file (for comparisons where metadata legitimately differs). */
    public static SortedMap<String, String> contentOf(Path root) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        try (var s = Files.walk(root)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    out.put(rel(root, p), sha256(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }

    private static String rel(Path root, Path p) {
        String r = root.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }

    private static String meta(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        return "mode=" + Integer.toOctalString(mode) + " mtime="
                + nanos(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} pseudo-random bytes from {@code seed}: incompressible and never deduplicated by accident. */
    public static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code size} pseudo-random bytes to {@code file} (parents created). */
    public static Path writeRandom(Path file, long seed, int size) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, randomBytes(seed, size));
    }

    /** Allocated size in bytes as the file system reports it ({@code stat -c %b}), or -1 if it cannot be asked. */
    public static long allocatedBytes(Path file) {
        try {
            Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                return -1;
            }
            String[] parts = out.split(" ");
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Whether this process runs as root (who can read files whatever their mode). */
    public static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
