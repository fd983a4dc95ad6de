package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.maintenance.TreeWalker;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.NodeType;

/**
 * Damage to any file of a vault, made with the file system as a failing disk would make it, gives a clear message
 * and a non-zero exit; check names the damaged pack, snapshot and files exactly; restore restores every intact file
 * byte-identical and lists the rest; nothing else is lost. Each test damages its own vault.
 */
class DamageTest {
    private static final String PASSWORD = "damage-test secret 7f3a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path vault;
    private Path library;
    private Cli cli;

    @BeforeEach
    void backUpALibrary() throws IOException {
        vault = tmp.resolve("vault");
        library = TestFiles.library(tmp.resolve("library"));
        cli = new Cli(vault, PASSWORD);
        cli.initWithSmallPacks();
        cli.expect(ExitCodes.OK, "backup", library.toString());
    }

    // ------------------------------------------------------------------------------------ (a) a damaged pack

    @Test
    void flippedByteInAPackIsNamedByCheckAndRestoreSavesEverythingElse() throws IOException {
        String victim = "library/2024-06-12_portraits/IMG_1005.jpg";
        PackedBlob blob;
        String snapshot;
        try (Repository repo = cli.openRepository()) {
            snapshot = repo.resolveSnapshot("latest").hex();
            blob = repo.index().get(contentOf(repo, victim).get(1));
        }
        TestFiles.flipByte(packFile(blob.pack()), blob.offset() + blob.length() / 2);

        // the structure is intact (every pack present, sizes right): only reading the data finds the damage
        Cli.Result structural = cli.expect(ExitCodes.OK, "check");
        assertThat(structural.out()).contains("no errors were found");

        Cli.Result check = cli.expect(ExitCodes.FAILURE, "check", "--read-data");
        assertThat(check.out()).contains("pack " + blob.pack().shortHex())
                .contains("snapshot " + snapshot.substring(0, 8)).contains(victim);
        JsonNode json = JSON.readTree(cli.expect(ExitCodes.FAILURE, "check", "--read-data", "--json").out());
        assertThat(affected(json)).isEqualTo(Map.of(snapshot, List.of(victim)));
        assertThat(json.get("errors").toString()).contains("pack " + blob.pack().shortHex());

        Path out = tmp.resolve("restored");
        Cli.Result restore = cli.expect(ExitCodes.FAILURE, "restore", "latest", "--target", out.toString());
        assertThat(restore.err()).contains("not restored: " + victim).contains("restore incomplete: 1 path(s)");
        assertRestoredAllBut(out, Set.of(victim));
    }

    // ------------------------------------------------------------------------------------ (b) a missing pack

    @Test
    void deletedPackIsNamedWithTheFilesItHeld() throws IOException {
        Id pack;
        Set<String> lost = new HashSet<>();
        String snapshot;
        try (Repository repo = cli.openRepository()) {
            snapshot = repo.resolveSnapshot("latest").hex();
            pack = repo.index().byPack().entrySet().stream()
                    .filter(e -> e.getValue().stream().allMatch(b -> b.type() == BlobType.DATA))
                    .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
            for (TreeWalker.Entry e : files(repo)) {
                if (e.node().content().stream().anyMatch(id -> repo.index().get(id).pack().equals(pack))) {
                    lost.add(e.path());
                }
            }
        }
        assertThat(lost).isNotEmpty();
        Files.delete(packFile(pack));

        Cli.Result check = cli.expect(ExitCodes.FAILURE, "check");
        assertThat(check.out()).contains("pack " + pack.shortHex() + " is missing");
        lost.forEach(path -> assertThat(check.out()).contains(path));
        JsonNode json = JSON.readTree(cli.expect(ExitCodes.FAILURE, "check", "--json").out());
        assertThat(affected(json).keySet()).containsExactly(snapshot);
        assertThat(affected(json).get(snapshot)).containsExactlyInAnyOrderElementsOf(lost);

        Path out = tmp.resolve("restored");
        Cli.Result restore = cli.expect(ExitCodes.FAILURE, "restore", "latest", "--target", out.toString());
        lost.forEach(path -> assertThat(restore.err()).contains("not restored: " + path));
        assertRestoredAllBut(out, lost);
    }

    // ------------------------------------------------------------------------------------ (c) a damaged index

