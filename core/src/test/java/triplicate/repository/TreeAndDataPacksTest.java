package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.StorageHint;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.ColdStorageBackend;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.BlobType;
import triplicate.core.ColdStorageException;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.crypto.Password;
import triplicate.repository.index.PackedBlob;
import triplicate.repository.pack.PackBuilder;

/**
 * Tree blobs and data blobs never share a pack, so the packs of data alone can go to a cold storage class while
 * folder listings stay readable: every pack saved as {@link StorageHint#MAY_BE_COLD} holds data blobs only, every
 * pack with a tree is {@link StorageHint#HOT}; and a vault written before, whose packs mix both, still reads.
 */
class TreeAndDataPacksTest {
    private static final int PACK_SIZE = 64 * 1024;

    /** Records the hint every pack was saved with. */
    static final class HintRecorder extends ForwardingBackend {
        final Map<String, StorageHint> hints = new ConcurrentHashMap<>();

        HintRecorder(Backend inner) {
            super(inner);
        }

        @Override
        public void save(Handle handle, Source source) throws IOException {
            if (handle.type() == FileType.PACK) {
                hints.put(handle.name(), source.storageHint());
            }
            super.save(handle, source);
        }
    }

    private static Password password() {
        return Password.of("secret".toCharArray());
    }

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void treesNeverGoIntoAPackHintedCold() throws IOException {
        HintRecorder backend = new HintRecorder(new MemoryBackend("mem"));
        Map<Id, BlobType> saved = new HashMap<>();
        try (Repository repo = Repository.init(backend, password(), TestVaults.options())) {
            IdHasher hasher = repo.newIdHasher();
            SplittableRandom r = new SplittableRandom(6);
            // interleaved, as a backup stores them: the chunks of a folder's files, then its listing
            for (int i = 0; i < 300; i++) {
                BlobType type = i % 5 == 4 ? BlobType.TREE : BlobType.DATA;
                byte[] content = random(r, type == BlobType.TREE ? 200 + r.nextInt(3000) : 1000 + r.nextInt(20_000));
                Id id = hasher.id(content, 0, content.length);
                repo.saveBlob(type, id, content);
                saved.put(id, type);
            }
            repo.flush();

            assertThat(backend.hints).hasSizeGreaterThan(4);
            int cold = 0;
            for (FileInfo f : backend.list(FileType.PACK)) {
                List<PackedBlob> blobs = repo.readPackHeader(Id.parse(f.name()), f.size());
                boolean trees = blobs.stream().anyMatch(b -> b.type() == BlobType.TREE);
                boolean data = blobs.stream().anyMatch(b -> b.type() == BlobType.DATA);
                assertThat(trees && data).as("pack %s mixes trees and data", f.name()).isFalse();
                assertThat(backend.hints.get(f.name())).as("pack %s", f.name())
                        .isEqualTo(trees ? StorageHint.HOT : StorageHint.MAY_BE_COLD);
                cold += trees ? 0 : 1;
            }
            assertThat(cold).isGreaterThan(2);
            for (var e : saved.entrySet()) {
                assertThat(repo.loadBlob(e.getValue(), e.getKey())).isNotEmpty();
            }
        }
    }

