package triplicate.restorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.archiver.BackupResult;
import triplicate.core.TriplicateException;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * Backup then restore reproduces a tree exactly: content (SHA-256), symlink targets, permission bits and
 * nanosecond modification times, for the awkward cases too — empty files and folders, a sparse file, relative,
 * absolute and dangling symlinks, NFC and NFD spellings of one name side by side, emoji and CJK names, a 255-byte
 * name, a path of almost 4096 bytes. Restoring one folder or one file, named inside the snapshot or by its original
 * absolute path, restores exactly that.
 */
class RoundTripTest {
    private static final long SPARSE_LENGTH = 64L << 20;

    @TempDir
    Path tmp;

    @Test
    void restoresEveryKindOfEntryByteIdenticalWithModesAndTimes() throws IOException {
        Path src = tmp.resolve("src");
        List<Path> made = makeAwkwardTree(src);
        SortedMap<String, String> before = Fingerprint.of(src);

        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            BackupResult backup = TestVaults.backup(repo, src);
            assertThat(backup.snapshot().warnings()).isEmpty();

            RestoreResult r = TestVaults.restore(repo, backup.id(), null, tmp.resolve("out"));

            assertThat(r.problems()).isEmpty();
            assertThat(r.symlinks()).isEqualTo(3);
            assertThat(Fingerprint.of(tmp.resolve("out/src"))).containsExactlyEntriesOf(before);
            assertThat(before).hasSizeGreaterThanOrEqualTo(made.size());
        }
        assertThat(Files.size(tmp.resolve("out/src/sparse.img"))).isEqualTo(SPARSE_LENGTH);
        long sourceAllocated = Fingerprint.allocatedBytes(src.resolve("sparse.img"));
        if (sourceAllocated >= 0 && sourceAllocated < SPARSE_LENGTH / 16) { // the file system keeps holes
            for (String sparse : List.of("sparse.img", "sparse-after-header.img")) {
                assertThat(Fingerprint.allocatedBytes(tmp.resolve("out/src").resolve(sparse)))
                        .as("allocated bytes of the restored " + sparse).isLessThan(1 << 20);
            }
        }
    }

    @Test
    void sparseFileStaysSparseWithTheDefaultLargeChunks() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        long length = 24L << 20; // three chunks of the default maximum size
        Path sparse = makeSparse(src.resolve("disk.img"), length);
        long sourceAllocated = Fingerprint.allocatedBytes(sparse);
        org.junit.jupiter.api.Assumptions.assumeTrue(sourceAllocated >= 0 && sourceAllocated < length / 16,
                "this file system does not keep holes (allocated " + sourceAllocated + " bytes)");
        // default chunk sizes (up to 8 MiB): a chunk holding a few bytes of data is otherwise all zeros
        RepositoryOptions defaults = TestVaults.options().withChunkerSizes(null);
        try (Repository repo = TestVaults.init(tmp.resolve("vault"), defaults)) {
            BackupResult backup = TestVaults.backup(repo, src);
            RestoreResult r = TestVaults.restore(repo, backup.id(), null, tmp.resolve("out"));
            assertThat(r.problems()).isEmpty();
        }
        Path restored = tmp.resolve("out/src/disk.img");
        assertThat(Fingerprint.sha256(restored)).isEqualTo(Fingerprint.sha256(sparse));
        assertThat(Fingerprint.allocatedBytes(restored)).as("allocated bytes of the restored 24 MiB sparse file")
                .isLessThan(1 << 20);
    }

    @Test
    void restoresOneFolderOrOneFileBySnapshotPathOrOriginalPath() throws IOException {
        Path src = tmp.resolve("src");
        Fingerprint.writeRandom(src.resolve("a/b/photo.jpg"), 1, 200_000);
        Fingerprint.writeRandom(src.resolve("a/b/photo.xmp"), 2, 3_000);
        Fingerprint.writeRandom(src.resolve("a/other.jpg"), 3, 50_000);
        Fingerprint.writeRandom(src.resolve("z/elsewhere.jpg"), 4, 50_000);

        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            var id = TestVaults.backup(repo, src).id();

            // a folder, by its path inside the snapshot
            assertThat(TestVaults.restore(repo, id, "src/a/b", tmp.resolve("o1")).problems()).isEmpty();
            assertThat(Fingerprint.of(tmp.resolve("o1/src/a/b"))).isEqualTo(Fingerprint.of(src.resolve("a/b")));
            assertThat(listAll(tmp.resolve("o1"))).containsExactly("src", "src/a", "src/a/b", "src/a/b/photo.jpg",
                    "src/a/b/photo.xmp");

            // the same folder, by its original absolute path
            assertThat(TestVaults.restore(repo, id, src.resolve("a/b").toString(), tmp.resolve("o2")).problems()).isEmpty();
            assertThat(Fingerprint.of(tmp.resolve("o2/src/a/b"))).isEqualTo(Fingerprint.of(src.resolve("a/b")));
            assertThat(listAll(tmp.resolve("o2"))).containsExactly("src", "src/a", "src/a/b", "src/a/b/photo.jpg",
                    "src/a/b/photo.xmp");

            // one file, both ways
            RestoreResult one = TestVaults.restore(repo, id, "src/a/other.jpg", tmp.resolve("o3"));
            assertThat(one.problems()).isEmpty();
            assertThat(one.files()).isEqualTo(1);
            assertThat(listAll(tmp.resolve("o3"))).containsExactly("src", "src/a", "src/a/other.jpg");
            assertThat(Fingerprint.of(tmp.resolve("o3/src/a/other.jpg")))
                    .isEqualTo(Fingerprint.of(src.resolve("a/other.jpg")));

            RestoreResult byOriginal = TestVaults.restore(repo, id, src.resolve("z/elsewhere.jpg").toString(),
                    tmp.resolve("o4"));
            assertThat(byOriginal.problems()).isEmpty();
            assertThat(listAll(tmp.resolve("o4"))).containsExactly("src", "src/z", "src/z/elsewhere.jpg");
            assertThat(Fingerprint.sha256(tmp.resolve("o4/src/z/elsewhere.jpg")))
                    .isEqualTo(Fingerprint.sha256(src.resolve("z/elsewhere.jpg")));

            // the whole snapshot, however the root is spelled
            for (String everything : new String[] {"/", ".", "./", src.toString()}) {
                Path out = tmp.resolve("all" + Integer.toHexString(everything.hashCode()));
                assertThat(TestVaults.restore(repo, id, everything, out).problems()).as(everything).isEmpty();
                assertThat(Fingerprint.contentOf(out.resolve("src"))).as(everything)
                        .isEqualTo(Fingerprint.contentOf(src));
            }

            // a path that is not in the snapshot: a clear error, nothing written
            assertThatThrownBy(() -> TestVaults.restore(repo, id, "src/a/missing.jpg", tmp.resolve("o5")))
                    .isInstanceOf(TriplicateException.class)
                    .hasMessageContaining("src/a/missing.jpg").hasMessageContaining("not in snapshot");
            assertThat(listAll(tmp.resolve("o5"))).isEmpty();
            assertThatThrownBy(() -> TestVaults.restore(repo, id, "src/a/other.jpg/below", tmp.resolve("o6")))
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("is not a folder");
        }
    }

    @Test
    void targetThatIsAFileIsAClearError() throws IOException {
        Path src = tmp.resolve("src");
        Fingerprint.writeRandom(src.resolve("a.jpg"), 1, 1000);
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            var id = TestVaults.backup(repo, src).id();
            assertThatThrownBy(() -> TestVaults.restore(repo, id, null, file))
                    .isInstanceOf(TriplicateException.class)
                    .hasMessage("cannot restore into " + file + ": it exists and is not a folder");
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    // ------------------------------------------------------------------------------------------------ the tree

    /** Builds the tree under {@code src}; returns the paths made. Times are set last, deepest first. */
    private List<Path> makeAwkwardTree(Path src) throws IOException {
        List<Path> made = new ArrayList<>();
        Files.createDirectories(src);
        made.add(Files.createDirectories(src.resolve("a/b/c")));
        made.add(Files.createDirectories(src.resolve("a/empty-folder")));
        made.add(Files.createFile(src.resolve("a/empty.txt")));
        made.add(Fingerprint.writeRandom(src.resolve("a/b/random-3mb.bin"), 42, 3_000_000));
        made.add(Files.writeString(src.resolve("a/secret.txt"), "owner only"));
        made.add(Files.writeString(src.resolve("a/b/run.sh"), "#!/bin/sh\necho hi\n"));
        made.add(Files.writeString(src.resolve("a/b/c/read-only.txt"), "do not touch"));
        made.add(makeSparse(src.resolve("sparse.img")));
        // 64 KiB of data first: the chunks of the zeros after it start at offsets no multiple of 4 KiB, so blocks
        // of zeros straddle chunk boundaries
        made.add(makeSparse(src.resolve("sparse-after-header.img"), 16L << 20));
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse-after-header.img").toFile(), "rw")) {
            f.write(Fingerprint.randomBytes(7, 64 * 1024));
        }

        Path links = Files.createDirectories(src.resolve("links"));
        made.add(Files.createSymbolicLink(links.resolve("relative"), Path.of("../a/secret.txt")));
        made.add(Files.createSymbolicLink(links.resolve("absolute"), src.resolve("a/b/run.sh").toAbsolutePath()));
        made.add(Files.createSymbolicLink(links.resolve("dangling"), Path.of("no/such/target")));

        Path names = Files.createDirectories(src.resolve("names"));
        String nfc = Normalizer.normalize("Café", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("Café", Normalizer.Form.NFD);
        assertThat(nfc).isNotEqualTo(nfd);
        made.add(Files.writeString(names.resolve(nfc + ".jpg"), "composed"));
        made.add(Files.writeString(names.resolve(nfd + ".jpg"), "decomposed"));
        made.add(Files.writeString(names.resolve("\uD83D\uDCF7 shoot \uD83C\uDF05.jpg"), "emoji"));
        made.add(Files.writeString(names.resolve("写真 東京 2024.jpg"), "cjk"));
        String longName = "é".repeat(120) + "x".repeat(11) + ".jpg"; // 240 + 11 + 4 = 255 bytes in UTF-8
        assertThat(longName.getBytes(StandardCharsets.UTF_8)).hasSize(255);
        made.add(Files.writeString(names.resolve(longName), "long name"));

        made.addAll(makeDeep(src.resolve("deep"), tmp.resolve("out/src/deep")));

        Files.setPosixFilePermissions(src.resolve("a/secret.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(src.resolve("a/b/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(src.resolve("a/b/c/read-only.txt"), PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(src.resolve("a/b"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(src.resolve("a/empty-folder"), PosixFilePermissions.fromString("rwxr-x---"));

        // distinct nanosecond times everywhere, symlinks included (their own time, not their target's)
        List<Path> all;
        try (Stream<Path> s = Files.walk(src)) {
            all = new ArrayList<>(s.sorted(Comparator.comparingInt(Path::getNameCount).reversed()
                    .thenComparing(Comparator.naturalOrder())).toList());
        }
        long i = 0;
        for (Path p : all) {
            Instant t = Instant.ofEpochSecond(1_600_000_000L + i * 3_600, 123_456_789 - i * 1_001);
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(t), null, null);
            i++;
        }
        return made;
    }

    /** 64 MiB, all holes but for a few bytes in the middle. */
    private static Path makeSparse(Path p) throws IOException {
        return makeSparse(p, SPARSE_LENGTH);
    }

    private static Path makeSparse(Path p, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(length);
            f.seek(length / 2 + 12_345);
            f.write("a few bytes in the middle of nothing".getBytes(StandardCharsets.US_ASCII));
        }
        return p;
    }

    /**
     * Nested folders whose deepest file has a path just under PATH_MAX (4096 bytes) where it will be restored, the
     * longest a path can be for programs that pass whole paths to the kernel.
     */
    private static List<Path> makeDeep(Path deep, Path restoredDeep) throws IOException {
        List<Path> made = new ArrayList<>();
        String segment = "d".repeat(100);
        Path dir = deep;
        Path restored = restoredDeep;
        String file = "leaf.txt";
        while (restored.resolve(segment).resolve(file).toString().length() < 4000 - 60) {
            dir = dir.resolve(segment);
            restored = restored.resolve(segment);
        }
        Files.createDirectories(dir);
        made.add(dir);
        made.add(Files.writeString(dir.resolve(file), "deep down"));
        assertThat(restored.resolve(file).toString().length()).isGreaterThan(3800);
        return made;
    }

    private static List<String> listAll(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