    @Test
    void damagedIndexIsReportedAndTheNextBackupReindexesThePacks() throws IOException {
        List<Path> indexes = list(vault.resolve("index"));
        assertThat(indexes).isNotEmpty();
        for (Path index : indexes) {
            TestFiles.flipByte(index, Files.size(index) / 2);
        }

        Cli.Result check = cli.expect(ExitCodes.FAILURE, "check");
        assertThat(check.out()).contains("error: index " + indexes.get(0).getFileName().toString().substring(0, 8))
                .contains("damaged");

        // the vault still opens; the backup re-indexes the packs from their headers and reuses their data
        Files.writeString(library.resolve("new.txt"), "written after the damage");
        Cli.Result backup = cli.expect(ExitCodes.OK, "backup", library.toString(), "--json");
        JsonNode summary = JSON.readTree(backup.out()).get("summary");
        assertThat(summary.get("filesNew").asLong()).isEqualTo(1);

        Cli.Result again = cli.expect(ExitCodes.OK, "check", "--read-data");
        assertThat(again.out()).contains("no errors were found")
                .contains("warning: index " + indexes.get(0).getFileName().toString().substring(0, 8));
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));
    }

    // ------------------------------------------------------------------------------------ (d) a damaged snapshot

    @Test
    void damagedSnapshotIsReportedAndTheOthersListed() throws IOException {
        Files.writeString(library.resolve("second.txt"), "second snapshot");
        cli.expect(ExitCodes.OK, "backup", library.toString());
        List<Path> snapshots = list(vault.resolve("snapshots"));
        assertThat(snapshots).hasSize(2);
        Path damaged = snapshots.get(0);
        String intact = snapshots.get(1).getFileName().toString();
        TestFiles.flipByte(damaged, 40);

        Cli.Result r = cli.expect(ExitCodes.FAILURE, "snapshots");
        assertThat(r.out()).contains(intact.substring(0, 8)).contains("1 snapshot(s)");
        assertThat(r.err()).contains("damaged snapshot " + damaged.getFileName().toString().substring(0, 8));
        JsonNode json = JSON.readTree(cli.expect(ExitCodes.FAILURE, "snapshots", "--json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("id").asText()).isEqualTo(intact);

        Cli.Result restore = cli.expect(ExitCodes.FAILURE, "restore", damaged.getFileName().toString(), "--target",
                tmp.resolve("out").toString());
        assertThat(restore.err()).contains(damaged.getFileName().toString().substring(0, 8)).contains("damaged");
    }

    // ------------------------------------------------------------------------------------ (e) a damaged config

    @Test
    void damagedConfigGivesAClearMessage() throws IOException {
        Path config = vault.resolve("config");
        byte[] original = Files.readAllBytes(config);

        Files.write(config, "\u0000\u0001 not json at all".getBytes(StandardCharsets.UTF_8));
        Cli.Result garbage = cli.expect(ExitCodes.FAILURE, "snapshots");
        assertThat(garbage.err()).contains("config file").contains("damaged");

        Files.write(config, java.util.Arrays.copyOf(original, original.length / 2));
        assertThat(cli.expect(ExitCodes.FAILURE, "snapshots").err()).contains("config file").contains("damaged");

        ObjectNode outer = (ObjectNode) JSON.readTree(original);
        String data = outer.get("data").asText();
        // still base64, but the sealed bytes changed
        outer.put("data", data.substring(0, 10) + (data.charAt(10) == 'A' ? 'B' : 'A') + data.substring(11));
        Files.write(config, JSON.writeValueAsBytes(outer));
        assertThat(cli.expect(ExitCodes.FAILURE, "snapshots").err()).contains("config file")
                .contains("failed authentication");
    }

    @Test
    void configOfANewerVersionNamesBothVersions() throws IOException {
        Path config = vault.resolve("config");
        ObjectNode outer = (ObjectNode) JSON.readTree(Files.readAllBytes(config));
        outer.put("version", 3);
        Files.write(config, JSON.writeValueAsBytes(outer));

        Cli.Result r = cli.expect(ExitCodes.FAILURE, "snapshots");
        assertThat(r.err()).contains("version 3").contains("versions 1 to 2").contains("upgrade");
        assertThat(cli.expect(ExitCodes.FAILURE, "backup", library.toString()).err()).contains("version 3");
    }

    // ------------------------------------------------------------------------------------ (f, g) keys and passwords

    @Test
    void truncatedKeyFileIsReportedAsDamagedNotAsAWrongPassword() throws IOException {
        Path key = list(vault.resolve("keys")).get(0);
        byte[] original = Files.readAllBytes(key);
        Files.write(key, java.util.Arrays.copyOf(original, original.length / 2));

        Cli.Result r = cli.expect(ExitCodes.FAILURE, "snapshots");
        assertThat(r.err()).contains("key file").contains("damaged").doesNotContain("wrong password");
        assertThat(r.err()).contains(key.getFileName().toString().substring(0, 8));
    }

    @Test
    void keyFileWithAFlippedByteIsReportedAsDamaged() throws IOException {
        // a byte of the wrapped key: the password check alone cannot tell this from a wrong password
        Path key = list(vault.resolve("keys")).get(0);
        String text = Files.readString(key);
        int data = text.indexOf("\"data\"");
        TestFiles.flipByte(key, text.indexOf('"', data + 8) + 5);

        Cli.Result r = cli.expect(ExitCodes.FAILURE, "snapshots");
        assertThat(r.err()).contains("key file").contains("damaged").doesNotContain("wrong password");
    }

    @Test
    void wrongPasswordExits12() {
        Cli wrong = new Cli(vault, "not the password");
        Cli.Result r = wrong.expect(ExitCodes.WRONG_PASSWORD, "snapshots");
        assertThat(r.err()).contains("wrong password");
        Cli.assertNoSecret(r, PASSWORD);
        assertThat(wrong.expect(ExitCodes.WRONG_PASSWORD, "backup", library.toString()).err())
                .contains("wrong password");
    }

    @Test
    void wrongPasswordWithOneDamagedKeyOfTwoSaysBoth() throws IOException {
        cli.env.put("TRIPLICATE_NEW_PASSWORD", "second password 51c2");
        Cli.Result add = cli.expect(ExitCodes.OK, "key", "add");
        String second = add.out().replace("added key ", "").trim();
        Path damaged = list(vault.resolve("keys")).stream()
                .filter(p -> !p.getFileName().toString().startsWith(second)).findFirst().orElseThrow();
        Files.write(damaged, "{".getBytes(StandardCharsets.UTF_8));

        Cli.Result r = new Cli(vault, "neither password").expect(ExitCodes.WRONG_PASSWORD, "snapshots");
        assertThat(r.err()).contains("wrong password").contains("damaged key files")
                .contains(damaged.getFileName().toString().substring(0, 8));
        // the intact key still opens the vault
        Cli other = new Cli(vault, "second password 51c2");
        other.expect(ExitCodes.OK, "snapshots");
    }

    // ------------------------------------------------------------------------------------ (h) no vault

    @Test
    void noVaultAtTheLocationExits10() throws IOException {
        for (Path where : List.of(tmp.resolve("missing-folder"), Files.createDirectories(tmp.resolve("empty-folder")))) {
            Cli none = new Cli(where, PASSWORD);
            for (String[] cmd : List.of(new String[] {"snapshots"}, new String[] {"check"},
                    new String[] {"backup", library.toString()}, new String[] {"restore", "latest", "--target",
                        tmp.resolve("out").toString()})) {
                Cli.Result r = none.expect(ExitCodes.NO_VAULT, cmd);
                assertThat(r.err()).as(where + " " + cmd[0]).contains("no vault at").contains(where.toString())
                        .contains("triplicate init");
            }
            assertThat(where.resolve("config")).doesNotExist();
        }
        assertThat(tmp.resolve("missing-folder")).doesNotExist();
        assertThat(list(tmp.resolve("empty-folder"))).isEmpty();
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    // ------------------------------------------------------------------------------------ helpers

    private void assertRestoredAllBut(Path out, Set<String> lost) throws IOException {
        SortedMap<String, String> expected = new TreeMap<>(TestFiles.content(library));
        SortedMap<String, String> restored = TestFiles.content(out.resolve("library"));
        for (String path : lost) {
            expected.remove(path.substring("library/".length()));
        }
        assertThat(restored).isEqualTo(expected); // byte-identical, no half-written file, no temporary file
        assertThat(expected).isNotEmpty();
    }

    private Path packFile(Id pack) {
        return vault.resolve("data").resolve(pack.hex().substring(0, 2)).resolve(pack.hex());
    }

    private static List<Id> contentOf(Repository repo, String path) throws IOException {
        return files(repo).stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow().node().content();
    }

    private static List<TreeWalker.Entry> files(Repository repo) throws IOException {
        Id root = repo.loadSnapshot(repo.resolveSnapshot("latest")).tree();
        return new TreeWalker(repo).list(root, "", true).stream()
                .filter(e -> e.node().type() == NodeType.FILE).toList();
    }

    private static Map<String, List<String>> affected(JsonNode check) {
        Map<String, List<String>> out = new TreeMap<>();
        check.get("affected").fields().forEachRemaining(e -> {
            List<String> paths = new ArrayList<>();
            e.getValue().forEach(p -> paths.add(p.asText()));
            out.put(e.getKey(), paths);
        });
        return out;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
