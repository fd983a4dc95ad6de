package triplicate.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Handle;
import triplicate.backend.local.LocalBackend;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.Node;
import triplicate.snapshot.Tree;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * A restore reads each pack it needs once, with one ranged read covering the blobs it needs there, instead of one
 * read per blob: over an object store every read is a billed request and a round trip. A damaged blob in such a
 * read spoils only the files that hold it, not its neighbours.
 */
class CoalescedReadsTest {
    @TempDir
    Path tmp;

    /** Counts the reads of each pack. */
    private static final class PackReads extends ForwardingBackend {
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        PackReads(LocalBackend inner) {
            super(inner);
        }

        @Override
        public InputStream open(Handle handle, long offset, long length) throws IOException {
            if (handle.type() == FileType.PACK) {
                reads.computeIfAbsent(handle.name(), k -> new AtomicInteger()).incrementAndGet();
            }
            return super.open(handle, offset, length);
        }
    }

    private Path library() throws IOException {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 40; i++) {
            // 1 KiB to 150 KiB: several files, and many chunks, per 64 KiB pack; some files across packs
            Fingerprint.writeRandom(src.resolve("shoot-" + i % 3 + "/IMG_" + i + ".CR2"), i, 1024 + (i * 37_003) % 150_000);
        }
        return src;
    }

    @Test
    void everyPackIsReadOnceAndTheRestoreIsByteIdentical() throws IOException {
        Path src = library();
        Id snapshot;
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            snapshot = TestVaults.backup(repo, src).id();
        }
        PackReads backend = new PackReads(LocalBackend.open(tmp.resolve("vault")));
        try (Password p = TestVaults.password(); Repository repo = Repository.open(backend, p, TestVaults.options())) {
            Set<String> dataPacks = repo.index().all().stream().filter(b -> b.type() == BlobType.DATA)
                    .map(b -> b.pack().hex()).collect(Collectors.toSet());
            assertThat(dataPacks).hasSizeGreaterThan(20); // the point: many blobs in many packs
            long dataBlobs = repo.index().all().stream().filter(b -> b.type() == BlobType.DATA).count();
            assertThat(dataBlobs).isGreaterThan(3L * dataPacks.size());
            backend.reads.clear();

            RestoreResult r = new Restorer(repo, new RestoreProgress(), 4).restore(snapshot, null, tmp.resolve("out"));

            assertThat(r.problems()).isEmpty();
            assertThat(Fingerprint.contentOf(tmp.resolve("out/src"))).isEqualTo(Fingerprint.contentOf(src));
            // each tree is read on its own, once, while the restore walks the snapshot; the data, once per pack
            Map<String, Long> trees = repo.index().all().stream().filter(b -> b.type() == BlobType.TREE)
                    .collect(Collectors.groupingBy(b -> b.pack().hex(), Collectors.counting()));
            Map<String, Long> dataReads = backend.reads.entrySet().stream().filter(e -> dataPacks.contains(e.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue().get() - trees.getOrDefault(e.getKey(), 0L)));
            assertThat(dataReads.keySet()).isEqualTo(dataPacks);
            assertThat(dataReads.values()).as("reads of data per data pack").containsOnly(1L);
        }
    }

    @Test
    void restoringOneFileReadsOnlyThePacksThatHoldItOnceEach() throws IOException {
        Path src = library();
        Id snapshot;
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            snapshot = TestVaults.backup(repo, src).id();
        }
        PackReads backend = new PackReads(LocalBackend.open(tmp.resolve("vault")));
        try (Password p = TestVaults.password(); Repository repo = Repository.open(backend, p, TestVaults.options())) {
            Node big = fileNode(repo, snapshot, "shoot-1", "IMG_7.CR2"); // 1024 + 7 * 37003 % 150000 = 110045 bytes
            Set<String> holding = big.content().stream().map(id -> repo.index().get(id).pack().hex())
                    .collect(Collectors.toSet());
            backend.reads.clear();

            RestoreResult r = new Restorer(repo, new RestoreProgress(), 4)
                    .restore(snapshot, "src/shoot-1/IMG_7.CR2", tmp.resolve("out"));

            assertThat(r.problems()).isEmpty();
            assertThat(Fingerprint.sha256(tmp.resolve("out/src/shoot-1/IMG_7.CR2")))
                    .isEqualTo(Fingerprint.sha256(src.resolve("shoot-1/IMG_7.CR2")));
            Map<String, Integer> packReads = backend.reads.entrySet().stream()
                    .filter(e -> !isTreePack(repo, e.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
            assertThat(packReads.keySet()).isEqualTo(holding);
            assertThat(packReads.values()).containsOnly(1);
            assertThat(big.content().size()).as("chunks of the file").isGreaterThan(holding.size());
        }
    }

    @Test
    void aDamagedBlobSpoilsOnlyTheFilesHoldingItNotItsNeighboursInTheSameRead() throws IOException {
        Path src = library();
        Id snapshot;
        PackedBlob victim;
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            snapshot = TestVaults.backup(repo, src).id();
            Node node = fileNode(repo, snapshot, "shoot-0", "IMG_3.CR2");
            victim = repo.index().get(node.content().get(node.content().size() / 2));
            long neighbours = repo.index().byPack().get(victim.pack()).stream()
                    .filter(b -> b.type() == BlobType.DATA).count();
            assertThat(neighbours).as("blobs sharing the damaged blob's pack").isGreaterThan(1);
        }
        Path pack;
        try (Stream<Path> all = Files.walk(tmp.resolve("vault"))) {
            pack = all.filter(f -> f.getFileName().toString().equals(victim.pack().hex())).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
            long at = victim.offset() + victim.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x20);
        }

        try (Repository repo = TestVaults.open(tmp.resolve("vault"))) {
            RestoreResult r = new Restorer(repo, new RestoreProgress(), 4).restore(snapshot, null, tmp.resolve("out"));

            List<String> spoiled = r.problems().stream().map(RestoreResult.Problem::path).toList();
            assertThat(spoiled).containsExactly("src/shoot-0/IMG_3.CR2");
            assertThat(r.problems().get(0).message()).startsWith("not restored: ");
            assertThat(tmp.resolve("out/src/shoot-0/IMG_3.CR2")).doesNotExist();
            try (Stream<Path> out = Files.walk(tmp.resolve("out"))) {
                assertThat(out.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".triplicate-"));
            }
            // every other file, including those whose blobs were read in the same ranged read, is intact
            Map<String, String> expected = new java.util.TreeMap<>(Fingerprint.contentOf(src));
            expected.remove("shoot-0/IMG_3.CR2");
            assertThat(Fingerprint.contentOf(tmp.resolve("out/src"))).isEqualTo(expected);
        }
    }

    private static boolean isTreePack(Repository repo, String pack) {
        return repo.index().all().stream().filter(b -> b.pack().hex().equals(pack))
                .allMatch(b -> b.type() == BlobType.TREE);
    }

    private static Node fileNode(Repository repo, Id snapshot, String folder, String name) throws IOException {
        Tree root = repo.loadTree(repo.loadSnapshot(snapshot).tree());
        Tree src = repo.loadTree(child(root, "src").subtree());
        Tree dir = repo.loadTree(child(src, folder).subtree());
        return child(dir, name);
    }

    private static Node child(Tree tree, String name) {
        return tree.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }
}
