package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import triplicate.backend.FileInfo;
import triplicate.backend.mem.MemoryBackend;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.repository.index.PackedBlob;

class RepositoryWritePathTest {
    private static final int PACK_SIZE = 64 * 1024;

    private final MemoryBackend backend = new MemoryBackend("repository-test");

    private RepositoryOptions options() {
        return new RepositoryOptions(new SecureRandom(), InstantSource.system(), KdfParams.forTests(), PACK_SIZE, 2,
                "host", "user", null);
    }

    private static Password password() {
        return Password.of("secret".toCharArray());
    }

    /** A blob's bytes: random, or (every third) compressible text, sometimes larger than a pack. */
    private static byte[] content(SplittableRandom r, int i) {
        int size = i % 50 == 7 ? PACK_SIZE + r.nextInt(PACK_SIZE) : r.nextInt(20_000);
        byte[] b = new byte[size];
        if (i % 3 == 0) {
            for (int k = 0; k < size; k++) {
                b[k] = (byte) ("photo " + (k / 7)).charAt(k % 6);
            }
        } else {
            r.nextBytes(b);
        }
        return b;
    }

    @Test
    void blobsSavedFromSlicesByManyThreadsReadBackAfterReopening() throws Exception {
        Map<Id, byte[]> saved = new HashMap<>();
        try (Repository repo = Repository.init(backend, password(), options())) {
            SplittableRandom r = new SplittableRandom(21);
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                contents.add(content(r, i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Map<Id, byte[]>>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        IdHasher hasher = repo.newIdHasher();
                        Map<Id, byte[]> mine = new HashMap<>();
                        byte[] scratch = new byte[4 * PACK_SIZE];
                        // every thread saves every blob (so most saves are duplicates), from a slice of a scratch
                        // buffer that is overwritten right after
                        for (int i = 0; i < contents.size(); i++) {
                            byte[] c = contents.get((i + thread * 150) % contents.size());
                            int off = (i * 31) % (scratch.length - c.length + 1);
                            System.arraycopy(c, 0, scratch, off, c.length);
                            Id id = hasher.id(scratch, off, c.length);
                            repo.saveBlob(BlobType.DATA, id, scratch, off, c.length);
                            Arrays.fill(scratch, off, off + c.length, (byte) 0x55);
                            mine.put(id, c);
                        }
                        return mine;
                    }));
                }
                for (Future<Map<Id, byte[]>> f : futures) {
                    saved.putAll(f.get());
                }
            } finally {
                pool.shutdown();
            }
            repo.flush();
            assertThat(repo.writeStats().blobsAdded()).isEqualTo(saved.size());
        }

        try (Repository repo = Repository.open(backend, password(), options())) {
            assertThat(repo.index().size()).isEqualTo(saved.size());
            for (Map.Entry<Id, byte[]> e : saved.entrySet()) {
                assertThat(repo.loadBlob(BlobType.DATA, e.getKey())).isEqualTo(e.getValue());
            }
            Map<Id, List<PackedBlob>> byPack = repo.index().byPack();
            for (FileInfo f : backend.list(FileType.PACK)) {
                Id pack = Id.parse(f.name());
                List<PackedBlob> header = repo.readPackHeader(pack, f.size());
                assertThat(header).containsExactlyInAnyOrderElementsOf(byPack.get(pack));
                long data = header.stream().mapToLong(PackedBlob::length).sum();
                // a pack ends before the blob that would take it past the pack size, unless that blob is alone
                assertThat(data <= PACK_SIZE || header.size() == 1).as("pack %s: %d bytes in %d blobs", pack,
                        data, header.size()).isTrue();
                assertThat(Repository.sha256(backend.load(new triplicate.backend.Handle(FileType.PACK, f.name()))))
                        .isEqualTo(pack);
            }
            assertThat(byPack.keySet()).hasSize(backend.list(FileType.PACK).size());
        }
    }

    @Test
    void compressibleBlobsAreStoredCompressedAndReadBackWhole() throws IOException {
        byte[] text = new byte[200_000];
        for (int k = 0; k < text.length; k++) {
            text[k] = (byte) ('a' + (k % 13));
        }
        Id id;
        try (Repository repo = Repository.init(backend, password(), options())) {
            id = repo.newIdHasher().id(text, 0, text.length);
            assertThat(repo.saveBlob(BlobType.DATA, id, text)).isTrue();
            assertThat(repo.saveBlob(BlobType.DATA, id, text)).isFalse();
            repo.flush();
        }
        try (Repository repo = Repository.open(backend, password(), options())) {
            PackedBlob where = repo.index().get(id);
            assertThat(where.compressed()).isTrue();
            assertThat(where.length()).isLessThan(text.length / 10);
            assertThat(repo.loadBlob(BlobType.DATA, id)).isEqualTo(text);
        }
    }
}
