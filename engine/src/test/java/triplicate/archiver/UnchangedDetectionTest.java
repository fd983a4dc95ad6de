package triplicate.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.repository.Repository;
import triplicate.snapshot.Snapshot;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * A backup reads only what changed: nothing when nothing changed, nothing when a folder (or a file) was only renamed
 * (the same inode), the edited file after an in-place edit — even when the edit kept the old modification time —
 * and everything with {@code force}. Each second snapshot restores to exactly the current tree.
 */
class UnchangedDetectionTest {
    private static final int FILES = 6;

    @TempDir
    Path tmp;

    private Path src;
    private long totalBytes;

    @BeforeEach
    void makeLibrary() throws IOException {
        src = tmp.resolve("library");
        int[] sizes = {150_000, 80_000, 20_000, 300_000, 5_000, 64_000};
        String[] names = {"2024-06-01_wedding/a.jpg", "2024-06-01_wedding/a.xmp", "2024-06-01_wedding/b.jpg",
            "2024-07-14_portraits/c.jpg", "2024-07-14_portraits/c.xmp", "loose.jpg"};
        for (int i = 0; i < FILES; i++) {
            Fingerprint.writeRandom(src.resolve(names[i]), 100 + i, sizes[i]);
            totalBytes += sizes[i];
        }
    }

    @Test
    void nothingChangedReadsNothing() throws IOException {
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            Snapshot.Summary first = TestVaults.backup(repo, src).snapshot().summary();
            assertThat(first.filesNew()).isEqualTo(FILES);
            assertThat(first.bytesRead()).isEqualTo(totalBytes);

            var second = TestVaults.backup(repo, src);
            Snapshot.Summary s = second.snapshot().summary();
            assertThat(s.bytesRead()).isZero();
            assertThat(s.filesUnmodified()).isEqualTo(FILES);
            assertThat(s.filesNew()).isZero();
            assertThat(s.filesChanged()).isZero();
            assertThat(s.bytesTotal()).isEqualTo(totalBytes);
            assertRestoresTo(repo, second, src);
        }
    }

    @Test
    void renamedFolderAndMovedFileAreNotReadAgain() throws IOException {
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            TestVaults.backup(repo, src);
            Files.move(src.resolve("2024-06-01_wedding"), src.resolve("2024-06-01_wedding_delivered"));
            Files.createDirectories(src.resolve("sorted"));
            Files.move(src.resolve("loose.jpg"), src.resolve("sorted/loose-renamed.jpg")); // changes its ctime

            var second = TestVaults.backup(repo, src);
            Snapshot.Summary s = second.snapshot().summary();
            assertThat(s.bytesRead()).isZero();
            assertThat(s.filesUnmodified()).isEqualTo(FILES);
            assertThat(s.filesNew() + s.filesChanged()).isZero();
            assertThat(s.blobsAdded()).as("only new trees are stored").isLessThanOrEqualTo(4);
            assertRestoresTo(repo, second, src);
        }
    }

    @Test
    void inPlaceEditIsReadAgain() throws IOException {
        Path edited = src.resolve("2024-07-14_portraits/c.xmp");
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            TestVaults.backup(repo, src);
            Files.writeString(edited, "rating=5\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

            var second = TestVaults.backup(repo, src);
            Snapshot.Summary s = second.snapshot().summary();
            assertThat(s.filesChanged()).isEqualTo(1);
            assertThat(s.filesUnmodified()).isEqualTo(FILES - 1);
            assertThat(s.bytesRead()).isEqualTo(Files.size(edited));
            assertRestoresTo(repo, second, src);
        }
    }

    @Test
    void inPlaceEditThatKeepsSizeAndModificationTimeIsReadAgain() throws IOException {
        // tools that "preserve the date" (exiftool -P, touch -r) leave size and mtime as they were; only the
        // ctime tells; the file is the same inode at the same path, so it is not a moved file either
        Path edited = src.resolve("2024-06-01_wedding/b.jpg");
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            TestVaults.backup(repo, src);
            FileTime mtime = Files.getLastModifiedTime(edited);
            try (RandomAccessFile f = new RandomAccessFile(edited.toFile(), "rw")) {
                f.seek(1000);
                f.write("edited in place".getBytes(StandardCharsets.US_ASCII));
            }
            Files.setLastModifiedTime(edited, mtime);

            var second = TestVaults.backup(repo, src);
            Snapshot.Summary s = second.snapshot().summary();
            assertThat(s.filesChanged()).isEqualTo(1);
            assertThat(s.bytesRead()).isEqualTo(Files.size(edited));
            assertRestoresTo(repo, second, src);
        }
    }

    @Test
    void forceReadsEverything() throws IOException {
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            TestVaults.backup(repo, src);
            var forced = TestVaults.backup(repo, TestVaults.backupOptions(List.of(), true), src);
            Snapshot.Summary s = forced.snapshot().summary();
            assertThat(s.bytesRead()).isEqualTo(totalBytes);
            assertThat(s.filesUnmodified()).isZero();
            assertThat(s.blobsAdded()).as("the data is read again but deduplicated").isZero();
            assertRestoresTo(repo, forced, src);
        }
    }

    private void assertRestoresTo(Repository repo, BackupResult backup, Path expected) throws IOException {
        Path out = tmp.resolve("restored-" + backup.id().shortHex());
        assertThat(TestVaults.restore(repo, backup.id(), null, out).problems()).isEmpty();
        assertThat(Fingerprint.of(out.resolve(expected.getFileName()))).isEqualTo(Fingerprint.of(expected));
    }
}
