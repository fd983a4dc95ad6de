package triplicate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Source trees for CLI tests and their content fingerprints. */
final class TestFiles {
    private TestFiles() {
    }

    static Path writeRandom(Path file, long seed, int size) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        return Files.write(file, b);
    }

    /** A small photo library: a few shoots of random "photos" (about 1 MB in all). */
    static Path library(Path root) throws IOException {
        String[] shoots = {"2024-05-01_wedding", "2024-06-12_portraits", "2024-07-30_holiday"};
        int n = 0;
        for (String shoot : shoots) {
            for (int i = 0; i < 4; i++) {
                writeRandom(root.resolve(shoot).resolve("IMG_" + (1000 + n) + ".jpg"), n, 40_000 + 15_000 * i);
                writeRandom(root.resolve(shoot).resolve("IMG_" + (1000 + n) + ".xmp"), 500 + n, 2_000);
                n++;
            }
        }
        return root;
    }

    /**
     * A library of {@code files} random "photos" from about 300 kB up, in three shoots, plus an empty folder and an
     * empty file; {@code seed} picks the names and the content.
     */
    static Path library(Path root, int files, int seed) throws IOException {
        for (int i = 0; i < files; i++) {
            writeRandom(root.resolve("shoot-" + (i % 3)).resolve("IMG_" + (seed * 100 + i) + ".CR2"),
                    seed * 1000L + i, 300_000 + 97_000 * i);
        }
        Files.createDirectories(root.resolve("empty-folder"));
        Files.write(root.resolve("empty.xmp"), new byte[0]);
        return root;
    }

    /** The bytes of all regular files below {@code root}. */
    static long size(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Path (relative to {@code root}) → SHA-256, for every regular file below {@code root}. */
    static SortedMap<String, String> content(Path root) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    out.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flips every bit of the byte at {@code offset}. */
    static void flipByte(Path file, long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.flip();
            b.put(0, (byte) ~b.get(0));
            ch.write(b, offset);
        }
    }
}
