package triplicate.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.maintenance.CheckResult;
import triplicate.maintenance.Checker;
import triplicate.repository.Repository;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * Two backups into one vault at the same time, from two independently opened repositories (as two processes would
 * do): both snapshots are written, the vault checks clean reading every byte, and both restore byte-identical. The
 * trees share some files, so the same blobs are stored twice, once by each writer.
 */
class ConcurrentBackupTest {
    @TempDir
    Path tmp;

    @Test
    void twoWritersAtOnceBothSucceedAndTheVaultStaysConsistent() throws Exception {
        Path vault = tmp.resolve("vault");
        TestVaults.init(vault).close();
        Path a = makeTree(tmp.resolve("a/library"), 1);
        Path b = makeTree(tmp.resolve("b/phone"), 2);
        byte[] shared = Fingerprint.randomBytes(99, 200_000);
        Files.write(a.resolve("shared.jpg"), shared);
        Files.write(b.resolve("shared-copy.jpg"), shared);

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<BackupResult> fa = two.submit(() -> backupWhenReady(vault, a, start));
            Future<BackupResult> fb = two.submit(() -> backupWhenReady(vault, b, start));
            BackupResult ra = fa.get(60, TimeUnit.SECONDS);
            BackupResult rb = fb.get(60, TimeUnit.SECONDS);
            assertThat(ra.complete()).isTrue();
            assertThat(rb.complete()).isTrue();

            try (Repository repo = TestVaults.open(vault)) {
                assertThat(repo.listSnapshots()).extracting(Repository.SnapshotRef::id)
                        .containsExactlyInAnyOrder(ra.id(), rb.id());
                CheckResult check = new Checker(repo).check(1.0, new Random(1));
                assertThat(check.errors()).isEmpty();
                assertThat(check.warnings()).isEmpty();
                assertThat(check.packsRead()).isEqualTo(check.packs());
                assertThat(check.snapshots()).isEqualTo(2);

                assertThat(TestVaults.restore(repo, ra.id(), null, tmp.resolve("out-a")).problems()).isEmpty();
                assertThat(TestVaults.restore(repo, rb.id(), null, tmp.resolve("out-b")).problems()).isEmpty();
                assertThat(Fingerprint.of(tmp.resolve("out-a/library"))).isEqualTo(Fingerprint.of(a));
                assertThat(Fingerprint.of(tmp.resolve("out-b/phone"))).isEqualTo(Fingerprint.of(b));
            }
        } finally {
            two.shutdownNow();
        }
    }

    private static BackupResult backupWhenReady(Path vault, Path tree, CyclicBarrier start) throws Exception {
        try (Repository repo = TestVaults.open(vault)) {
            start.await(30, TimeUnit.SECONDS);
            return new Archiver(repo, TestVaults.backupOptions(), new BackupProgress()).backup(List.of(tree));
        }
    }

    private static Path makeTree(Path root, long seed) throws java.io.IOException {
        Random r = new Random(seed);
        for (int i = 0; i < 12; i++) {
            Fingerprint.writeRandom(root.resolve("shoot-" + (i % 3) + "/img-" + i + ".jpg"), seed * 1000 + i,
                    20_000 + r.nextInt(150_000));
        }
        return root;
    }
}
