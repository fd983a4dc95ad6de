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
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.repository.Repository;
import triplicate.repository.Session;

/**
 * forget, prune, snapshots --forgotten, undelete and migrate as users run them: decisions with reasons, the JSON
 * interface of docs/cli.md, the exit codes of refusals (--force needed, append-only storage, another prune running),
 * malformed input, and a format 1 vault.
 */
class RetentionCliTest {
    private static final String PASSWORD = "retention secret 5ca1ab1e";
    private static final ObjectReader JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();

    @TempDir
    Path tmp;

    private Path vault;
    private Path library;
    private Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        vault = tmp.resolve("vault");
        library = TestFiles.library(tmp.resolve("library"));
        cli = new Cli(vault, PASSWORD);
    }

    private JsonNode json(int code, String... args) throws IOException {
        return JSON.readTree(cli.expect(code, args).out());
    }

    private List<String> backups(int n) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestFiles.writeRandom(library.resolve("2024-08-0" + (i + 1) + "_day/IMG_" + i + ".jpg"), 900 + i, 30_000);
            ids.add(json(ExitCodes.OK, "backup", "--json", "--tag", i == 0 ? "wedding" : "daily",
                    library.toString()).get("snapshot").asText());
        }
        return ids;
    }

    private static void assertFields(JsonNode node, String... names) {
        List<String> actual = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            actual.add(it.next());
        }
        assertThat(actual).containsExactly(names);
    }

    @Test
    void forgetShowsEveryDecisionWithItsReasonsAndForgetsNothingInADryRun() throws IOException {
        cli.init();
        List<String> ids = backups(4);
        Cli.Result dry = cli.expect(ExitCodes.OK, "forget", "--keep-last", "2", "--keep-tag", "wedding", "--dry-run");
        assertThat(dry.out()).contains("group host=").contains("last 2 (#1)").contains("tagged wedding")
                .contains("no rule keeps it").contains("would forget 1 snapshot(s), keep 3");
        assertThat(json(ExitCodes.OK, "snapshots", "--json")).hasSize(4);

        JsonNode f = json(ExitCodes.OK, "forget", "--keep-last", "2", "--keep-tag", "wedding", "--json");
        assertFields(f, "dryRun", "record", "forgotten", "kept", "groups", "warnings", "prune");
        assertThat(f.get("record").asText()).startsWith("forget-");
        assertThat(f.get("forgotten")).hasSize(1);
        assertThat(f.get("forgotten").get(0).asText()).isEqualTo(ids.get(1));
        assertThat(f.get("kept").asInt()).isEqualTo(3);
        JsonNode group = f.get("groups").get(0);
        assertFields(group, "host", "paths", "tags", "snapshots");
        assertThat(group.get("tags").isNull()).as("not grouped by tags").isTrue();
        JsonNode newest = group.get("snapshots").get(0);
        assertFields(newest, "id", "time", "host", "paths", "tags", "action", "reasons");
        assertThat(newest.get("id").asText()).isEqualTo(ids.get(3));
        assertThat(newest.get("action").asText()).isEqualTo("keep");
        assertThat(newest.get("reasons").get(0).asText()).isEqualTo("last 2 (#1)");
        assertThat(f.get("prune").isNull()).isTrue();

        // gone from the list, still in the vault
        assertThat(json(ExitCodes.OK, "snapshots", "--json")).hasSize(3);
        JsonNode forgotten = json(ExitCodes.OK, "snapshots", "--forgotten", "--json");
        assertThat(forgotten).hasSize(1);
        assertFields(forgotten.get(0), "id", "snapshot", "forgotten", "recoverableUntil");
        assertThat(cli.expect(ExitCodes.OK, "snapshots", "--forgotten").out()).contains(ids.get(1).substring(0, 8))
                .contains("undelete");
        assertThat(cli.expect(ExitCodes.OK, "ls", ids.get(1)).out()).as("restorable by id").contains("library");

        // undelete brings it back
        assertThat(json(ExitCodes.OK, "undelete", ids.get(1).substring(0, 8), "--json").get("undeleted").asText())
                .isEqualTo(ids.get(1));
        assertThat(json(ExitCodes.OK, "snapshots", "--json")).hasSize(4);
        assertThat(cli.expect(ExitCodes.FAILURE, "undelete", ids.get(1)).err()).contains("is not forgotten");
    }

    @Test
    void forgetWithPruneFreesSpaceAndPruneReportsInJson() throws IOException {
        cli.initWithSmallPacks();
        List<String> ids = backups(3);
        // make the first snapshot own data nobody else needs
        try (Stream<Path> s = Files.list(library.resolve("2024-05-01_wedding"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        cli.expect(ExitCodes.OK, "backup", library.toString());
        JsonNode r = json(ExitCodes.OK, "forget", ids.get(0), ids.get(1), ids.get(2), "--prune", "--recovery-window",
                "0d", "--json");
        assertThat(r.get("forgotten")).hasSize(3);
        JsonNode prune = r.get("prune");
        assertFields(prune, "dryRun", "snapshotsPurged", "packsDeleted", "bytesDeleted", "packsRepacked",
                "blobsRewritten", "bytesRewritten", "bytesFreed", "packsPlanned", "bytesPlanned", "packsWaiting",
                "bytesWaiting", "waitingFor", "staleMarkersRemoved", "indexFilesRewritten", "forgetRecordsRemoved",
                "forgottenKept", "warnings", "seconds");
        assertThat(prune.get("snapshotsPurged").asInt()).isEqualTo(3);
        assertThat(prune.get("bytesFreed").asLong()).isPositive();
        assertThat(json(ExitCodes.OK, "snapshots", "--forgotten", "--json")).isEmpty();
        assertThat(cli.expect(ExitCodes.FAILURE, "undelete", ids.get(0)).err()).contains("no snapshot");

        Cli.Result human = cli.expect(ExitCodes.OK, "prune", "--dry-run");
        assertThat(human.out()).contains("would mark 0 pack(s)").contains("dry run done");
        assertThat(cli.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));
    }

    @Test
    void aPolicyThatForgetsAGroupEntirelyNeedsForce() throws IOException {
        cli.init();
        backups(2);
        Cli.Result r = cli.expect(ExitCodes.NEEDS_FORCE, "forget", "--keep-tag", "no-such-tag");
        assertThat(r.err()).contains("would forget every snapshot of the group").contains("--force");
        assertThat(json(ExitCodes.OK, "snapshots", "--json")).as("nothing forgotten").hasSize(2);
        assertThat(cli.expect(ExitCodes.NEEDS_FORCE, "forget", "--keep-tag", "x", "--dry-run").err())
                .contains("--force");
        JsonNode all = json(ExitCodes.OK, "forget", "--keep-tag", "no-such-tag", "--force", "--json");
        assertThat(all.get("forgotten")).hasSize(2);
        assertThat(json(ExitCodes.OK, "snapshots", "--json")).isEmpty();
    }

    @Test
    void malformedInputIsAUsageErrorThatSaysWhatIsWrong() throws IOException {
        cli.init();
        backups(1);
        assertThat(cli.expect(ExitCodes.USAGE, "forget").err()).contains("give a policy");
        assertThat(cli.expect(ExitCodes.USAGE, "forget", "--keep-within", "30").err())
                .contains("'30' is not a duration").contains("no unit");
        assertThat(cli.expect(ExitCodes.USAGE, "forget", "--keep-within", "1.5d").err()).contains("whole numbers");
        assertThat(cli.expect(ExitCodes.USAGE, "forget", "--keep-tag", "a,b").err()).contains("comma");
        assertThat(cli.expect(ExitCodes.USAGE, "forget", "--keep-last", "1", "--group-by", "camera").err())
                .contains("cannot group by 'camera'");
        assertThat(cli.expect(ExitCodes.USAGE, "forget", "--keep-last", "1", "latest").err())
                .contains("either a policy or snapshots");
        assertThat(cli.expect(ExitCodes.USAGE, "prune", "--recovery-window", "a month").err())
                .contains("not a duration");
        assertThat(cli.expect(ExitCodes.USAGE, "prune", "--repack-unused", "0").err()).contains("1 to 100");
        assertThat(cli.expect(ExitCodes.USAGE, "backup", "--tag", " padded", library.toString()).err())
                .contains("space");
    }

    @Test
    void appendOnlyStorageBacksUpAndRefusesForgetPruneAndUndeleteWithExit13() throws IOException {
        cli.init();
        String id = backups(2).get(0);
        cli.expect(ExitCodes.OK, "forget", id);
        Cli appendOnly = new Cli(Path.of("faulty:" + vault), PASSWORD);
        appendOnly.env.put("TRIPLICATE_VAULT", "faulty:" + vault);
        appendOnly.env.put("TRIPLICATE_TEST_REFUSE_DELETES", "1");
        appendOnly.expect(ExitCodes.OK, "backup", library.toString());
        for (String[] cmd : new String[][] {{"forget", "--keep-last", "1"}, {"prune"}, {"undelete", id}}) {
            Cli.Result r = appendOnly.expect(ExitCodes.APPEND_ONLY, cmd);
            assertThat(r.err()).contains("refuses deletes").contains("append-only").contains("Backups work");
        }
        assertThat(json(ExitCodes.OK, "snapshots", "--json")).hasSize(2);
        assertThat(json(ExitCodes.OK, "snapshots", "--forgotten", "--json")).hasSize(1);
        cli.expect(ExitCodes.OK, "check", "--read-data");
    }

    @Test
    void aSecondPruneWhileOneRunsExits14() throws IOException {
        cli.init();
        backups(1);
        try (triplicate.crypto.Password pw = triplicate.crypto.Password.of(PASSWORD.toCharArray());
             Repository repo = Repository.open(triplicate.backend.local.LocalBackend.open(vault), pw,
                     triplicate.repository.RepositoryOptions.defaults("other", "u")
                             .withHeartbeat(java.time.Duration.ofMillis(100)));
             Session running = repo.startMaintenanceLock("prune")) {
            Cli.Result r = cli.expect(ExitCodes.BUSY, "prune", "--patience-ms", "3000");
            assertThat(r.err()).contains("another prune, undelete or heal is running").contains("watching");
            assertThat(running.expired()).isFalse();
        }
        cli.expect(ExitCodes.OK, "prune");
    }

    @Test
    void aFormat1VaultWorksButNeedsMigrateBeforeForgetAndPrune() throws IOException {
        Path v1 = Path.of("..", "core", "src", "test", "resources", "fixtures", "vault-v1");
        try (Stream<Path> s = Files.walk(v1)) {
            for (Path p : s.toList()) {
                Path d = vault.resolve(v1.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
        Cli old = new Cli(vault, "triplicate fixture v1");
        assertThat(old.expect(ExitCodes.OK, "snapshots").out()).contains("fixture-host");
        old.expect(ExitCodes.OK, "backup", library.toString());
        Cli.Result refused = old.expect(ExitCodes.FAILURE, "forget", "--keep-last", "1");
        assertThat(refused.err()).contains("format 1").contains("triplicate migrate");
        old.expect(ExitCodes.FAILURE, "prune");
        assertThat(JSON.readTree(old.expect(ExitCodes.OK, "migrate", "--json").out()).get("from").asInt()).isEqualTo(1);
        assertThat(old.expect(ExitCodes.OK, "migrate").out()).contains("format 2 already");
        old.expect(ExitCodes.OK, "forget", "--keep-last", "1", "--prune", "--recovery-window", "0d");
        assertThat(old.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
    }
}
