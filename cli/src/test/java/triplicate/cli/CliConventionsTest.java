package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.Id;
import triplicate.repository.Repository;

/**
 * The conventions of docs/cli.md: where the vault and the password come from, how snapshots are named, the JSON
 * interface of every reporting command, key management and excludes. No output of any command here, on stdout or
 * stderr, ever contains a password: {@link Cli#run} checks the vault's password on every run, and {@link #after}
 * checks every other password used in the test against everything printed.
 */
class CliConventionsTest {
    private static final String PASSWORD = "conventions secret c0ffee";
    private static final ObjectReader JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();

    @TempDir
    Path tmp;

    private Path vault;
    private Path library;
    private Cli cli;
    private final List<Cli.Result> printed = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>(List.of(PASSWORD));

    @BeforeEach
    void setUp() throws IOException {
        vault = tmp.resolve("vault");
        library = TestFiles.library(tmp.resolve("library"));
        cli = new Cli(vault, PASSWORD);
    }

    @AfterEach
    void after() {
        for (Cli.Result r : printed) {
            for (String s : secrets) {
                Cli.assertNoSecret(r, s);
            }
        }
    }

    private Cli.Result run(Cli c, int code, String... args) {
        Cli.Result r = c.expect(code, args);
        printed.add(r);
        return r;
    }

    private JsonNode json(Cli c, int code, String... args) throws IOException {
        Cli.Result r = run(c, code, args);
        return JSON.readTree(r.out());
    }

    // ------------------------------------------------------------------------------------ the vault

    @Test
    void vaultComesFromTheOptionOrTheEnvironment() {
        Cli noEnv = new Cli(vault, PASSWORD);
        noEnv.env.remove("TRIPLICATE_VAULT");
        Cli.Result none = run(noEnv, ExitCodes.FAILURE, "snapshots");
        assertThat(none.err()).contains("no vault given").contains("--vault").contains("TRIPLICATE_VAULT");

        printed.add(noEnv.init("--vault", vault.toString()));
        run(noEnv, ExitCodes.OK, "backup", "--vault", vault.toString(), library.toString());
        run(cli, ExitCodes.OK, "snapshots"); // TRIPLICATE_VAULT alone

        // the option wins over the environment
        Cli elsewhere = new Cli(tmp.resolve("not-a-vault"), PASSWORD);
        run(elsewhere, ExitCodes.NO_VAULT, "snapshots");
        assertThat(run(elsewhere, ExitCodes.OK, "snapshots", "--vault", vault.toString()).out())
                .contains("1 snapshot(s)");
    }

    // ------------------------------------------------------------------------------------ the password

    @Test
    void passwordComesFromOptionFileEnvironmentFileOrEnvironmentInThatOrder() throws IOException {
        printed.add(cli.init());
        Path right = Files.writeString(tmp.resolve("right.txt"), PASSWORD + "\n"); // one trailing newline is ignored
        Path wrong = Files.writeString(tmp.resolve("wrong.txt"), "wrong password 1\n");
        secrets.add("wrong password 1");
        secrets.add("wrong password 2");

        Cli c = new Cli(vault, PASSWORD);
        c.env.put("TRIPLICATE_PASSWORD", "wrong password 2");
        c.env.put("TRIPLICATE_PASSWORD_FILE", wrong.toString());
        run(c, ExitCodes.OK, "snapshots", "--password-file", right.toString());
        run(c, ExitCodes.WRONG_PASSWORD, "snapshots");

        c.env.put("TRIPLICATE_PASSWORD_FILE", right.toString());
        run(c, ExitCodes.OK, "snapshots");

        c.env.remove("TRIPLICATE_PASSWORD_FILE");
        run(c, ExitCodes.WRONG_PASSWORD, "snapshots");
        c.env.put("TRIPLICATE_PASSWORD", PASSWORD);
        run(c, ExitCodes.OK, "snapshots");

        Cli.Result missing = run(c, ExitCodes.FAILURE, "snapshots", "--password-file", tmp.resolve("nope").toString());
        assertThat(missing.err()).contains("password file").contains("nope").contains("does not exist");
    }

