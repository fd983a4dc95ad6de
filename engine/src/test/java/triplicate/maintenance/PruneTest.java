package triplicate.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.archiver.BackupResult;
import triplicate.backend.testkit.RefusingDeletesBackend;
import triplicate.core.AppendOnlyException;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.core.VaultBusyException;
import triplicate.repository.LockFolder;
import triplicate.repository.Repository;
import triplicate.repository.Session;
import triplicate.repository.index.PackedBlob;
import triplicate.testing.RetentionFixture;
import triplicate.testkit.FakeClock;

/**
 * Prune on its own: what it deletes and keeps, the recovery window and undelete (with a fake clock), repacking,
 * append-only storage, a crashed backup's marker, another prune's lock, and damage it cannot account for.
 */
class PruneTest {
    @TempDir
    Path tmp;

    private static List<Id> ids(List<BackupResult> rs) {
        return rs.stream().map(BackupResult::id).toList();
    }

    @Test
    void forgottenSnapshotsArePurgedWithTheirDataAndEverythingElseRestores() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 1, 30);
        Random r = new Random(2);
        List<BackupResult> made = new ArrayList<>();
        try (Repository repo = f.open()) {
            for (int i = 0; i < 4; i++) {
                made.add(f.backup(repo, src));
                RetentionFixture.modify(src, r);
                // big deletions, so the old snapshots own data nobody else needs
                Files.delete(Files.list(src.resolve("shoot-" + i % 3)).sorted().findFirst().orElseThrow());
            }
        }
        SortedMap<String, Long> packsBefore = f.files("data");
        try (Repository repo = f.open()) {
            new SoftDelete(repo).forget(ids(made).subList(0, 2), Instant.parse("2024-06-01T12:00:00Z"));
            assertThat(repo.liveSnapshots()).extracting(Repository.SnapshotRef::id)
                    .containsExactlyInAnyOrderElementsOf(ids(made).subList(2, 4)); // one fake time: ordered by id
            assertThat(repo.listSnapshots(Repository.Selection.FORGOTTEN, (n, e) -> { }))
                    .extracting(Repository.SnapshotRef::id).containsExactlyInAnyOrderElementsOf(ids(made).subList(0, 2));

            // inside the window: nothing of theirs goes
            Pruner.Result inside = new Pruner(repo, RetentionFixture.pruneOptions("30d"), n -> { }).prune();
            assertThat(inside.snapshotsPurged()).isZero();
            assertThat(f.files("snapshots")).hasSize(4);
            f.checkClean(repo);
            f.everySnapshotRestores(repo);

            Pruner.Result purged = new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(purged.snapshotsPurged()).isEqualTo(2);
            assertThat(purged.packsDeleted()).isPositive();
            assertThat(purged.bytesFreed()).isPositive();
            assertThat(purged.waitingFor()).isEmpty();
            assertThat(f.files("snapshots")).hasSize(2);
            assertThat(f.files("locks").keySet()).as("plans carried out, forget record spent later")
                    .noneMatch(n -> n.startsWith("plan-") || n.startsWith("session-") || n.startsWith("prune-"));
        }
        assertThat(f.files("data").size()).isLessThan(packsBefore.size() + 5);
        try (Repository repo = f.open()) {
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
            // the next prune removes the spent forget record and finds nothing more to delete
            Pruner.Result again = new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(again.forgetRecordsRemoved()).isEqualTo(1);
            assertThat(again.packsDeleted()).isZero();
            assertThat(again.packsPlanned()).isZero();
            assertThat(f.files("locks")).isEmpty();
        }
    }

    @Test
    void theRecoveryWindowKeepsForgottenSnapshotsRecoverableUntilBothClocksArePastIt() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2024-06-01T12:00:00Z"));
        RetentionFixture f = new RetentionFixture(tmp, clock);
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 3, 20);
        Id first;
        Id second;
        try (Repository repo = f.open()) {
            first = f.backup(repo, src).id();
            RetentionFixture.modify(src, new Random(4));
            clock.advance(Duration.ofDays(1));
            second = f.backup(repo, src).id();
            new SoftDelete(repo).forget(List.of(first), clock.instant());
        }
        clock.advance(Duration.ofDays(29)); // 29 days after the forget
        try (Repository repo = f.open()) {
            assertThat(new Pruner(repo, RetentionFixture.pruneOptions("30d"), n -> { }).prune().snapshotsPurged()).isZero();
            // undelete, and forget again: the window starts again
            new SoftDelete(repo).undelete(first, RetentionFixture.pruneOptions("30d"), n -> { });
            assertThat(repo.liveSnapshots()).extracting(Repository.SnapshotRef::id).containsExactly(first, second);
            assertThat(f.files("locks").keySet()).noneMatch(n -> n.startsWith("forget-"));
            new SoftDelete(repo).forget(List.of(first), clock.instant());
        }
        clock.advance(Duration.ofDays(31));
        try (Repository repo = f.open()) {
            // this machine's clock is past the window, but the vault's newest record (the forget) is not: kept
            Pruner.Result r = new Pruner(repo, RetentionFixture.pruneOptions("30d"), n -> { }).prune();
            assertThat(r.snapshotsPurged()).isZero();
            assertThat(r.forgottenKept()).isEqualTo(1);
            assertThat(r.warnings()).anyMatch(w -> w.contains("past the recovery window by this computer's clock"));
            // a backup 31 days later moves the vault's time on
            f.backup(repo, src);
            r = new Pruner(repo, RetentionFixture.pruneOptions("30d"), n -> { }).prune();
            assertThat(r.snapshotsPurged()).isEqualTo(1);
            assertThatThrownBy(() -> new SoftDelete(repo).undelete(first, RetentionFixture.pruneOptions("30d"), n -> { }))
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("purged");
            f.expected.remove(first);
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }

    @Test
    void mostlyUnusedPacksAreRepackedAndTheirLiveBlobsCopiedFirst() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 5, 40);
        Id first;
        Id second;
        try (Repository repo = f.open()) {
            first = f.backup(repo, src).id();
            // delete most photos, keep every fifth: the first snapshot's packs become mostly unused
            List<Path> all;
            try (var s = Files.walk(src)) {
                all = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (int i = 0; i < all.size(); i++) {
                if (i % 5 != 0) {
                    Files.delete(all.get(i));
                }
            }
            second = f.backup(repo, src).id();
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
            f.expected.remove(first);

            Pruner.Result dry = new Pruner(repo, RetentionFixture.pruneOptions("0d", 30, true), n -> { }).prune();
            assertThat(dry.packsRepacked()).isPositive();
            assertThat(f.files("snapshots")).hasSize(2);

            Pruner.Result r = new Pruner(repo, RetentionFixture.pruneOptions("0d", 30, false), n -> { }).prune();
            assertThat(r.packsRepacked()).isPositive();
            assertThat(r.blobsRewritten()).isPositive();
            assertThat(r.bytesRewritten()).isPositive().isLessThan(r.bytesDeleted());
            assertThat(r.bytesFreed()).isPositive();
        }
        try (Repository repo = f.open()) {
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
            // nothing left that is mostly unused
            assertThat(new Pruner(repo, RetentionFixture.pruneOptions("0d", 30, true), n -> { }).prune().packsPlanned())
                    .isZero();
            assertThat(repo.liveSnapshots()).extracting(Repository.SnapshotRef::id).containsExactly(second);
        }
    }

    @Test
    void appendOnlyStorageBacksUpButRefusesForgetPruneAndUndelete() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 6, 10);
        Id first;
        try (Repository repo = f.open()) {
            first = f.backup(repo, src).id();
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
        }
        SortedMap<String, Long> snapshots = f.files("snapshots");
        try (Repository repo = f.open(RefusingDeletesBackend::new)) {
            RetentionFixture.modify(src, new Random(7));
            BackupResult b = f.backup(repo, src);
            assertThat(b.complete()).isTrue();
            Map<String, Long> locksBefore = f.files("locks");
            assertThatThrownBy(() -> new SoftDelete(repo).forget(List.of(b.id()), Instant.EPOCH))
                    .isInstanceOf(AppendOnlyException.class).hasMessageContaining("append-only")
                    .hasMessageContaining("forget").hasMessageContaining("Backups work");
            assertThatThrownBy(() -> new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune())
                    .isInstanceOf(AppendOnlyException.class).hasMessageContaining("prune");
            assertThatThrownBy(() -> new SoftDelete(repo).undelete(first, RetentionFixture.pruneOptions("0d"), n -> { }))
                    .isInstanceOf(AppendOnlyException.class).hasMessageContaining("undelete");
            // no forget record and no plan was written; only the refused probes stayed behind
            Map<String, Long> locksAfter = new java.util.TreeMap<>(f.files("locks"));
            locksAfter.keySet().removeIf(n -> n.startsWith("probe-"));
            assertThat(locksAfter.keySet()).isEqualTo(locksBefore.keySet());
            assertThat(f.files("snapshots")).hasSize(snapshots.size() + 1);
        }
        try (Repository repo = f.open()) {
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
            // with full rights, prune cleans up what the append-only runs left (probes, the backup's marker)
            new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(f.files("locks").keySet()).noneMatch(n -> n.startsWith("probe-"));
        }
    }

    @Test
    void aCrashedBackupsMarkerIsWatchedThenRemovedAndDoesNotBlockForever() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 8, 10);
        try (Repository repo = f.open()) {
            Id first = f.backup(repo, src).id();
            RetentionFixture.modify(src, new Random(9));
            f.backup(repo, src);
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
            f.expected.remove(first);
        }
        // a backup that "crashed": its marker stays and never advances
        try (Repository crashed = f.open()) {
            Session s = crashed.startSession("backup");
            // stop its heartbeat without removing the marker, as a kill -9 would
            java.lang.reflect.Field timer = Session.class.getDeclaredField("timer");
            timer.setAccessible(true);
            ((java.util.concurrent.ExecutorService) timer.get(s)).shutdownNow();
        }
        try (Repository repo = f.open()) {
            List<String> notes = new ArrayList<>();
            Pruner.Result first = new Pruner(repo, RetentionFixture.pruneOptions("0d"), notes::add).prune();
            // the plan is armed with the crashed session: its packs wait
            assertThat(first.packsDeleted()).isZero();
            assertThat(first.packsWaiting()).isPositive();
            assertThat(first.waitingFor()).hasSize(1).allMatch(w -> w.contains("backup on " + "testhost"));
            long t0 = System.nanoTime();
            Pruner.Result second = new Pruner(repo, RetentionFixture.pruneOptions("0d"), notes::add).prune();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(RetentionFixture.PATIENCE);
            assertThat(second.staleMarkersRemoved()).isEqualTo(1);
            assertThat(second.packsDeleted()).isPositive();
            assertThat(notes).anyMatch(n -> n.contains("watching 1 session marker"))
                    .anyMatch(n -> n.contains("did not advance"));
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }

    @Test
    void aBackupThatWasAliveWhenThePlanWasArmedAndDiedLaterIsFoundDeadByALaterPrune() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 13, 10);
        try (Repository repo = f.open()) {
            Id first = f.backup(repo, src).id();
            RetentionFixture.modify(src, new Random(14));
            f.backup(repo, src);
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
            f.expected.remove(first);
        }
        try (Repository backupRepo = f.open(); Repository repo = f.open()) {
            Session running = backupRepo.startSession("backup");
            Pruner.Result armed = new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(armed.packsWaiting()).isPositive();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (running.marker().generation() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // it advanced since the plan was armed, then its process died (its marker stays, frozen)
            java.lang.reflect.Field timer = Session.class.getDeclaredField("timer");
            timer.setAccessible(true);
            ((java.util.concurrent.ExecutorService) timer.get(running)).shutdownNow();
            Thread.sleep(3 * RetentionFixture.HEARTBEAT.toMillis());

            Pruner.Result seenAlive = new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(seenAlive.packsDeleted()).as("it moved since the plan was armed").isZero();
            Pruner.Result foundDead = new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(foundDead.staleMarkersRemoved()).isPositive();
            assertThat(foundDead.packsDeleted()).isPositive();
            assertThat(foundDead.packsWaiting()).isZero();
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }

    @Test
    void aSecondPruneWhileOneIsAliveStopsAndAStaleLockIsRemoved() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        try (Repository holder = f.open(); Repository other = f.open()) {
            try (Session alive = holder.startMaintenanceLock("prune")) {
                assertThatThrownBy(() -> new Pruner(other, RetentionFixture.pruneOptions("0d"), n -> { }).prune())
                        .isInstanceOf(VaultBusyException.class).hasMessageContaining("another prune, undelete or heal")
                        .hasMessageContaining("testhost");
                assertThat(alive.expired()).isFalse();
            }
            // a dead lock: saved, never refreshed
            Session dead = holder.startMaintenanceLock("prune");
            java.lang.reflect.Field timer = Session.class.getDeclaredField("timer");
            timer.setAccessible(true);
            ((java.util.concurrent.ExecutorService) timer.get(dead)).shutdownNow();
            new Pruner(other, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(other.locks().markers(LockFolder.PRUNE)).isEmpty();
        }
    }

    @Test
    void damageThatHidesWhatSnapshotsReferenceMakesPruneDeleteNothing() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 10, 20);
        Id first;
        Id second;
        try (Repository repo = f.open()) {
            first = f.backup(repo, src).id();
            Files.delete(Files.list(src.resolve("shoot-0")).sorted().findFirst().orElseThrow());
            second = f.backup(repo, src).id();
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
        }
        // damage the pack that holds the second snapshot's root tree
        Path treePack;
        try (Repository repo = f.open()) {
            PackedBlob root = repo.index().get(repo.loadSnapshot(second).tree());
            treePack = f.vault.resolve("data").resolve(root.pack().hex().substring(0, 2)).resolve(root.pack().hex());
            byte[] b = Files.readAllBytes(treePack);
            b[(int) root.offset() + 40] ^= 0x55;
            Files.write(treePack, b);
        }
        SortedMap<String, Long> data = f.files("data");
        SortedMap<String, Long> snaps = f.files("snapshots");
        try (Repository repo = f.open()) {
            assertThatThrownBy(() -> new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune())
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("prune deletes nothing")
                    .hasMessageContaining("snapshot " + second.shortHex()).hasMessageContaining("tree")
                    .hasMessageContaining("check --read-data");
        }
        assertThat(f.files("data")).isEqualTo(data);
        assertThat(f.files("snapshots")).isEqualTo(snaps);

    }

    @Test
    void aMissingPackThatSnapshotsNeedStopsPruneAndOneNobodyNeedsIsDroppedFromTheIndex() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 12, 20);
        Id first;
        try (Repository repo = f.open()) {
            first = f.backup(repo, src).id();
            try (var s = Files.list(src.resolve("shoot-0"))) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            f.backup(repo, src);
        }
        // a pack only the first snapshot needs, lost (or deleted long ago, with an index file a crash brought back)
        Id onlyFirst;
        Id needed;
        try (Repository repo = f.open()) {
            java.util.Set<Id> usedBySecond = new java.util.HashSet<>();
            Id secondTree = repo.liveSnapshots().stream().filter(s -> !s.id().equals(first)).findFirst().orElseThrow()
                    .snapshot().tree();
            for (var e : new TreeWalker(repo).list(secondTree, "", true)) {
                if (e.node().content() != null) {
                    usedBySecond.addAll(e.node().content());
                }
            }
            onlyFirst = null;
            needed = null;
            for (var e : repo.index().byPack().entrySet()) {
                boolean used = e.getValue().stream().anyMatch(b -> usedBySecond.contains(b.id()));
                boolean data = e.getValue().stream().allMatch(b -> b.type() == triplicate.core.BlobType.DATA);
                if (!used && data && onlyFirst == null) {
                    onlyFirst = e.getKey();
                } else if (used && data && needed == null) {
                    needed = e.getKey();
                }
            }
            assertThat(onlyFirst).isNotNull();
            assertThat(needed).isNotNull();
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
            f.expected.remove(first);
        }
        Path lost = f.vault.resolve("data").resolve(needed.hex().substring(0, 2)).resolve(needed.hex());
        byte[] keep = Files.readAllBytes(lost);
        Files.delete(lost);
        SortedMap<String, Long> data = f.files("data");
        SortedMap<String, Long> index = f.files("index");
        try (Repository repo = f.open()) {
            assertThatThrownBy(() -> new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune())
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("prune deletes nothing")
                    .hasMessageContaining("only in a missing pack").hasMessageContaining(needed.shortHex());
        }
        assertThat(f.files("data")).isEqualTo(data);
        assertThat(f.files("index")).as("no index file rewritten").isEqualTo(index);
        Files.write(lost, keep);

        Id gone = onlyFirst;
        Files.delete(f.vault.resolve("data").resolve(gone.hex().substring(0, 2)).resolve(gone.hex()));
        try (Repository repo = f.open()) {
            Pruner.Result r = new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
            assertThat(r.warnings()).anyMatch(w -> w.contains("missing from the storage") && w.contains(gone.shortHex()));
            assertThat(r.snapshotsPurged()).isEqualTo(1);
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }

    @Test
    void aDamagedPackThatWouldBeRepackedStaysAndTheRestIsPruned() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        Path src = RetentionFixture.makeSource(tmp.resolve("photos"), 11, 40);
        Id first;
        try (Repository repo = f.open()) {
            first = f.backup(repo, src).id();
            List<Path> all;
            try (var s = Files.walk(src)) {
                all = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (int i = 0; i < all.size(); i++) {
                if (i % 4 != 0) {
                    Files.delete(all.get(i));
                }
            }
            f.backup(repo, src);
            new SoftDelete(repo).forget(List.of(first), Instant.EPOCH);
            f.expected.remove(first);
        }
        // damage a data blob that the second snapshot still uses, in a pack the prune will want to repack
        Id damagedPack;
        try (Repository repo = f.open()) {
            Pruner.Result dry = new Pruner(repo, RetentionFixture.pruneOptions("0d", 30, true), n -> { }).prune();
            assertThat(dry.packsRepacked()).isPositive();
            Map<Id, List<PackedBlob>> byPack = repo.index().byPack();
            Id second = repo.liveSnapshots().get(0).snapshot().tree();
            java.util.Set<Id> used = new java.util.HashSet<>();
            for (var e : new TreeWalker(repo).list(second, "", true)) {
                if (e.node().content() != null) {
                    used.addAll(e.node().content());
                }
            }
            PackedBlob victim = null;
            for (List<PackedBlob> blobs : byPack.values()) {
                long usedHere = blobs.stream().filter(b -> used.contains(b.id())).count();
                if (usedHere > 0 && usedHere * 3 < blobs.size() && blobs.get(0).type() == triplicate.core.BlobType.DATA) {
                    victim = blobs.stream().filter(b -> used.contains(b.id())).findFirst().orElseThrow();
                    break;
                }
            }
            assertThat(victim).as("a mostly unused data pack with a live blob").isNotNull();
            damagedPack = victim.pack();
            Path p = f.vault.resolve("data").resolve(damagedPack.hex().substring(0, 2)).resolve(damagedPack.hex());
            byte[] b = Files.readAllBytes(p);
            b[(int) victim.offset() + 30] ^= 0x01;
            Files.write(p, b);
        }
        try (Repository repo = f.open()) {
            Pruner.Result r = new Pruner(repo, RetentionFixture.pruneOptions("0d", 30, false), n -> { }).prune();
            assertThat(r.warnings()).anyMatch(w -> w.contains("pack " + damagedPack.shortHex() + " is damaged")
                    && w.contains("stays"));
            assertThat(f.files("data").keySet()).anyMatch(n -> n.endsWith(damagedPack.hex()));
            assertThat(r.packsDeleted()).isPositive();
        }
    }

    @Test
    void aFormat1VaultMustBeMigratedFirst() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, new FakeClock());
        try (Repository repo = f.open()) {
            // rewrite the config as format 1 (what a vault made before retention holds)
            java.lang.reflect.Method seal = triplicate.repository.VaultConfig.class.getDeclaredMethod("seal",
                    triplicate.crypto.Sealer.class, int.class);
            seal.setAccessible(true);
            byte[] v1 = (byte[]) seal.invoke(repo.config(), repo.sealer(), 1);
            repo.backend().remove(triplicate.backend.Handle.config());
            repo.backend().save(triplicate.backend.Handle.config(), triplicate.backend.Source.of(v1));
        }
        try (Repository repo = f.open()) {
            assertThat(repo.formatVersion()).isEqualTo(1);
            assertThatThrownBy(() -> new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune())
                    .hasMessageContaining("format 1").hasMessageContaining("triplicate migrate");
            assertThatThrownBy(() -> new SoftDelete(repo).forget(List.of(), Instant.EPOCH))
                    .hasMessageContaining("format 1");
            assertThat(repo.upgrade()).isEqualTo(1);
            assertThat(repo.formatVersion()).isEqualTo(2);
        }
        try (Repository repo = f.open()) {
            assertThat(repo.formatVersion()).isEqualTo(2);
            new Pruner(repo, RetentionFixture.pruneOptions("0d"), n -> { }).prune();
        }
        assertThat(Files.exists(f.vault.resolve("locks"))).isTrue();
        assertThat(f.files("locks").keySet()).noneMatch(n -> n.startsWith("upgrade-"));
        assertThat(FileType.LOCK.folder()).isEqualTo("locks");
    }
}
