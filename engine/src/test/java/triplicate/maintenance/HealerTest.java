package triplicate.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.local.LocalBackend;
import triplicate.backend.testkit.RefusingDeletesBackend;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.restorer.RestoreResult;
import triplicate.snapshot.Snapshot;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * Heal: random bytes flipped in the data and headers of a vault's packs are all found by a full check and all
 * healed from a verified source (the backed-up files, or another vault when the files are gone); a second check is
 * clean and every file restores byte-identical. Without a source nothing is deleted and the damage is named; on
 * append-only storage nothing at all is changed.
 */
class HealerTest {
    @TempDir
    Path tmp;

    private Path library() throws IOException {
        Path lib = tmp.resolve("library");
        Random r = new Random(7);
        for (int i = 0; i < 30; i++) {
            Fingerprint.writeRandom(lib.resolve("shoot-" + (i % 4)).resolve("IMG_" + i + ".CR3"), 100 + i,
                    2_000 + r.nextInt(60_000));
        }
        return lib;
    }

    /** Flips a few random bytes inside {@code blobs} random data blobs and in the headers of {@code headers} packs. */
    private Set<Id> damage(Repository repo, Path vault, Random r, int blobs, int headers) throws IOException {
        List<PackedBlob> data = repo.index().all().stream().filter(b -> b.type() == BlobType.DATA)
                .sorted(java.util.Comparator.comparing(PackedBlob::id)).toList();
        Set<Id> packs = new HashSet<>();
        for (int i = 0; i < blobs; i++) {
            PackedBlob b = data.get(r.nextInt(data.size()));
            for (int k = 0; k < 1 + r.nextInt(3); k++) {
                flip(packFile(vault, b.pack()), b.offset() + r.nextInt(b.length()));
            }
            packs.add(b.pack());
        }
        List<Id> all = new ArrayList<>(repo.index().packs());
        all.sort(null);
        for (int i = 0; i < headers; i++) {
            Id p = all.get(r.nextInt(all.size()));
            Path f = packFile(vault, p);
            long size = Files.size(f);
            // the sealed header sits just before the last 4 bytes
            flip(f, size - 5 - r.nextInt(40));
            packs.add(p);
        }
        return packs;
    }

    static void flip(Path file, long offset) throws IOException {
        file.toFile().setWritable(true);
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= (byte) (1 + new Random(offset).nextInt(255));
        Files.write(file, b);
    }

    static Path packFile(Path vault, Id pack) throws IOException {
        try (Stream<Path> s = Files.walk(vault.resolve("data"))) {
            return s.filter(p -> p.getFileName().toString().equals(pack.hex())).findFirst().orElseThrow();
        }
    }

