package triplicate.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.repository.Repository;
import triplicate.snapshot.Snapshot;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * Files that cannot be read, vanish or change during a backup never abort it and are never lost silently: each
 * becomes a warning in the snapshot (naming the path and the reason), everything else is saved, and the snapshot
 * restores. Deletion and growth between the directory listing and the read are staged with the archiver's
 * package-private {@link Archiver#beforeRead} seam, so they happen every time, not by luck of timing.
 */
class UnreadableSourceTest {
    @TempDir
    Path tmp;

    private Path src;

    @BeforeEach
    void makeSource() throws IOException {
        src = tmp.resolve("src");
        Fingerprint.writeRandom(src.resolve("keep/a.jpg"), 1, 100_000);
        Fingerprint.writeRandom(src.resolve("keep/b.jpg"), 2, 40_000);
    }

    @Test
    void fileWithoutReadPermissionIsAWarning() throws IOException {
        Assumptions.assumeFalse(Fingerprint.isRoot(), "root reads any file whatever its mode; see the FIFO and"
                + " vanished-file tests for unreadable files that root cannot read either");
        Path locked = Fingerprint.writeRandom(src.resolve("locked.jpg"), 3, 10_000);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            BackupResult r = TestVaults.backup(repo, src);
            assertThat(r.complete()).isFalse();
            assertThat(r.snapshot().warnings()).containsExactly(
                    new Snapshot.Warning(locked.toString(), "cannot read: permission denied"));
            assertRestoresKeptFiles(repo, r);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void pipeIsSkippedWithAWarning() throws IOException, InterruptedException {
        Path fifo = src.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            BackupResult r = TestVaults.backup(repo, src); // must not block on opening the pipe
            assertThat(r.complete()).isFalse();
            assertThat(r.snapshot().warnings()).hasSize(1);
            Snapshot.Warning w = r.snapshot().warnings().get(0);
            assertThat(w.path()).isEqualTo(fifo.toString());
            assertThat(w.message()).contains("skipped").contains("not a regular file");
            assertThat(r.snapshot().summary().filesNew()).isEqualTo(2);
            assertRestoresKeptFiles(repo, r);
        }
    }

    @Test
    void fileDeletedBetweenListingAndReadingIsAWarning() throws IOException {
        Path doomed = Fingerprint.writeRandom(src.resolve("doomed.jpg"), 4, 30_000);
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            Archiver archiver = new Archiver(repo, TestVaults.backupOptions(), new BackupProgress());
            archiver.beforeRead = file -> {
                if (file.equals(doomed)) {
                    Files.delete(file);
                }
            };
            BackupResult r = archiver.backup(List.of(src));
            assertThat(r.snapshot().warnings()).containsExactly(
                    new Snapshot.Warning(doomed.toString(), "cannot read: it vanished"));
            assertRestoresKeptFiles(repo, r);
        }
    }

    @Test
    void fileThatGrowsWhileBeingReadIsSavedWithAWarning() throws IOException {
        Path growing = Fingerprint.writeRandom(src.resolve("capture.mov"), 5, 200_000);
        byte[] appended = Fingerprint.randomBytes(6, 50_000);
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            Archiver archiver = new Archiver(repo, TestVaults.backupOptions(), new BackupProgress());
            archiver.beforeRead = file -> {
                if (file.equals(growing)) {
                    Files.write(file, appended, StandardOpenOption.APPEND);
                }
            };
            BackupResult r = archiver.backup(List.of(src));
            assertThat(r.complete()).isFalse();
            assertThat(r.snapshot().warnings()).hasSize(1);
            assertThat(r.snapshot().warnings().get(0).path()).isEqualTo(growing.toString());
            assertThat(r.snapshot().warnings().get(0).message()).startsWith("changed while being read")
                    .contains("200000 bytes before, 250000 read");

            Path out = tmp.resolve("out");
            assertThat(TestVaults.restore(repo, r.id(), null, out).problems()).isEmpty();
            assertThat(Fingerprint.sha256(out.resolve("src/capture.mov"))).isEqualTo(Fingerprint.sha256(growing));
            assertThat(Fingerprint.contentOf(out.resolve("src/keep"))).isEqualTo(Fingerprint.contentOf(src.resolve("keep")));

            // the next backup sees the file as changed and reads it again: no stale copy is kept
            archiver = new Archiver(repo, TestVaults.backupOptions(), new BackupProgress());
            BackupResult again = archiver.backup(List.of(src));
            assertThat(again.complete()).isTrue();
            assertThat(again.snapshot().summary().filesChanged()).isEqualTo(1);
        }
    }

    @Test
    void pathLongerThanPathMaxIsAWarningNotASilentLoss() throws IOException, InterruptedException {
        // Java hands whole paths to the kernel, which refuses those over PATH_MAX (4096 bytes); such a file must
        // at least be reported. Built with relative 'cd's in a shell, since Java cannot create it either.
        Path deep = src.resolve("deep");
        Files.createDirectories(deep);
        String segment = "d".repeat(200);
        String script = "cd '" + deep + "' && for i in $(seq 1 25); do mkdir " + segment + " && cd " + segment
                + " || exit 1; done && echo 'too deep' > leaf.txt";
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0,
                "cannot build a path longer than PATH_MAX here: " + out);
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            BackupResult r = TestVaults.backup(repo, src);
            assertThat(r.complete()).isFalse();
            assertThat(r.snapshot().warnings()).isNotEmpty();
            assertThat(r.snapshot().warnings()).allSatisfy(w -> {
                assertThat(w.path()).startsWith(deep.toString());
                assertThat(w.message()).containsIgnoringCase("too long");
            });
            assertRestoresKeptFiles(repo, r);
        } finally {
            // JUnit cannot delete it either
            new ProcessBuilder("rm", "-rf", deep.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    private void assertRestoresKeptFiles(Repository repo, BackupResult r) throws IOException {
        Path out = tmp.resolve("restored");
        assertThat(TestVaults.restore(repo, r.id(), "src/keep", out).problems()).isEmpty();
        assertThat(Fingerprint.of(out.resolve("src/keep"))).isEqualTo(Fingerprint.of(src.resolve("keep")));
    }
}
