package triplicate.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.local.LocalBackend;
import triplicate.core.Id;
import triplicate.core.SessionExpiredException;
import triplicate.crypto.Password;
import triplicate.maintenance.Pruner;
import triplicate.maintenance.SoftDelete;
import triplicate.repository.Repository;
import triplicate.repository.Session;
import triplicate.testing.Fingerprint;
import triplicate.testing.RetentionFixture;
import triplicate.testing.TestVaults;
import triplicate.testkit.FakeClock;

/**
 * The classic hazard of deleting while others write, played out step by step: prune decides that blobs are unused,
 * while a backup that loaded the index earlier is about to reference them. A backup that was running when the plan
 * was armed holds the deletion back; one that starts after it stores the blobs again; one that was frozen for
 * longer than prune's patience loses its marker and refuses to save its snapshot.
 */
class PruneRaceTest {
    @TempDir
    Path tmp;

    private RetentionFixture f;
    private Path src;
    private Map<Path, byte[]> shoot0;
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @BeforeEach
    void twoSnapshotsTheFirstForgottenWithPhotosOnlyItHolds() throws Exception {
        f = new RetentionFixture(tmp, new FakeClock());
        src = RetentionFixture.makeSource(tmp.resolve("photos"), 1, 12);
        shoot0 = new TreeMap<>();
        try (var s = Files.list(src.resolve("shoot-0"))) {
            for (Path p : s.toList()) {
                shoot0.put(p, Files.readAllBytes(p));
            }
        }
        try (Repository repo = f.open()) {
            Id first = f.backup(repo, src).id();
            for (Path p : shoot0.keySet()) {
                Files.delete(p);
            }
            f.backup(repo, src);
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
            f.expected.remove(first); // purged by the first prune (window 0d)
        }
        // the photographer puts the same photos back: a backup finds their blobs in the index, in packs that only
        // the forgotten snapshot used
        for (Map.Entry<Path, byte[]> e : shoot0.entrySet()) {
            Files.write(e.getKey(), e.getValue());
        }
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Starts a backup in its own repository that stops before reading its first file until {@code go} opens. */
    private Future<BackupResult> pausedBackup(Repository repo, CountDownLatch paused, CountDownLatch go) {
        Archiver a = new Archiver(repo, f.backupOptions(List.of()), new BackupProgress());
        a.beforeRead = file -> {
            paused.countDown();
            try {
                go.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return pool.submit(() -> a.backup(List.of(src)));
    }

    private Pruner.Result prune() throws Exception {
        try (Repository repo = f.open()) {
            return new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
        }
    }

    @Test
    void aBackupRunningWhenThePlanWasArmedHoldsTheDeletionBackAndItsSnapshotRestores() throws Exception {
        SortedMap<String, String> expected = Fingerprint.contentOf(src);
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        try (Repository b = f.open()) {
            Future<BackupResult> backup = pausedBackup(b, paused, go);
            assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();

            Pruner.Result first = prune();
            assertThat(first.snapshotsPurged()).isEqualTo(1);
            assertThat(first.packsPlanned()).isPositive();
            assertThat(first.packsDeleted()).as("the backup may reuse them: nothing is deleted yet").isZero();
            assertThat(first.packsWaiting()).isEqualTo(first.packsPlanned());
            assertThat(first.waitingFor()).hasSize(1);

            go.countDown();
            BackupResult r = backup.get(60, TimeUnit.SECONDS);
            // it reused the blobs of the forgotten snapshot's packs: it stored (almost) nothing of shoot-0
            long shoot0Bytes = shoot0.values().stream().mapToLong(x -> x.length).sum();
            assertThat(r.snapshot().summary().bytesAdded()).isLessThan(shoot0Bytes / 2);
            f.expected.put(r.id(), expected);
            f.rootName.put(r.id(), src.getFileName().toString());
        }
        Pruner.Result second = prune();
        assertThat(second.warnings()).anyMatch(w -> w.contains("reference again"));
        try (Repository repo = f.open()) {
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }

    @Test
    void aBackupStartedAfterThePlanStoresTheBlobsAgainSoThePlanCanBeCarriedOut() throws Exception {
        try (Repository blockerRepo = f.open()) {
            Session blocker = blockerRepo.startSession("restore"); // a long restore, alive
            Pruner.Result first = prune();
            assertThat(first.packsDeleted()).isZero();
            assertThat(first.packsWaiting()).isPositive();

            BackupResult r;
            try (Repository repo = f.open()) {
                r = f.backup(repo, src);
            }
            assertThat(r.snapshot().summary().bytesAdded()).isPositive();
            // every blob it references has a copy outside the packs the plan will delete
            try (Repository repo = f.open()) {
                assertThat(repo.index().retiring()).isNotEmpty();
                for (var e : new triplicate.maintenance.TreeWalker(repo).list(r.snapshot().tree(), "", true)) {
                    if (e.node().content() != null) {
                        for (Id c : e.node().content()) {
                            assertThat(repo.index().has(c)).as("%s: blob %s outside retiring packs", e.path(),
                                    c.shortHex()).isTrue();
                        }
                    }
                }
            }
            blocker.close();
        }
        Pruner.Result second = prune();
        assertThat(second.packsDeleted()).isPositive();
        assertThat(second.warnings()).noneMatch(w -> w.contains("reference again"));
        try (Repository repo = f.open()) {
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }

    @Test
    void aBackupFrozenForLongerThanThePatienceLosesItsMarkerAndSavesNoSnapshot() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        int snapshotsBefore = f.files("snapshots").size();
        // a process whose heartbeat never comes (frozen): one refresh an hour
        try (Password pw = TestVaults.password();
             Repository b = Repository.open(LocalBackend.open(f.vault), pw, f.options().withHeartbeat(Duration.ofHours(1)))) {
            Future<BackupResult> backup = pausedBackup(b, paused, go);
            assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(prune().packsDeleted()).isZero(); // armed with the frozen backup
            Pruner.Result second = prune(); // watches it, finds it dead, deletes
            assertThat(second.staleMarkersRemoved()).isEqualTo(1);
            assertThat(second.packsDeleted()).isPositive();

            go.countDown();
            assertThatThrownBy(() -> backup.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SessionExpiredException.class).hasMessageContaining("took it for")
                    .hasMessageContaining("Run the backup again");
        }
        assertThat(f.files("snapshots")).hasSize(snapshotsBefore - 1); // the purged one gone, no new one
        try (Repository repo = f.open()) {
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
            // and a backup now works, storing what it needs
            f.backup(repo, src);
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }
}