    private static Set<String> packNames(Path vault) throws IOException {
        try (Stream<Path> s = Files.walk(vault.resolve("data"))) {
            return new java.util.TreeSet<>(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList());
        }
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return new java.util.TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** Where a snapshot's file was backed up from. */
    private static Path original(Snapshot s, String rel) {
        Path root = Path.of(s.paths().get(0));
        return root.resolve(rel.substring(rel.indexOf('/') + 1));
    }

    @Test
    void everyFlippedByteIsFoundAndHealedFromTheFiles() throws IOException {
        Path lib = library();
        Path vault = tmp.resolve("vault");
        Id snap;
        Set<Id> hit;
        try (Repository repo = TestVaults.init(vault)) {
            snap = TestVaults.backup(repo, lib).id();
            hit = damage(repo, vault, new Random(3), 6, 2);
        }
        try (Repository repo = TestVaults.open(vault)) {
            Checker checker = new Checker(repo, 2);
            CheckResult before = checker.check(1.0, new Random(1));
            assertThat(before.ok()).isFalse();
            assertThat(checker.damage().packs().keySet()).isEqualTo(hit);

            Healer.Result r = new Healer(repo).heal(checker.damage(),
                    List.of(Healer.localFiles("files", HealerTest::original)));
            assertThat(r.complete()).as("%s", r).isTrue();
            assertThat(r.blobsHealed()).isEqualTo(checker.damage().blobs().size()).isPositive();
            assertThat(r.packsRetired()).isEqualTo(hit.size());
            assertThat(r.healed()).isNotEmpty().allMatch(f -> f.source().equals("files"));
        }
        assertThat(packNames(vault)).doesNotContainAnyElementsOf(hit.stream().map(Id::hex).toList());
        try (Repository repo = TestVaults.open(vault)) {
            CheckResult after = new Checker(repo, 2).check(1.0, new Random(1));
            assertThat(after.errors()).isEmpty();
            assertThat(after.warnings()).isEmpty();
            RestoreResult restored = TestVaults.restore(repo, snap, null, tmp.resolve("out"));
            assertThat(restored.problems()).isEmpty();
        }
        assertThat(Fingerprint.contentOf(tmp.resolve("out/library"))).isEqualTo(Fingerprint.contentOf(lib));
    }

    @Test
    void bytesFlippedAnywhereFolderListingsIncludedAreHealedFromTheFilesAndFolders() throws IOException {
        Path lib = library();
        Path vault = tmp.resolve("vault");
        Id snap;
        Set<Id> hit = new HashSet<>();
        try (Repository repo = TestVaults.init(vault)) {
            snap = TestVaults.backup(repo, lib).id();
            // at least two folder listings, and random bytes anywhere in random packs
            List<PackedBlob> trees = repo.index().all().stream().filter(b -> b.type() == BlobType.TREE)
                    .sorted(java.util.Comparator.comparing(PackedBlob::id)).toList();
            assertThat(trees).hasSizeGreaterThanOrEqualTo(5);
            Random r = new Random(2024);
            for (PackedBlob t : List.of(trees.get(0), trees.get(3))) {
                flip(packFile(vault, t.pack()), t.offset() + r.nextInt(t.length()));
                hit.add(t.pack());
            }
            List<Id> packs = new ArrayList<>(repo.index().packs());
            packs.sort(null);
            for (int i = 0; i < 5; i++) {
                Id p = packs.get(r.nextInt(packs.size()));
                Path f = packFile(vault, p);
                long size = Files.size(f);
                for (int k = 0; k < 1 + r.nextInt(3); k++) {
                    flip(f, r.nextLong(size));
                }
                hit.add(p);
            }
        }
        try (Repository repo = TestVaults.open(vault)) {
            Checker checker = new Checker(repo, 2);
            checker.check(1.0, new Random(1));
            assertThat(checker.damage().packs().keySet()).isEqualTo(hit);
            Healer.Result r = new Healer(repo).heal(checker.damage(),
                    List.of(Healer.localFiles("files", HealerTest::original)),
                    s -> new Healer.Rebuild(s.paths().stream().map(Path::of).toList(), List.of()));
            assertThat(r.complete()).as("%s", r).isTrue();
            assertThat(r.healed()).anyMatch(f -> f.source().startsWith("a backup run over"));
        }
        try (Repository repo = TestVaults.open(vault)) {
            CheckResult after = new Checker(repo, 2).check(1.0, new Random(1));
            assertThat(after.errors()).isEmpty();
            assertThat(TestVaults.restore(repo, snap, null, tmp.resolve("out")).problems()).isEmpty();
        }
        assertThat(Fingerprint.contentOf(tmp.resolve("out/library"))).isEqualTo(Fingerprint.contentOf(lib));
    }

    @Test
    void withTheFilesGoneAnotherVaultIsTheSource() throws IOException {
        Path lib = library();
        Path vault = tmp.resolve("vault");
        Path other = tmp.resolve("other");
        Id snap;
        try (Repository repo = TestVaults.init(vault); Repository second = TestVaults.init(other)) {
            snap = TestVaults.backup(repo, lib).id();
            TestVaults.backup(second, lib); // the same files, another key, another chunker seed
            damage(repo, vault, new Random(11), 5, 0);
        }
        SortedMap<String, String> expected = Fingerprint.contentOf(lib);
        deleteTree(lib);
        try (Repository repo = TestVaults.open(vault); Repository second = TestVaults.open(other)) {
            Checker checker = new Checker(repo, 2);
            checker.check(1.0, new Random(1));
            Healer.Result r = new Healer(repo).heal(checker.damage(), List.of(
                    Healer.localFiles("files", HealerTest::original),
                    Healer.otherVault("second", second, tmp.resolve("scratch"))));
            assertThat(r.complete()).as("%s", r).isTrue();
            assertThat(r.healed()).isNotEmpty().allMatch(f -> f.source().equals("second"));
        }
        assertThat(names(tmp.resolve("scratch"))).isEmpty();
        try (Repository repo = TestVaults.open(vault)) {
            assertThat(new Checker(repo, 2).check(1.0, new Random(1)).errors()).isEmpty();
            assertThat(TestVaults.restore(repo, snap, null, tmp.resolve("out")).problems()).isEmpty();
        }
        assertThat(Fingerprint.contentOf(tmp.resolve("out/library"))).isEqualTo(expected);
    }

    @Test
    void aHealStopsWhileAPruneHoldsTheMaintenanceLockAndChangesNothing() throws IOException {
        Path lib = library();
        Path vault = tmp.resolve("vault");
        try (Repository repo = TestVaults.init(vault)) {
            TestVaults.backup(repo, lib);
            damage(repo, vault, new Random(9), 2, 0);
        }
        Set<String> before = packNames(vault);
        try (Repository holder = TestVaults.open(vault); Repository repo = TestVaults.open(vault);
             triplicate.repository.Session prune = holder.startMaintenanceLock("prune")) {
            Checker checker = new Checker(repo, 2);
            checker.check(1.0, new Random(1));
            assertThat(checker.damage().none()).isFalse();
            assertThatThrownBy(() -> new Healer(repo).heal(checker.damage(),
                    List.of(Healer.localFiles("files", HealerTest::original))))
                    .isInstanceOf(triplicate.core.VaultBusyException.class)
                    .hasMessageContaining("another prune, undelete or heal is running");
            assertThat(prune.expired()).isFalse();
        }
        assertThat(packNames(vault)).isEqualTo(before);
    }

    @Test
    void withoutASourceNothingIsDeletedAndTheDamageIsNamed() throws IOException {
        Path lib = library();
        Path vault = tmp.resolve("vault");
        Set<Id> hit;
        try (Repository repo = TestVaults.init(vault)) {
            TestVaults.backup(repo, lib);
            hit = damage(repo, vault, new Random(5), 3, 0);
        }
        Set<String> packsBefore = packNames(vault);
        deleteTree(lib);
        try (Repository repo = TestVaults.open(vault)) {
            Checker checker = new Checker(repo, 2);
            CheckResult check = checker.check(1.0, new Random(1));
            Healer.Result r = new Healer(repo).heal(checker.damage(), List.of(Healer.localFiles("files",
                    HealerTest::original)));
            assertThat(r.complete()).isFalse();
            assertThat(r.blobsHealed()).isZero();
            assertThat(r.packsKept()).isEqualTo(hit.size());
            Set<String> damagedPaths = new HashSet<>();
            check.affected().values().forEach(damagedPaths::addAll);
            assertThat(r.unhealed().stream().map(Healer.Unhealed::path).toList())
                    .containsExactlyInAnyOrderElementsOf(damagedPaths);
        }
        assertThat(packNames(vault)).isEqualTo(packsBefore);
    }

    @Test
    void appendOnlyStorageIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path lib = library();
        Path vault = tmp.resolve("vault");
        try (Repository repo = TestVaults.init(vault)) {
            TestVaults.backup(repo, lib);
            damage(repo, vault, new Random(9), 2, 0);
        }
        Map<String, Set<String>> before = new TreeMap<>();
        for (String f : List.of("data", "index", "snapshots")) {
            before.put(f, f.equals("data") ? packNames(vault) : names(vault.resolve(f)));
        }
        try (Password p = TestVaults.password();
             Repository repo = Repository.open(new RefusingDeletesBackend(LocalBackend.open(vault)), p,
                     TestVaults.options())) {
            Checker checker = new Checker(repo, 2);
            checker.check(1.0, new Random(1));
            assertThatThrownBy(() -> new Healer(repo).heal(checker.damage(),
                    List.of(Healer.localFiles("files", HealerTest::original))))
                    .isInstanceOf(TriplicateException.class).hasMessageContaining("refuses deletions")
                    .hasMessageContaining("nothing was changed");
        }
        for (String f : List.of("data", "index", "snapshots")) {
            assertThat(f.equals("data") ? packNames(vault) : names(vault.resolve(f))).isEqualTo(before.get(f));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
