package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.FaultInjectingBackend;
import triplicate.backend.testkit.Operation;
import triplicate.backend.testkit.RefusingDeletesBackend;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.backend.wrap.RetryingBackend;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.SessionExpiredException;
import triplicate.crypto.IdHasher;
import triplicate.crypto.Password;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * The records of the {@code locks/} folder and what the repository does with them: forget records and the live,
 * forgotten and latest snapshots; prune plans and retiring packs (not reused, not re-indexed, read from elsewhere when
 * possible); index files rewritten under a reader; session heartbeats, dead records and append-only storage.
 */
class LockFolderTest {
    private static Password pw() {
        return Password.of("locks".toCharArray());
    }

    private static RepositoryOptions options() {
        return TestVaults.options().withHeartbeat(Duration.ofMillis(20));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static Id snapshot(Repository repo, String tag, Instant time) throws IOException {
        Id tree = repo.saveTree(new Tree(List.of()), repo.newIdHasher());
        repo.flush();
        return repo.saveSnapshot(new Snapshot(1, time, "h", "u", List.of("/p"), List.of(tag), tree, null, null,
                List.of(), "test"));
    }

    @Test
    void forgetRecordsHideSnapshotsFromTheLiveListAndFromLatest() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        try (Repository repo = Repository.init(backend, pw(), options())) {
            Id a = snapshot(repo, "a", Instant.parse("2024-01-01T00:00:00Z"));
            Id b = snapshot(repo, "b", Instant.parse("2024-01-02T00:00:00Z"));
            Id c = snapshot(repo, "c", Instant.parse("2024-01-03T00:00:00Z"));
            String name = repo.locks().saveForgetRecord(Instant.parse("2024-02-01T00:00:00Z"), "h", "u", List.of(c, a));
            assertThat(name).matches("forget-[0-9a-f]{64}");
            assertThat(repo.forgotten()).containsOnlyKeys(a, c);
            assertThat(repo.liveSnapshots()).extracting(Repository.SnapshotRef::id).containsExactly(b);
            assertThat(repo.listSnapshots(Repository.Selection.FORGOTTEN, (n, e) -> { }))
                    .extracting(Repository.SnapshotRef::id).containsExactly(a, c);
            assertThat(repo.listSnapshots()).hasSize(3);
            assertThat(repo.resolveSnapshot("latest")).isEqualTo(b);
            assertThat(repo.resolveSnapshot(c.hex().substring(0, 10))).as("a prefix names any snapshot").isEqualTo(c);

            // a second record naming c later: the latest time counts
            repo.locks().saveForgetRecord(Instant.parse("2024-03-01T00:00:00Z"), "h2", "u2", List.of(c));
            assertThat(repo.forgotten()).containsEntry(c, Instant.parse("2024-03-01T00:00:00Z"));

            // a damaged record is reported and ignored: what it names counts as live
            byte[] stored = backend.load(new Handle(FileType.LOCK, name));
            stored[stored.length - 1] ^= 1;
            backend.remove(new Handle(FileType.LOCK, name));
            backend.save(new Handle(FileType.LOCK, name), Source.of(stored));
            List<String> damaged = new ArrayList<>();
            repo.locks().forgetRecords((n, e) -> damaged.add(n + ": " + e.getMessage()));
            assertThat(damaged).singleElement().asString().contains("does not match its name");
            assertThat(repo.forgotten()).containsOnlyKeys(c);
        }
    }

