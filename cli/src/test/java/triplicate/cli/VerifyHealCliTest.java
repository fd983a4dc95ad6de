package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.catalog.Catalog;
import triplicate.catalog.Copy;
import triplicate.catalog.CopyResult;
import triplicate.core.Id;
import triplicate.maintenance.TreeWalker;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;

/**
 * Restore drills and healing, end to end with real SQLite and real local vaults: a drill restores (a sample of) the
 * library, compares every byte with the catalog and records the results in the catalog; random bytes flipped in the
 * vault's packs are all found (by the drill and by check), all healed (from the library, or from another vault when
 * the library's copy is gone), and a second drill is clean. A vault that starts failing during heal loses nothing.
 */
class VerifyHealCliTest {
    private static final String PASSWORD = "drill-test secret 4b1e";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path vault;
    private Path library;
    private Cli cli;
    private SortedMap<String, String> original;

    @BeforeEach
    void backUpALibraryWithItsCatalog() throws IOException {
        vault = tmp.resolve("vault");
        library = TestFiles.library(tmp.resolve("library"));
        original = TestFiles.content(library);
        cli = new Cli(vault, PASSWORD);
        cli.initWithSmallPacks();
        // random bytes named .jpg: the scan warns that they are not what their names say (exit 3)
        assertThat(cli.run("catalog", "scan", library.toString()).code()).isIn(ExitCodes.OK, ExitCodes.INCOMPLETE);
        Cli.Result backup = cli.expect(ExitCodes.OK, "backup", library.toString());
        assertThat(backup.out()).contains("catalog of " + library + " saved as snapshot");
    }

    private JsonNode json(int code, String... args) throws IOException {
        return JSON.readTree(cli.expect(code, args).out());
    }

