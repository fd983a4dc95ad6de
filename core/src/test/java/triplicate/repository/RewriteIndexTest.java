package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import triplicate.backend.FileInfo;
import triplicate.backend.mem.MemoryBackend;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.IdHasher;
import triplicate.crypto.Password;
import triplicate.repository.index.PackedBlob;

/**
 * Blobs stored again ({@code saveBlobAgain}) serve from their new copy; {@code rewriteIndex} drops index entries and
 * retires packs only when every dropped blob is stored and indexed elsewhere (or given up), and otherwise changes
 * nothing.
 */
class RewriteIndexTest {
    private static final Password PW = Password.of("pw".toCharArray());

    private static List<Id> fill(Repository repo, int n) throws Exception {
        IdHasher h = repo.newIdHasher();
        SplittableRandom r = new SplittableRandom(5);
        List<Id> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[3_000 + r.nextInt(3_000)];
            r.nextBytes(b);
            Id id = h.id(b, 0, b.length);
            repo.saveBlob(BlobType.DATA, id, b);
            ids.add(id);
        }
        repo.flush();
        return ids;
    }

    private static Set<String> names(MemoryBackend b, FileType t) throws Exception {
        return new java.util.TreeSet<>(b.list(t).stream().map(FileInfo::name).toList());
    }

    @Test
    void aPackIsRetiredOnceEveryBlobOfItIsStoredAgain() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        Id retired;
        List<Id> ids;
        try (Repository repo = Repository.init(backend, PW, TestVaults.options().withPackSize(16 * 1024))) {
            ids = fill(repo, 30);
            retired = repo.index().get(ids.get(0)).pack();
            List<PackedBlob> inIt = repo.index().all().stream().filter(b -> b.pack().equals(retired)).toList();
            for (PackedBlob b : inIt) {
                byte[] plain = repo.loadBlob(b.type(), b.id());
                assertThat(repo.saveBlobAgain(b.type(), b.id(), plain, 0, plain.length)).isTrue();
            }
            repo.flush();
            assertThat(repo.index().get(ids.get(0)).pack()).isNotEqualTo(retired);
            Repository.IndexRewrite r = repo.rewriteIndex(b -> false, Set.of(retired), Set.of());
            assertThat(r.packsDeleted()).isEqualTo(1);
            assertThat(r.entriesDropped()).isEqualTo(inIt.size());
            assertThat(repo.index().knowsPack(retired)).isFalse();
        }
        assertThat(names(backend, FileType.PACK)).doesNotContain(retired.hex());
        try (Repository repo = Repository.open(backend, PW, TestVaults.options())) {
            assertThat(repo.index().knowsPack(retired)).isFalse();
            for (Id id : ids) {
                assertThat(repo.loadBlob(BlobType.DATA, id)).isNotEmpty();
            }
        }
    }

    @Test
    void droppingTheOnlyCopyIsRefusedAndChangesNothing() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        try (Repository repo = Repository.init(backend, PW, TestVaults.options().withPackSize(16 * 1024))) {
            List<Id> ids = fill(repo, 10);
            Id pack = repo.index().get(ids.get(3)).pack();
            Set<String> packs = names(backend, FileType.PACK);
            Set<String> index = names(backend, FileType.INDEX);
            assertThatThrownBy(() -> repo.rewriteIndex(b -> b.id().equals(ids.get(3)), Set.of(), Set.of()))
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("no other copy");
            assertThatThrownBy(() -> repo.rewriteIndex(b -> false, Set.of(pack), Set.of()))
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("nothing was changed");
            assertThat(names(backend, FileType.PACK)).isEqualTo(packs);
            assertThat(names(backend, FileType.INDEX)).isEqualTo(index);
            // given up explicitly (damaged, used by nothing): then it may go
            Set<Id> inPack = new java.util.HashSet<>();
            repo.index().all().stream().filter(b -> b.pack().equals(pack)).forEach(b -> inPack.add(b.id()));
            assertThat(repo.rewriteIndex(b -> false, Set.of(pack), inPack).packsDeleted()).isEqualTo(1);
        }
    }
}