    @Test
    void retiringPacksAreReadableButNotReusedAndNotReindexed() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        byte[] data = random(30_000, 1);
        Id id;
        Id pack;
        try (Repository repo = Repository.init(backend, pw(), options())) {
            IdHasher h = repo.newIdHasher();
            id = h.id(data, 0, data.length);
            repo.saveBlob(BlobType.DATA, id, data);
            repo.flush();
            pack = repo.index().get(id).pack();
            String pending = repo.locks().savePlan(Instant.EPOCH, "h", List.of(pack), null);
            assertThat(repo.locks().plans((n, e) -> { })).singleElement().satisfies(p -> {
                assertThat(p.armed()).isFalse();
                assertThat(p.packs()).containsExactly(pack);
            });
            repo.locks().savePlan(Instant.EPOCH, "h", List.of(pack), Map.of("0123456789abcdef", 3L));
            repo.locks().remove(pending);
            assertThat(repo.locks().plans((n, e) -> { })).singleElement()
                    .satisfies(p -> assertThat(p.waitFor()).containsEntry("0123456789abcdef", 3L));
        }
        try (Repository repo = Repository.open(backend, pw(), options())) {
            assertThat(repo.index().retiring()).containsExactly(pack);
            assertThat(repo.index().has(id)).as("not present for deduplication").isFalse();
            assertThat(repo.loadBlob(BlobType.DATA, id)).as("but readable").isEqualTo(data);
            // a backup stores it again, in a new pack, which the index then prefers
            assertThat(repo.saveBlob(BlobType.DATA, id, data)).isTrue();
            repo.flush();
            PackedBlob now = repo.index().get(id);
            assertThat(now.pack()).isNotEqualTo(pack);
            assertThat(repo.index().has(id)).isTrue();
        }
        try (Repository repo = Repository.open(backend, pw(), options())) {
            assertThat(repo.index().get(id).pack()).as("whatever the order of index files").isNotEqualTo(pack);
            // once the index no longer names it, a retiring pack is not taken for a crashed backup's orphan
            repo.dropFromIndex(Set.of(pack));
            assertThat(repo.indexOrphanPacks()).isZero();
            assertThat(repo.index().knowsPack(pack)).isFalse();
            assertThat(repo.loadBlob(BlobType.DATA, id)).isEqualTo(data);
        }
    }

    @Test
    void aReaderWhoseIndexFilesAreRewrittenUnderItReadsTheNewOnes() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        List<Id> ids = new ArrayList<>();
        Id firstPack;
        try (Repository repo = Repository.init(backend, pw(), options())) {
            IdHasher h = repo.newIdHasher();
            for (int i = 0; i < 6; i++) {
                byte[] b = random(40_000, i);
                Id id = h.id(b, 0, b.length);
                repo.saveBlob(BlobType.DATA, id, b);
                ids.add(id);
            }
            repo.flush();
            firstPack = repo.index().get(ids.get(0)).pack();
        }
        // a reader that lists the index files, then finds one gone when it reads it (a prune rewrote it meanwhile)
        boolean[] once = {true};
        Backend racing = new ForwardingBackend(backend) {
            @Override
            public List<FileInfo> list(FileType type) throws IOException {
                List<FileInfo> l = inner.list(type);
                if (type == FileType.INDEX && once[0]) {
                    once[0] = false;
                    try (Repository pruner = Repository.open(backend, pw(), options())) {
                        pruner.dropFromIndex(Set.of(firstPack));
                    }
                }
                return l;
            }
        };
        try (Repository repo = Repository.open(racing, pw(), options())) {
            assertThat(repo.index().knowsPack(firstPack)).isFalse();
            for (Id id : ids) {
                if (!repo.index().has(id)) {
                    assertThat(backend.exists(new Handle(FileType.PACK, firstPack.hex()))).isTrue();
                } else {
                    assertThat(repo.index().get(id).pack()).isNotEqualTo(firstPack);
                }
            }
        }
    }

    @Test
    void sessionsAdvanceTheirMarkerAndStopOnADeadRecord() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        try (Repository repo = Repository.init(backend, pw(), options())) {
            Session s = repo.startSession("backup");
            assertThat(s.marker().fileName()).matches("session-[0-9a-f]{16}-0");
            long start = s.marker().generation();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.marker().generation() < start + 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(repo.locks().markers(LockFolder.SESSION)).as("older generations are removed").hasSize(1);
            LockFolder.MarkerInfo info = repo.locks().describe(repo.locks().markers(LockFolder.SESSION).get(0));
            assertThat(info).isNotNull();
            assertThat(info.activity()).isEqualTo("backup");
            assertThat(info.host()).isEqualTo("test-host");
            s.ensureAlive();

            repo.locks().saveDeadRecord(s.owner(), Instant.EPOCH, "pruner");
            assertThatThrownBy(s::ensureAlive).isInstanceOf(SessionExpiredException.class)
                    .hasMessageContaining("took it for").hasMessageContaining("dead-" + s.owner());
            s.close();
            assertThat(repo.locks().markers(LockFolder.SESSION)).isEmpty();
        }
    }

    @Test
    void aRemovalWhoseAnswerWasLostDoesNotExpireASession() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        Repository.init(backend, pw(), options()).close();
        // every removal takes effect, then its answer is lost; the retry finds the file gone
        Backend lossy = new RetryingBackend(FaultInjectingBackend.wrap(backend)
                .failRandomly(Operation.REMOVE, 1.0, FaultInjectingBackend.Failure.LOST_RESPONSE).build(),
                new RetryingBackend.Policy(3, Duration.ofMillis(1), Duration.ofMillis(1), 1), d -> { },
                new java.util.Random(1));
        try (Repository repo = Repository.open(lossy, pw(), options()); Session s = repo.startSession("backup")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.marker().generation() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(s.marker().generation()).isGreaterThanOrEqualTo(3);
            s.ensureAlive();
            assertThat(s.expired()).isFalse();
        }
    }

    @Test
    void onAppendOnlyStorageSessionsWorkAndTheProbeFails() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        Repository.init(backend, pw(), options()).close();
        try (Repository repo = Repository.open(new RefusingDeletesBackend(backend), pw(), options())) {
            Session s = repo.startSession("backup");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.marker().generation() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            s.ensureAlive();
            s.close();
            assertThat(repo.locks().markers(LockFolder.SESSION)).as("nothing could be removed").hasSizeGreaterThan(1);
            assertThat(repo.locks().newestMarkers(LockFolder.SESSION)).hasSize(1);
            assertThatThrownBy(() -> repo.locks().probeDeletes(new java.util.Random(1)))
                    .isInstanceOf(java.nio.file.AccessDeniedException.class);
            assertThat(repo.locks().probes()).hasSize(1);
        }
        try (Repository repo = Repository.open(backend, pw(), options())) {
            repo.locks().probeDeletes(new java.util.Random(2));
            assertThat(repo.locks().removeMarkers(LockFolder.SESSION, repo.locks().markers(LockFolder.SESSION).get(0)
                    .owner())).isGreaterThan(1);
            assertThat(repo.locks().markers(LockFolder.SESSION)).isEmpty();
            assertThatThrownBy(() -> backend.remove(new Handle(FileType.LOCK, "probe-0000000000000000")))
                    .isInstanceOf(NoSuchFileException.class);
        }
    }
}