    @Test
    void aDrillRestoresComparesAndRecordsInTheCatalog() throws IOException {
        JsonNode all = json(ExitCodes.OK, "verify", "--all", "--library", library.toString(), "--json");
        assertFields(all, "vault", "target", "library", "snapshot", "snapshotPath", "catalogFiles", "drilled", "ok",
                "missing", "damaged", "recorded", "seconds", "problems", "problemsListed");
        assertThat(all.get("catalogFiles").asLong()).isEqualTo(24);
        assertThat(all.get("drilled").asLong()).isEqualTo(24);
        assertThat(all.get("ok").asLong()).isEqualTo(24);
        assertThat(all.get("recorded").asLong()).isEqualTo(24);
        assertThat(all.get("target").asText()).isEqualTo(vault.toString());
        String snapshot = all.get("snapshot").asText();
        try (Catalog c = Catalog.openExisting(library, InstantSource.system())) {
            List<Copy> copies = c.copies("2024-05-01_wedding/IMG_1000.jpg");
            assertThat(copies).hasSize(1);
            assertThat(copies.get(0).target()).isEqualTo(vault.toString());
            assertThat(copies.get(0).result()).isEqualTo(CopyResult.OK);
            assertThat(copies.get(0).detail()).isEqualTo("snapshot " + snapshot);
        }
        // a sample, under a target name of its own; the temporary folder is gone
        JsonNode sample = json(ExitCodes.OK, "verify", "--sample", "25%", "--library", library.toString(),
                "--target-name", "offsite", "--json");
        assertThat(sample.get("drilled").asLong()).isEqualTo(6);
        try (Catalog c = Catalog.openExisting(library, InstantSource.system())) {
            long offsite = original.keySet().stream().filter(p -> c.copies(p).stream()
                    .anyMatch(k -> k.target().equals("offsite") && k.result() == CopyResult.OK)).count();
            assertThat(offsite).isEqualTo(6);
        }
        try (Stream<Path> s = Files.list(library.resolve(".triplicate"))) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("catalog.db"));
        }
        // a file added since the backup has no copy in the vault
        TestFiles.writeRandom(library.resolve("2024-07-30_holiday/IMG_2000.jpg"), 77, 5_000);
        assertThat(cli.run("catalog", "scan", library.toString()).code()).isIn(ExitCodes.OK, ExitCodes.INCOMPLETE);
        Cli.Result newer = cli.expect(ExitCodes.FAILURE, "verify", "--all", "--library", library.toString());
        assertThat(newer.out()).contains("1 missing").contains("missing: 2024-07-30_holiday/IMG_2000.jpg: not in snapshot");
    }

    @Test
    void everyFlippedByteIsFoundByTheDrillAndHealedFromTheLibrary() throws IOException {
        Set<String> damaged = flipRandomBytes(new Random(20240612), 5);

        JsonNode check = json(ExitCodes.FAILURE, "check", "--read-data", "--json");
        Set<String> affected = new TreeSet<>();
        check.get("affected").fields().forEachRemaining(e -> e.getValue().forEach(p -> affected.add(p.asText())));
        assertThat(affected).isEqualTo(prefixed(damaged));

        JsonNode drill = json(ExitCodes.FAILURE, "verify", "--all", "--library", library.toString(), "--json");
        assertFields(drill.get("problems").get(0), "path", "result", "detail");
        Set<String> found = new TreeSet<>();
        drill.get("problems").forEach(p -> {
            assertThat(p.get("result").asText()).isEqualTo("DAMAGED");
            found.add(p.get("path").asText());
        });
        assertThat(found).isEqualTo(damaged);
        assertThat(drill.get("damaged").asLong()).isEqualTo(damaged.size());

        JsonNode heal = json(ExitCodes.OK, "heal", "--library", library.toString(), "--json");
        assertFields(heal, "vault", "sources", "checkErrors", "remainingErrors", "result", "seconds");
        JsonNode r = heal.get("result");
        assertFields(r, "damagedPacks", "damagedBlobs", "blobsHealed", "blobsRescued", "blobsDropped", "packsRetired",
                "packsKept", "indexFilesRewritten", "healed", "unhealed");
        assertFields(r.get("healed").get(0), "snapshot", "path", "source");
        assertThat(heal.get("remainingErrors")).isEmpty();
        assertThat(r.get("unhealed")).isEmpty();
        assertThat(r.get("packsKept").asInt()).isZero();
        assertThat(r.get("packsRetired").asInt()).isPositive();
        Set<String> healed = new TreeSet<>();
        r.get("healed").forEach(f -> healed.add(f.get("path").asText()));
        assertThat(healed).containsAll(prefixed(damaged));

        cli.expect(ExitCodes.OK, "verify", "--all", "--library", library.toString());
        assertThat(cli.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
        assertThat(cli.expect(ExitCodes.OK, "heal").out()).contains("no pack is damaged");
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(original);
    }

    @Test
    void bytesFlippedAnywhereInThePacksAreFoundAndHealed() throws IOException {
        // any byte of any pack of the library's snapshot: chunks, folder listings, pack headers
        Random r = new Random(31337);
        Set<String> hit = new TreeSet<>();
        try (Repository repo = cli.openRepository()) {
            Set<Id> libraryPacks = new TreeSet<>();
            Snapshot s = latestLibrary(repo).snapshot();
            libraryPacks.add(repo.index().get(s.tree()).pack());
            for (TreeWalker.Entry e : new TreeWalker(repo).list(s.tree(), "", true)) {
                List<Id> blobs = e.node().type() == NodeType.DIR ? List.of(e.node().subtree()) : e.node().content();
                blobs.forEach(id -> libraryPacks.add(repo.index().get(id).pack()));
            }
            List<Id> packs = new ArrayList<>(libraryPacks);
            for (int i = 0; i < 6; i++) {
                Id p = packs.get(r.nextInt(packs.size()));
                Path f = vault.resolve("data").resolve(p.hex().substring(0, 2)).resolve(p.hex());
                f.toFile().setWritable(true);
                long size = Files.size(f);
                for (int k = 0; k < 1 + r.nextInt(3); k++) {
                    TestFiles.flipByte(f, r.nextLong(size));
                }
                hit.add(p.shortHex());
            }
        }
        Cli.Result check = cli.expect(ExitCodes.FAILURE, "check", "--read-data");
        hit.forEach(p -> assertThat(check.out()).contains("pack " + p));
        cli.expect(ExitCodes.FAILURE, "verify", "--all", "--library", library.toString());

        Cli.Result heal = cli.expect(ExitCodes.OK, "heal", "--library", library.toString());
        assertThat(heal.out()).contains("the vault is whole again");
        cli.expect(ExitCodes.OK, "verify", "--all", "--library", library.toString());
        assertThat(cli.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(original);
    }

    @Test
    void withTheLibraryCopyGoneAnotherVaultHeals() throws IOException {
        Path second = tmp.resolve("second");
        Cli other = new Cli(second, "another password 9d0c");
        other.init();
        // a copy made by 'copy' (another key, another chunker: every file is cut again)
        Cli copy = new Cli(second, "another password 9d0c");
        copy.env.put("TRIPLICATE_FROM_PASSWORD", PASSWORD);
        assertThat(copy.expect(ExitCodes.OK, "copy", "latest", "--from", vault.toString()).out())
                .contains("files cut again");

        Set<String> damaged = flipRandomBytes(new Random(77), 4);
        for (String p : damaged) {
            Files.delete(library.resolve(p));
        }
        // the library alone cannot heal what it lost
        Cli.Result partial = cli.expect(ExitCodes.FAILURE, "heal", "--library", library.toString());
        assertThat(partial.out()).contains("not healed").contains("the vault is still damaged");

        cli.env.put("TRIPLICATE_FROM_PASSWORD", "another password 9d0c");
        JsonNode heal = json(ExitCodes.OK, "heal", "--library", library.toString(), "--from", second.toString(),
                "--json");
        Set<String> fromSecond = new TreeSet<>();
        heal.get("result").get("healed").forEach(f -> {
            assertThat(f.get("source").asText()).isEqualTo("vault " + second);
            fromSecond.add(f.get("path").asText());
        });
        assertThat(fromSecond).containsAll(prefixed(damaged));
        assertThat(cli.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(original);
    }

    @Test
    void aVaultThatStartsFailingDuringHealLosesNothing() throws IOException {
        Set<String> damaged = flipRandomBytes(new Random(5), 3);
        Set<String> packsBefore = packs();
        Cli faulty = new Cli(tmp.resolve("unused"), PASSWORD);
        faulty.env.put("TRIPLICATE_VAULT", "faulty:" + vault);
        faulty.env.put("TRIPLICATE_TEST_FAIL_SAVE", "3"); // the probe, then a pack, then it fails for good
        Cli.Result r = faulty.expect(ExitCodes.FAILURE, "heal", "--library", library.toString());
        assertThat(r.err()).contains("injected permanent fault");
        assertThat(packs()).containsAll(packsBefore); // nothing deleted
        // the damage is as it was: named by check, then healed by a heal that can write
        JsonNode check = json(ExitCodes.FAILURE, "check", "--read-data", "--json");
        Set<String> affected = new TreeSet<>();
        check.get("affected").fields().forEachRemaining(e -> e.getValue().forEach(p -> affected.add(p.asText())));
        assertThat(affected).isEqualTo(prefixed(damaged));
        cli.expect(ExitCodes.OK, "heal", "--library", library.toString());
        cli.expect(ExitCodes.OK, "verify", "--all", "--library", library.toString());
        assertThat(cli.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Flips one to three random bytes inside {@code blobs} random data chunks of the library's latest snapshot (as a
     * failing disk would); returns the library paths whose files they damage.
     */
    private Set<String> flipRandomBytes(Random r, int blobs) throws IOException {
        Set<String> damaged = new TreeSet<>();
        try (Repository repo = cli.openRepository()) {
            List<TreeWalker.Entry> files = libraryFiles(repo);
            Set<Id> hit = new HashSet<>();
            while (hit.size() < blobs) {
                TreeWalker.Entry e = files.get(r.nextInt(files.size()));
                Id id = e.node().content().get(r.nextInt(e.node().content().size()));
                if (!hit.add(id)) {
                    continue;
                }
                PackedBlob b = repo.index().get(id);
                Path pack = vault.resolve("data").resolve(b.pack().hex().substring(0, 2)).resolve(b.pack().hex());
                pack.toFile().setWritable(true);
                for (int k = 0; k < 1 + r.nextInt(3); k++) {
                    TestFiles.flipByte(pack, b.offset() + r.nextInt(b.length()));
                }
            }
            for (TreeWalker.Entry e : files) {
                if (e.node().content().stream().anyMatch(hit::contains)) {
                    damaged.add(e.path().substring("library/".length()));
                }
            }
        }
        return damaged;
    }

    private static Repository.SnapshotRef latestLibrary(Repository repo) throws IOException {
        Repository.SnapshotRef lib = null;
        for (Repository.SnapshotRef s : repo.listSnapshots()) {
            if (!s.snapshot().tags().contains("triplicate-catalog")) {
                lib = s;
            }
        }
        return lib;
    }

    private static List<TreeWalker.Entry> libraryFiles(Repository repo) throws IOException {
        Snapshot s = latestLibrary(repo).snapshot();
        return new TreeWalker(repo).list(s.tree(), "", true).stream()
                .filter(e -> e.node().type() == NodeType.FILE).toList();
    }

    static void assertFields(JsonNode node, String... fields) {
        assertThat(node.isObject()).as("an object: %s", node).isTrue();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("fields of %s", node).containsExactlyInAnyOrder(fields);
    }

    private static Set<String> prefixed(Set<String> paths) {
        Set<String> out = new TreeSet<>();
        paths.forEach(p -> out.add("library/" + p));
        return out;
    }

    private Set<String> packs() throws IOException {
        try (Stream<Path> s = Files.walk(vault.resolve("data"))) {
            return new TreeSet<>(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList());
        }
    }
}