    @Test
    void noPasswordAndNoTerminalIsAClearError() {
        printed.add(cli.init());
        Cli c = new Cli(vault, PASSWORD);
        c.env.remove("TRIPLICATE_PASSWORD");
        for (String[] cmd : List.of(new String[] {"snapshots"}, new String[] {"backup", library.toString()},
                new String[] {"init", "--vault", tmp.resolve("other").toString()})) {
            Cli.Result r = run(c, ExitCodes.FAILURE, cmd);
            assertThat(r.err()).contains("no password given").contains("--password-file")
                    .contains("TRIPLICATE_PASSWORD").contains("no terminal");
        }
        assertThat(tmp.resolve("other/config")).doesNotExist();
    }

    @Test
    void passwordIsNeverABareArgumentAndATriedOneIsNotEchoed() {
        Cli.Result r = run(cli, ExitCodes.USAGE, "snapshots", "--password", PASSWORD);
        assertThat(r.err()).contains("'--password'").contains("not shown").contains("--password-file");
        r = run(cli, ExitCodes.USAGE, "snapshots", "--password=" + PASSWORD);
        assertThat(r.err()).contains("'--password=…'");
        // other mistakes are still named
        r = run(cli, ExitCodes.USAGE, "backup", library.toString(), "--exlude", "*.tmp");
        assertThat(r.err()).contains("'--exlude'").contains("--exclude");
        r = run(cli, ExitCodes.USAGE, "snapshots", "extra");
        assertThat(r.err()).contains("'extra'");
    }

    // ------------------------------------------------------------------------------------ naming snapshots

    @Test
    void snapshotsByFullIdUniquePrefixLatestAndAmbiguousPrefix() throws IOException {
        printed.add(cli.init());
        run(cli, ExitCodes.OK, "backup", library.toString());
        Files.writeString(library.resolve("later.txt"), "later");
        run(cli, ExitCodes.OK, "backup", library.toString());
        List<String> ids = new ArrayList<>();
        json(cli, ExitCodes.OK, "snapshots", "--json").forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids).hasSize(2);
        String first = ids.get(0);
        String latest = ids.get(1);

        assertThat(run(cli, ExitCodes.OK, "ls", first).out()).doesNotContain("later.txt");
        assertThat(run(cli, ExitCodes.OK, "ls", latest).out()).contains("later.txt");
        assertThat(run(cli, ExitCodes.OK, "ls", "latest").out()).contains("later.txt");
        assertThat(run(cli, ExitCodes.OK, "ls", first.substring(0, 8)).out()).doesNotContain("later.txt");
        assertThat(run(cli, ExitCodes.OK, "ls", first.substring(0, 8).toUpperCase()).out()).contains("IMG_1000.jpg");

        // more snapshots (same content, new ids) until two ids share their first digit
        String ambiguous = sharedFirstDigit(ids);
        Cli.Result amb = run(cli, ExitCodes.FAILURE, "ls", ambiguous);
        assertThat(amb.err()).contains("'" + ambiguous + "' matches").contains("snapshots; give more digits");