    @Test
    void repackedBlobsKeepTreesOutOfDataPacks() throws IOException {
        HintRecorder backend = new HintRecorder(new MemoryBackend("mem"));
        try (Repository repo = Repository.init(backend, password(), TestVaults.options())) {
            IdHasher hasher = repo.newIdHasher();
            SplittableRandom r = new SplittableRandom(7);
            // a pack as an older version wrote it: trees and data mixed
            PackBuilder mixed = new PackBuilder();
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                BlobType type = i % 2 == 0 ? BlobType.DATA : BlobType.TREE;
                byte[] c = random(r, 3000);
                contents.add(c);
                Id id = hasher.id(c, 0, c.length);
                BlobCodec.Payload p = BlobCodec.payload(new ZstdContexts(BlobCodec.LEVEL, BlobCodec.SAMPLE_LEVEL), c, 0,
                        c.length);
                mixed.seal(repo.sealer(), type, id, p.bytes(), p.offset(), p.length(), BlobCodec.aad(id, type), c.length,
                        p.compressed());
            }
            PackBuilder.Pack pack = mixed.finish(repo.sealer());
            assertThat(pack.storageHint()).as("a mixed pack stays hot").isEqualTo(StorageHint.HOT);
            backend.save(new Handle(FileType.PACK, pack.id().hex()), pack);
            assertThat(repo.indexOrphanPacks()).isEqualTo(1);

            // the old mixed pack reads as before
            for (int i = 0; i < contents.size(); i++) {
                BlobType type = i % 2 == 0 ? BlobType.DATA : BlobType.TREE;
                assertThat(repo.loadBlob(type, hasher.id(contents.get(i), 0, contents.get(i).length))).isEqualTo(contents.get(i));
            }

            // prune's repack copies sealed blobs by type: into separate packs
            List<PackedBlob> blobs = repo.readPackHeader(pack.id(), pack.length());
            HintRecorder copy = new HintRecorder(new MemoryBackend("copy"));
            for (FileType t : new FileType[] {FileType.CONFIG, FileType.KEY}) {
                for (FileInfo f : backend.list(t)) {
                    Handle h = t == FileType.CONFIG ? Handle.config() : new Handle(t, f.name());
                    copy.save(h, Source.of(backend.load(h)));
                }
            }
            try (Repository fresh = Repository.open(copy, password(), TestVaults.options())) {
                // the same vault without its packs and index: every blob copied is new there
                for (PackedBlob b : blobs) {
                    byte[] sealed = repo.loadSealed(b);
                    assertThat(fresh.copyBlob(b, sealed, 0)).isTrue();
                }
                fresh.flush();
            }
            assertThat(copy.hints).hasSize(2).containsValues(StorageHint.HOT, StorageHint.MAY_BE_COLD);
        }
    }

    @Test
    void aColdDataPackRefusesReadsUntilThawedWhileTreesStayReadable() throws IOException {
        java.nio.file.Path state = java.nio.file.Files.createTempDirectory("cold");
        triplicate.testkit.FakeClock clock = new triplicate.testkit.FakeClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        ColdStorageBackend cold = new ColdStorageBackend(new MemoryBackend("mem"), state, "DEEP_ARCHIVE", clock,
                java.time.Duration.ofHours(12));
        try (Repository repo = Repository.init(cold, password(), TestVaults.options())) {
            IdHasher hasher = repo.newIdHasher();
            byte[] data = random(new SplittableRandom(8), 5000);
            byte[] tree = "{\"nodes\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Id dataId = hasher.id(data, 0, data.length);
            Id treeId = hasher.id(tree, 0, tree.length);
            repo.saveBlob(BlobType.DATA, dataId, data);
            repo.saveBlob(BlobType.TREE, treeId, tree);
            repo.flush();

            assertThat(repo.loadBlob(BlobType.TREE, treeId)).isEqualTo(tree);
            assertThatThrownBy(() -> repo.loadBlob(BlobType.DATA, dataId)).isInstanceOf(ColdStorageException.class)
                    .hasMessageContaining("DEEP_ARCHIVE");
            Handle pack = new Handle(FileType.PACK, repo.index().get(dataId).pack().hex());
            assertThat(cold.requestThaw(pack, 1, triplicate.backend.ThawTier.STANDARD)).isTrue();
            assertThat(cold.requestThaw(pack, 1, triplicate.backend.ThawTier.STANDARD)).as("no second request").isFalse();
            assertThatThrownBy(() -> repo.loadBlob(BlobType.DATA, dataId)).isInstanceOf(ColdStorageException.class);
            clock.advance(java.time.Duration.ofHours(12));
            assertThat(repo.loadBlob(BlobType.DATA, dataId)).isEqualTo(data);
        }
    }
}
