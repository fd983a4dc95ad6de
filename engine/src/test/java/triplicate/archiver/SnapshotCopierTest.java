package triplicate.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.local.LocalBackend;
import triplicate.backend.testkit.CountingBackend;
import triplicate.backend.testkit.Operation;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.crypto.Password;
import triplicate.maintenance.Checker;
import triplicate.repository.Repository;
import triplicate.snapshot.Snapshot;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * Copying snapshots between vaults with different keys: with equal chunkers the chunks move as they are, with
 * different ones the files are cut again; either way the copy restores byte-identical and keeps the snapshot's
 * time, host, paths and tags; blobs the destination has are not stored again, a snapshot copied before is skipped,
 * and the next snapshot of the same library reads only what changed.
 */
class SnapshotCopierTest {
    @TempDir
    Path tmp;

    private Path library() throws IOException {
        Path lib = tmp.resolve("library");
        Random r = new Random(3);
        for (int i = 0; i < 20; i++) {
            Fingerprint.writeRandom(lib.resolve("shoot-" + (i % 3)).resolve("IMG_" + i + ".CR3"), 200 + i,
                    1_000 + r.nextInt(50_000));
        }
        return lib;
    }

    private Repository destination(Path dir, Repository sameChunkerAs) throws IOException {
        try (Password p = Password.of("another password".toCharArray())) {
            return Repository.init(new CountingBackend(LocalBackend.create(dir)), p, TestVaults.options(),
                    sameChunkerAs == null ? null : sameChunkerAs.config().chunkerParams());
        }
    }

    private static long saves(Repository repo) {
        return ((CountingBackend) repo.backend()).count(Operation.SAVE);
    }

    private void assertRestoresAs(Repository repo, Id snapshot, Path expected, String into) throws IOException {
        Path out = tmp.resolve(into);
        assertThat(TestVaults.restore(repo, snapshot, null, out).problems()).isEmpty();
        assertThat(Fingerprint.contentOf(out.resolve(expected.getFileName().toString())))
                .isEqualTo(Fingerprint.contentOf(expected));
    }

    @Test
    void sameChunkerCopiesChunksAsTheyAreAndNextTimeOnlyWhatChanged() throws IOException {
        Path lib = library();
        try (Repository from = TestVaults.init(tmp.resolve("a"));
             Repository to = destination(tmp.resolve("b"), from)) {
            Id first = TestVaults.backup(from, new BackupOptions(List.of(), List.of("weekly"), TestVaults.HOST,
                    TestVaults.USER, null, false, 2, java.time.InstantSource.system()), lib).id();
            SnapshotCopier copier = new SnapshotCopier(from, to, tmp.resolve("scratch"));
            assertThat(copier.sameChunks()).isTrue();
            SnapshotCopier.Copied c = copier.copy(first);
            assertThat(c.alreadyThere()).isFalse();
            assertThat(c.files()).isEqualTo(20);
            assertThat(c.filesReused()).isZero();
            Snapshot s = from.loadSnapshot(first);
            Snapshot copy = to.loadSnapshot(c.copy());
            assertThat(List.of(copy.time(), copy.host(), copy.username(), copy.paths(), copy.tags()))
                    .isEqualTo(List.of(s.time(), s.host(), s.username(), s.paths(), s.tags()));
            assertThat(copy.tags()).containsExactly("weekly");
            // the same chunks: as many data blobs, as many bytes
            assertThat(to.index().all().stream().filter(b -> b.type() == BlobType.DATA).count())
                    .isEqualTo(from.index().all().stream().filter(b -> b.type() == BlobType.DATA).count());
            assertRestoresAs(to, c.copy(), lib, "out1");

            long before = saves(to);
            SnapshotCopier.Copied again = new SnapshotCopier(from, to, tmp.resolve("scratch")).copy(first);
            assertThat(again.alreadyThere()).isTrue();
            assertThat(again.copy()).isEqualTo(c.copy());
            assertThat(saves(to)).isEqualTo(before);

            Fingerprint.writeRandom(lib.resolve("shoot-1/NEW.CR3"), 999, 40_000);
            Id second = TestVaults.backup(from, lib).id();
            before = saves(to);
            SnapshotCopier.Copied next = new SnapshotCopier(from, to, tmp.resolve("scratch")).copy(second);
            // the unchanged folders were not even opened; in the changed one, only the new file was read
            assertThat(next.files()).isEqualTo(8);
            assertThat(next.filesReused()).isEqualTo(7);
            assertThat(next.bytesAdded()).isLessThan(40_000 + 8_000);
            // one or two packs of new data and trees, their index, the snapshot
            assertThat(saves(to) - before).isBetween(3L, 5L);
            assertThat(to.loadSnapshot(next.copy()).parent()).isEqualTo(c.copy());
            assertRestoresAs(to, next.copy(), lib, "out2");
            assertThat(new Checker(to, 2).check(1.0, new Random(1)).errors()).isEmpty();
        }
        assertThat(tmp.resolve("scratch")).doesNotExist();
    }

    @Test
    void differentChunkersCutEveryFileAgain() throws IOException {
        Path lib = library();
        try (Repository from = TestVaults.init(tmp.resolve("a"));
             Repository to = destination(tmp.resolve("b"), null)) {
            Id first = TestVaults.backup(from, lib).id();
            SnapshotCopier copier = new SnapshotCopier(from, to, tmp.resolve("scratch"));
            assertThat(copier.sameChunks()).isFalse();
            SnapshotCopier.Copied c = copier.copy(first);
            assertThat(c.rechunked()).isTrue();
            assertRestoresAs(to, c.copy(), lib, "out1");
            assertThat(tmp.resolve("scratch")).isEmptyDirectory();

            Files.write(lib.resolve("shoot-2/IMG_2.CR3"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            Id second = TestVaults.backup(from, lib).id();
            SnapshotCopier.Copied next = new SnapshotCopier(from, to, tmp.resolve("scratch")).copy(second);
            assertThat(next.files()).isEqualTo(6); // the changed file's folder
            assertThat(next.filesReused()).isEqualTo(5);
            assertRestoresAs(to, next.copy(), lib, "out2");
            assertThat(new Checker(to, 2).check(1.0, new Random(1)).errors()).isEmpty();
        }
    }

    @Test
    void chunksTheDestinationHasAreNotStoredAgain() throws IOException {
        Path lib = library();
        try (Repository from = TestVaults.init(tmp.resolve("a"));
             Repository to = destination(tmp.resolve("b"), from)) {
            Id first = TestVaults.backup(from, lib).id();
            TestVaults.backup(to, lib); // the destination backed up the same files itself
            long dataBytes = to.writeStats().bytesAdded();
            SnapshotCopier.Copied c = new SnapshotCopier(from, to, tmp.resolve("scratch")).copy(first);
            // only the trees are new (their nodes differ: the copies keep the source's snapshot's metadata)
            assertThat(c.bytesAdded()).isLessThan(dataBytes / 20);
            assertRestoresAs(to, c.copy(), lib, "out");
        }
    }
}