        assertThat(run(cli, ExitCodes.FAILURE, "ls", "0000000000000000000000000000000000000000000000000000000000000000")
                .err()).contains("no snapshot matches");
        assertThat(run(cli, ExitCodes.FAILURE, "ls", "yesterday").err()).contains("is not a snapshot id");
    }

    private String sharedFirstDigit(List<String> ids) throws IOException {
        Map<Character, Integer> seen = new HashMap<>();
        ids.forEach(id -> seen.merge(id.charAt(0), 1, Integer::sum));
        try (Repository repo = cli.openRepository()) {
            var snap = repo.loadSnapshot(Id.parse(ids.get(0)));
            while (seen.values().stream().allMatch(n -> n < 2)) {
                seen.merge(repo.saveSnapshot(snap).hex().charAt(0), 1, Integer::sum);
            }
        }
        return seen.entrySet().stream().filter(e -> e.getValue() > 1).findFirst().orElseThrow().getKey().toString();
    }

    // ------------------------------------------------------------------------------------ --json

    @Test
    void jsonOutputOfEveryReportingCommandParsesAndHasTheDocumentedFields() throws IOException {
        JsonNode init = json(cli, ExitCodes.OK, "init", "--kdf-memory", "1", "--kdf-iterations", "1", "--json");
        assertFields(init, "vault", "id", "version");
        assertThat(init.get("version").asInt()).isEqualTo(2);

        JsonNode backup = json(cli, ExitCodes.OK, "backup", library.toString(), "--json");
        assertFields(backup, "snapshot", "summary", "warnings", "catalogs");
        assertThat(backup.get("catalogs")).isEmpty(); // the library has no catalog
        assertFields(backup.get("summary"), "filesNew", "filesChanged", "filesUnmodified", "dirs", "bytesRead",
                "bytesTotal", "blobsAdded", "bytesAdded", "bytesStored", "seconds");
        assertThat(backup.get("summary").get("filesNew").asInt()).isEqualTo(24);
        assertThat(backup.get("warnings")).isEmpty();
        Files.writeString(library.resolve("2024-05-01_wedding/IMG_1000.xmp"), "rating=5");
        JsonNode second = json(cli, ExitCodes.OK, "backup", library.toString(), "--json");

        JsonNode snapshots = json(cli, ExitCodes.OK, "snapshots", "--json");
        assertThat(snapshots).hasSize(2);
        assertFields(snapshots.get(1), "id", "snapshot");
        assertFields(snapshots.get(1).get("snapshot"), "version", "time", "host", "username", "paths", "tags", "tree",
                "parent", "summary", "warnings", "program");
        assertThat(snapshots.get(1).get("snapshot").get("parent").asText()).isEqualTo(backup.get("snapshot").asText());
        assertThat(snapshots.get(1).get("id").asText()).isEqualTo(second.get("snapshot").asText());

        JsonNode ls = json(cli, ExitCodes.OK, "ls", "latest", "library/2024-05-01_wedding", "--json");
        assertThat(ls).hasSize(9);
        ls.forEach(e -> assertFields(e, "path", "type", "size", "mode", "mtime"));
        assertThat(ls.get(0).get("type").asText()).isEqualTo("dir");
        assertThat(ls.get(0).get("mode").asText()).matches("[0-7]+");

        JsonNode check = json(cli, ExitCodes.OK, "check", "--read-data", "--json");
        assertFields(check, "snapshots", "trees", "blobs", "packs", "packsRead", "bytesRead", "errors", "warnings",
                "affected");
        assertThat(check.get("errors")).isEmpty();

        JsonNode stats = json(cli, ExitCodes.OK, "stats", "--json");
        assertFields(stats, "snapshots", "files", "restoreSize", "dataBlobs", "treeBlobs", "uniqueBytes", "packs",
                "packBytes", "storedBytes");
        assertThat(stats.get("snapshots").asInt()).isEqualTo(2);

        JsonNode diff = json(cli, ExitCodes.OK, "diff", backup.get("snapshot").asText(), "latest", "--json");
        assertFields(diff, "from", "to", "changes");
        assertThat(diff.get("changes")).hasSize(1);
        assertFields(diff.get("changes").get(0), "kind", "path");
        assertThat(diff.get("changes").get(0).get("kind").asText()).isEqualTo("M");
        assertThat(diff.get("changes").get(0).get("path").asText()).isEqualTo("library/2024-05-01_wedding/IMG_1000.xmp");

        JsonNode keys = json(cli, ExitCodes.OK, "key", "list", "--json");
        assertThat(keys).hasSize(1);
        assertFields(keys.get(0), "id", "current", "created", "host", "username", "kdf");

        JsonNode restore = json(cli, ExitCodes.OK, "restore", "latest", "--target", tmp.resolve("out").toString(),
                "--json");
        assertFields(restore, "snapshot", "target", "result");
        assertFields(restore.get("result"), "files", "bytes", "filesAlreadyIntact", "dirs", "symlinks", "problems");
        assertThat(TestFiles.content(tmp.resolve("out/library"))).isEqualTo(TestFiles.content(library));
    }

    private static void assertFields(JsonNode node, String... fields) {
        assertThat(node.isObject()).as("an object: %s", node).isTrue();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("fields of %s", node).containsExactlyInAnyOrder(fields);
    }

    // ------------------------------------------------------------------------------------ keys

    @Test
    void keyAddListPasswdRemove() throws IOException {
        printed.add(cli.init());
        String second = "second password a1b2";
        String third = "third password c3d4";
        secrets.add(second);
        secrets.add(third);
        Path secondFile = Files.writeString(tmp.resolve("second.txt"), second + "\n");

        Cli.Result added = run(cli, ExitCodes.OK, "key", "add", "--new-password-file", secondFile.toString());
        assertThat(added.out()).startsWith("added key ");
        JsonNode keys = json(cli, ExitCodes.OK, "key", "list", "--json");
        assertThat(keys).hasSize(2);
        String firstKey = null;
        String secondKey = null;
        for (JsonNode k : keys) {
            if (k.get("current").asBoolean()) {
                firstKey = k.get("id").asText();
            } else {
                secondKey = k.get("id").asText();
            }
        }
        assertThat(firstKey).isNotNull();
        assertThat(secondKey).isNotNull().startsWith(added.out().substring("added key ".length()).trim());

        // the key in use cannot be removed
        Cli.Result refused = run(cli, ExitCodes.FAILURE, "key", "remove", firstKey.substring(0, 8));
        assertThat(refused.err()).contains("is the one this vault was opened with");
        assertThat(json(cli, ExitCodes.OK, "key", "list", "--json")).hasSize(2);

        // with the second password, the first key can go
        Cli asSecond = new Cli(vault, second);
        run(asSecond, ExitCodes.OK, "key", "remove", firstKey.substring(0, 8));
        run(cli, ExitCodes.WRONG_PASSWORD, "snapshots");

        // passwd replaces the key in use: the old password stops working, the new one works
        asSecond.env.put("TRIPLICATE_NEW_PASSWORD", third);
        assertThat(run(asSecond, ExitCodes.OK, "key", "passwd").out()).contains("password changed");
        Cli.Result old = run(asSecond, ExitCodes.WRONG_PASSWORD, "snapshots");
        assertThat(old.err()).contains("wrong password");
        Cli asThird = new Cli(vault, third);
        run(asThird, ExitCodes.OK, "snapshots");
        JsonNode left = json(asThird, ExitCodes.OK, "key", "list", "--json");
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("current").asBoolean()).isTrue();

        Cli.Result noMatch = run(asThird, ExitCodes.FAILURE, "key", "remove", "ffffffffffff");
        assertThat(noMatch.err()).contains("no key matches");
    }

    // ------------------------------------------------------------------------------------ excludes

    @Test
    void excludesByNameGlobAndByPathGlob() throws IOException {
        printed.add(cli.init());
        Files.writeString(library.resolve("2024-05-01_wedding/IMG_1000.jpg.tmp"), "temp");
        run(cli, ExitCodes.OK, "backup", library.toString(),
                "--exclude", "*.xmp",                                              // any name
                "--exclude", "*.tmp",
                "--exclude", "**/2024-07-30_holiday",                              // a folder, by path
                "--exclude", library.resolve("2024-06-12_portraits") + "/IMG_100[45].jpg"); // files, by absolute path
        List<String> paths = new ArrayList<>();
        json(cli, ExitCodes.OK, "ls", "latest", "--json").forEach(e -> paths.add(e.get("path").asText()));

        assertThat(paths).noneMatch(p -> p.endsWith(".xmp") || p.endsWith(".tmp") || p.contains("holiday"));
        assertThat(paths).contains("library/2024-05-01_wedding/IMG_1000.jpg", "library/2024-06-12_portraits/IMG_1006.jpg")
                .doesNotContain("library/2024-06-12_portraits/IMG_1004.jpg", "library/2024-06-12_portraits/IMG_1005.jpg");
        assertThat(paths.stream().filter(p -> p.endsWith(".jpg"))).hasSize(6);
    }
}
