package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.core.UnsupportedVersionException;
import triplicate.core.VaultCorruptException;
import triplicate.core.VaultNotFoundException;
import triplicate.core.WrongPasswordException;
import triplicate.crypto.IdHasher;
import triplicate.crypto.Password;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

class RepositoryTest {
    private static Password pw(String s) {
        return Password.of(s.toCharArray());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    @Test
    void blobsSnapshotsAndTreesRoundTripThroughAReopenedVault() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        List<Id> ids = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        Id snapId;
        try (Repository repo = Repository.init(backend, pw("secret"), TestVaults.options())) {
            IdHasher h = repo.newIdHasher();
            for (int i = 0; i < 40; i++) {
                byte[] b = i % 2 == 0 ? random(10_000 + i * 997, i)
                        : ("compressible text " + i + " ").repeat(500).getBytes(StandardCharsets.UTF_8);
                Id id = h.id(b, 0, b.length);
                assertThat(repo.saveBlob(BlobType.DATA, id, b)).isTrue();
                assertThat(repo.saveBlob(BlobType.DATA, id, b)).as("a second save deduplicates").isFalse();
                ids.add(id);
                blobs.add(b);
            }
            Node file = new Node("a.jpg", NodeType.FILE, 0644, 1L, null, null, null, null, null, 5, ids.subList(0, 2),
                    null, null, null);
            Id tree = repo.saveTree(new Tree(List.of(file)), h);
            repo.flush();
            snapId = repo.saveSnapshot(new Snapshot(1, Instant.parse("2024-06-01T10:00:00Z"), "h", "u",
                    List.of("/p"), List.of("t"), tree, null, null, null, "test"));
            assertThat(repo.writeStats().packsWritten()).as("64 KiB packs: several").isGreaterThan(3);
        }
        try (Repository repo = Repository.open(backend, pw("secret"), TestVaults.options())) {
            for (int i = 0; i < ids.size(); i++) {
                assertThat(repo.loadBlob(BlobType.DATA, ids.get(i))).isEqualTo(blobs.get(i));
            }
            assertThat(repo.index().get(ids.get(1)).compressed()).as("text is compressed").isTrue();
            assertThat(repo.index().get(ids.get(0)).compressed()).as("random bytes are not").isFalse();
            Snapshot s = repo.loadSnapshot(snapId);
            assertThat(s.tags()).containsExactly("t");
            assertThat(repo.loadTree(s.tree()).nodes().get(0).content()).isEqualTo(ids.subList(0, 2));
            assertThat(repo.resolveSnapshot("latest")).isEqualTo(snapId);
            assertThat(repo.resolveSnapshot(snapId.hex().substring(0, 6))).isEqualTo(snapId);
        }
    }

    @Test
    void storageNeverSeesPlaintextOrItsPlainHash() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        byte[] secret = "a very recognisable photo caption that must not leak".repeat(20).getBytes(StandardCharsets.UTF_8);
        try (Repository repo = Repository.init(backend, pw("secret"), TestVaults.options())) {
            repo.saveBlob(BlobType.DATA, repo.newIdHasher().id(secret, 0, secret.length), secret);
            repo.flush();
        }
        byte[] plainHash = Repository.sha256(secret).toBytes();
        for (FileType t : FileType.values()) {
            for (FileInfo f : backend.list(t)) {
                byte[] stored = backend.load(new Handle(t, f.name()));
                String s = new String(stored, StandardCharsets.ISO_8859_1);
                assertThat(s).doesNotContain("recognisable");
                assertThat(indexOf(stored, plainHash)).isEqualTo(-1);
                assertThat(f.name()).isNotEqualTo(Repository.sha256(secret).hex());
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void wrongPasswordMissingVaultAndUnknownVersionAreDistinctErrors() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        assertThatThrownBy(() -> Repository.open(backend, pw("x"), TestVaults.options()))
                .isInstanceOf(VaultNotFoundException.class).hasMessageContaining("no vault");
        Repository.init(backend, pw("right"), TestVaults.options()).close();
        assertThatThrownBy(() -> Repository.open(backend, pw("wrong"), TestVaults.options()))
                .isInstanceOf(WrongPasswordException.class).hasMessageContaining("wrong password");

        String config = new String(backend.load(Handle.config()), StandardCharsets.UTF_8);
        backend.remove(Handle.config());
        backend.save(Handle.config(), Source.of(config.replace("\"version\":2", "\"version\":3").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> Repository.open(backend, pw("right"), TestVaults.options()))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("version 3").hasMessageContaining("reads versions 1 to 2")
                .hasMessageContaining("upgrade Triplicate");
    }

    @Test
    void aTamperedConfigFailsAuthentication() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        Repository.init(backend, pw("right"), TestVaults.options()).close();
        byte[] config = backend.load(Handle.config());
        String s = new String(config, StandardCharsets.UTF_8);
        int i = s.indexOf("\"data\":\"") + 20;
        char c = s.charAt(i);
        String tampered = s.substring(0, i) + (c == 'A' ? 'B' : 'A') + s.substring(i + 1);
        backend.remove(Handle.config());
        backend.save(Handle.config(), Source.of(tampered.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> Repository.open(backend, pw("right"), TestVaults.options()))
                .isInstanceOf(VaultCorruptException.class).hasMessageContaining("config");
    }

    @Test
    void keysCanBeAddedListedRemovedAndChanged() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        String second;
        try (Repository repo = Repository.init(backend, pw("one"), TestVaults.options())) {
            second = repo.addKey(pw("two"));
            assertThat(repo.listKeys()).hasSize(2).filteredOn(Repository.KeyEntry::current).hasSize(1);
            assertThatThrownBy(() -> repo.removeKey(repo.keyName().substring(0, 8)))
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("opened with");
        }
        try (Repository repo = Repository.open(backend, pw("two"), TestVaults.options())) {
            assertThat(repo.keyName()).isEqualTo(second);
            repo.changePassword(pw("three"));
        }
        assertThatThrownBy(() -> Repository.open(backend, pw("two"), TestVaults.options()))
                .isInstanceOf(WrongPasswordException.class);
        Repository.open(backend, pw("three"), TestVaults.options()).close();
        Repository.open(backend, pw("one"), TestVaults.options()).close();
    }

    @Test
    void packsWithoutAnIndexAreReindexedFromTheirHeadersAndReused() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        Repository.init(backend, pw("p"), TestVaults.options()).close();
        byte[] data = random(300_000, 9);
        Id id;
        try (Repository repo = Repository.open(backend, pw("p"), TestVaults.options())) {
            id = repo.newIdHasher().id(data, 0, data.length);
            repo.saveBlob(BlobType.DATA, id, data);
            repo.flush();
        }
        // simulate a crash after the pack but before its index: remove every index file
        for (FileInfo f : backend.list(FileType.INDEX)) {
            backend.remove(new Handle(FileType.INDEX, f.name()));
        }
        try (Repository repo = Repository.open(backend, pw("p"), TestVaults.options())) {
            assertThat(repo.hasBlob(id)).isFalse();
            assertThat(repo.indexOrphanPacks()).isEqualTo(1);
            assertThat(repo.hasBlob(id)).isTrue();
            assertThat(repo.saveBlob(BlobType.DATA, id, data)).as("reused, not stored again").isFalse();
            assertThat(repo.loadBlob(BlobType.DATA, id)).isEqualTo(data);
        }
        try (Repository repo = Repository.open(backend, pw("p"), TestVaults.options())) {
            assertThat(repo.hasBlob(id)).as("the recovered index was written").isTrue();
        }
    }

    @Test
    void aDamagedIndexFileIsReportedNotFatal() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        try (Repository repo = Repository.init(backend, pw("p"), TestVaults.options())) {
            byte[] d = random(1000, 1);
            repo.saveBlob(BlobType.DATA, repo.newIdHasher().id(d, 0, d.length), d);
            repo.flush();
        }
        FileInfo idx = backend.list(FileType.INDEX).get(0);
        byte[] bytes = backend.load(new Handle(FileType.INDEX, idx.name()));
        bytes[bytes.length / 2] ^= 1;
        backend.remove(new Handle(FileType.INDEX, idx.name()));
        backend.save(new Handle(FileType.INDEX, idx.name()), Source.of(bytes));
        try (Repository repo = Repository.open(backend, pw("p"), TestVaults.options())) {
            Map<String, String> damaged = repo.damagedIndexFiles();
            assertThat(damaged).containsOnlyKeys(idx.name());
            assertThat(damaged.get(idx.name())).contains("damaged");
        }
    }

    @Test
    void resolvingSnapshotsExplainsMistakes() throws Exception {
        MemoryBackend backend = new MemoryBackend("t");
        try (Repository repo = Repository.init(backend, pw("p"), TestVaults.options())) {
            assertThatThrownBy(() -> repo.resolveSnapshot("latest")).hasMessageContaining("no snapshots yet");
            assertThatThrownBy(() -> repo.resolveSnapshot("zz")).hasMessageContaining("not a snapshot id");
            assertThatThrownBy(() -> repo.resolveSnapshot("abcdef")).hasMessageContaining("no snapshot matches");
        }
    }
}
