package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archive} and {@code unarchive} as a photographer runs them, on a real library, real local vaults and a real
 * catalog: the round trip, the policy and the drill that must hold before anything is removed, forget keeping the
 * archive, status and find after it, an interrupted unarchive finished by running it again.
 */
class ArchiveCliTest {
    private static final String PASSWORD = "archive secret 5ee1";
    private static final String SHOOT = "2024-05-01_wedding";

    @TempDir
    Path tmp;

    private Path lib;
    private Path nas;
    private Path cloud;
    private Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        lib = TestFiles.library(tmp.resolve("photos"));
        nas = tmp.resolve("nas-vault");
        cloud = tmp.resolve("cloud-vault");
        cli = new Cli(nas, PASSWORD);
        cli.env.put("TRIPLICATE_LIBRARY", lib.toString());
        cli.env.put("TRIPLICATE_CATALOG_WAIT", "0.3");
    }

    private void addVaults(String nasUri, String cloudUri) throws IOException {
        addVaults(nasUri, cloudUri, false);
    }

    /** Both vaults as targets; with {@code smallPacks}, the nas vault spreads the shoot over many packs. */
    private void addVaults(String nasUri, String cloudUri, boolean smallPacks) throws IOException {
        if (smallPacks) {
            cli.initWithSmallPacks();
        } else {
            cli.init("--vault", nas.toString());
        }
        cli.init("--vault", cloud.toString());
        cli.expect(ExitCodes.OK, "target", "add", "nas", "--kind", "vault", "--uri", nasUri, "--media", "nas",
                "--location", "onsite");
        cli.expect(ExitCodes.OK, "target", "add", "cloud", "--kind", "vault", "--uri", cloudUri, "--media", "cloud",
                "--location", "offsite");
    }

    private SortedMap<String, String> shootContent() throws IOException {
        return TestFiles.content(lib.resolve(SHOOT));
    }

    @Test
    void archiveThenUnarchiveGivesBackEveryByteAndForgetKeepsTheArchive() throws IOException {
        addVaults(nas.toString(), cloud.toString());
        SortedMap<String, String> before = shootContent();

        // bad input first: nothing is written, nothing removed
        assertThat(cli.expect(ExitCodes.FAILURE, "archive", "2024-05-01_weding", "--to", "nas", "--to", "cloud").err())
                .contains("no shoot '2024-05-01_weding'").contains("did you mean '2024-05-01_wedding'");
        assertThat(cli.expect(ExitCodes.FAILURE, "archive", SHOOT, "--to", "b2").err())
                .contains("no target named 'b2'").contains("nas, cloud");
        JsonNode policy = cli.expect(ExitCodes.POLICY_NOT_MET, "archive", SHOOT, "--to", "nas", "--json").json();
        assertThat(policy.get("outcome").asText()).isEqualTo("POLICY_NOT_MET");
        assertThat(policy.get("shortOfCopies").get(0).get("why").asText())
                .contains("1 copy outside the library (2 wanted)").contains("no offsite copy (1 wanted)");
        assertThat(cli.expect(ExitCodes.OK, "archive", SHOOT, "--to", "nas", "--to", "cloud", "--dry-run").out())
                .contains("would archive into nas").contains("dry run");
        assertThat(shootContent()).isEqualTo(before);
        assertThat(cli.expect(ExitCodes.OK, "snapshots", "--vault", nas.toString(), "--json").json()).isEmpty();

        JsonNode done = cli.expect(ExitCodes.OK, "archive", SHOOT, "--to", "nas", "--to", "cloud", "--json").json();
        assertThat(done.get("outcome").asText()).isEqualTo("ARCHIVED");
        assertThat(done.get("removed")).hasSize(8);
        assertThat(done.get("kept")).isEmpty();
        assertThat(done.get("targets")).hasSize(2);
        for (JsonNode t : done.get("targets")) {
            assertThat(t.get("ok").asLong()).isEqualTo(8);
            assertThat(t.get("catalogSnapshot").isNull()).isFalse();
        }
        assertThat(lib.resolve(SHOOT)).doesNotExist();
        assertThat(lib.resolve("2024-06-12_portraits")).isDirectory();

        // the catalog knows where the shoot is, and a scan does not forget it
        cli.expect(ExitCodes.OK, "catalog", "scan", lib.toString());
        JsonNode status = cli.expect(ExitCodes.POLICY_NOT_MET, "status", "--json").json();
        assertThat(status.get("assets").asLong()).isEqualTo(8);
        assertThat(status.get("archived").get("assets").asLong()).isEqualTo(4);
        assertThat(status.get("archived").get("files").asLong()).isEqualTo(8);
        assertThat(status.get("archived").get("archives")).hasSize(2);
        assertThat(cli.expect(ExitCodes.POLICY_NOT_MET, "status").out()).contains("archived (not in the library")
                .contains(SHOOT + ": 8 files in nas");
        JsonNode found = cli.expect(ExitCodes.OK, "find", "--shoot", "wedding", "--json").json();
        assertThat(found.get("count").asLong()).isEqualTo(4);
        assertThat(found.get("assets").get(0).get("files").get(0).get("archived").asBoolean()).isTrue();
        assertThat(cli.expect(ExitCodes.FAILURE, "archive", SHOOT, "--to", "nas", "--to", "cloud").err())
                .contains("archived already");

        // retention: a policy never forgets the archive, naming it needs --force
        String archiveId = done.get("targets").get(0).get("snapshot").asText();
        cli.expect(ExitCodes.OK, "backup", lib.toString(), "--vault", nas.toString());
        JsonNode forget = cli.expect(ExitCodes.OK, "forget", "--vault", nas.toString(), "--keep-last", "1",
                "--group-by", "", "--json").json();
        assertThat(forget.get("forgotten").toString()).doesNotContain(archiveId);
        assertThat(forget.toString()).contains("archived shoot " + SHOOT);
        assertThat(cli.expect(ExitCodes.NEEDS_FORCE, "forget", "--vault", nas.toString(), archiveId.substring(0, 8))
                .err()).contains("archived shoot " + SHOOT).contains("nothing was forgotten");

        JsonNode back = cli.expect(ExitCodes.OK, "unarchive", SHOOT, "--json").json();
        assertThat(back.get("restored").asLong()).isEqualTo(8);
        assertThat(back.get("sources").get(0).asText()).startsWith("nas snapshot");
        assertThat(shootContent()).isEqualTo(before);
        JsonNode after = cli.expect(ExitCodes.POLICY_NOT_MET, "status", "--json").json();
        assertThat(after.get("assets").asLong()).isEqualTo(12);
        assertThat(after.get("archived").get("archives")).isEmpty();
        JsonNode scan = cli.expect(ExitCodes.OK, "catalog", "scan", lib.toString(), "--json").json();
        assertThat(scan.get("filesRead").asLong()).as("unarchive noted the files' identities").isZero();
        assertThat(lib.resolve(".triplicate/unarchive")).doesNotExist();
        assertThat(cli.expect(ExitCodes.FAILURE, "unarchive", SHOOT).err()).contains("is not archived");
    }

    @Test
    void aDrillThatFindsDamageRemovesNothing() throws IOException {
        addVaults(nas.toString(), cloud.toString());
        SortedMap<String, String> before = shootContent();
        // the cloud vault already holds the shoot's data (an earlier backup): the archive snapshot reuses it
        cli.expect(ExitCodes.OK, "backup", lib.resolve(SHOOT).toString(), "--vault", cloud.toString());
        try (Stream<Path> packs = Files.walk(cloud.resolve("data"))) {
            // the data packs (the photos' contents; the packs of folder listings are a few hundred bytes)
            for (Path p : packs.filter(Files::isRegularFile).filter(p -> p.toFile().length() > 20_000).toList()) {
                TestFiles.flipByte(p, Files.size(p) / 2);
            }
        }
        Cli.Result r = cli.expect(ExitCodes.FAILURE, "archive", SHOOT, "--to", "nas", "--to", "cloud");
        assertThat(r.err()).contains("error: cloud: " + SHOOT + "/").contains("DAMAGED")
                .contains("nothing was removed").contains("forgotten again (the shoot was not archived)");
        assertThat(shootContent()).isEqualTo(before);
        // the refused archive's snapshots do not stay pinned by retention
        assertThat(cli.expect(ExitCodes.OK, "snapshots", "--vault", nas.toString(), "--json").json()).isEmpty();
        assertThat(cli.expect(ExitCodes.POLICY_NOT_MET, "status", "--json").json().get("archived").get("archives"))
                .isEmpty();
    }

    @Test
    void aColdVaultNeedsAThawForTheDrillAndTheArchiveIsMadeAfterIt() throws Exception {
        cli.env.put("TRIPLICATE_TEST_COLD_DIR", tmp.resolve("cold-state").toString());
        cli.env.put("TRIPLICATE_TEST_THAW_MS", "3600000");   // an hour: thaws finish when the test says so
        addVaults(nas.toString(), "coldsim:" + cloud);
        SortedMap<String, String> before = shootContent();

        // the data just written to the cold vault cannot be drilled before a thaw: refused, nothing removed
        Cli.Result cold = cli.expect(ExitCodes.THAW_NEEDED, "archive", SHOOT, "--to", "nas", "--to", "cloud");
        assertThat(cold.err()).contains("not thawed").contains("triplicate thaw");
        assertThat(shootContent()).isEqualTo(before);
        assertThat(cli.expect(ExitCodes.OK, "snapshots", "--vault", "coldsim:" + cloud, "--json").json())
                .as("the refused archive's snapshot is forgotten again").isEmpty();
        java.util.regex.Matcher thaw = java.util.regex.Pattern.compile("triplicate thaw ([0-9a-f]{8})( --include '[^']*')?")
                .matcher(cold.err());
        assertThat(thaw.find()).isTrue();
        cli.expect(ExitCodes.OK, "thaw", thaw.group(1), "--vault", "coldsim:" + cloud);
        triplicate.backend.testkit.ColdStorageBackend.finishThaws(tmp.resolve("cold-state"));

        // the second run's snapshot reuses the thawed data: its drill reads it, and the shoot is archived
        cli.expect(ExitCodes.OK, "archive", SHOOT, "--to", "nas", "--to", "cloud");
        assertThat(lib.resolve(SHOOT)).doesNotExist();
        cli.expect(ExitCodes.OK, "unarchive", SHOOT, "--from", "cloud");
        assertThat(shootContent()).isEqualTo(before);
    }

    @Test
    void aMirrorIsRefusedAsAnArchive() throws IOException {
        addVaults(nas.toString(), cloud.toString());
        cli.expect(ExitCodes.OK, "target", "add", "usb", "--kind", "mirror", "--uri", tmp.resolve("usb").toString(),
                "--media", "external-drive", "--location", "onsite");
        assertThat(cli.expect(ExitCodes.FAILURE, "archive", SHOOT, "--to", "usb", "--to", "cloud").err())
                .contains("'usb' is a mirror").contains("safety net");
        assertThat(lib.resolve(SHOOT)).isDirectory();
    }

    @Test
    void aWrongPasswordOrALockedCatalogRemovesNothing() throws IOException {
        addVaults(nas.toString(), cloud.toString());
        SortedMap<String, String> before = shootContent();
        Cli wrong = new Cli(nas, "not the password");
        wrong.env.putAll(cli.env);
        wrong.env.put("TRIPLICATE_PASSWORD", "not the password");
        wrong.expect(ExitCodes.WRONG_PASSWORD, "archive", SHOOT, "--to", "nas", "--to", "cloud");
        assertThat(shootContent()).isEqualTo(before);

        cli.expect(ExitCodes.OK, "catalog", "scan", lib.toString());
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + lib.resolve(".triplicate/catalog.db"));
             var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("DELETE FROM copies WHERE 0");   // holds the write lock
            Cli.Result busy = cli.expect(ExitCodes.FAILURE, "archive", SHOOT, "--to", "nas", "--to", "cloud");
            assertThat(busy.err()).contains("in use by another Triplicate process");
            c.rollback();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(shootContent()).isEqualTo(before);
    }

    @Test
    void anInterruptedUnarchiveIsFinishedByRunningItAgain() throws IOException {
        addVaults("faulty:" + nas, cloud.toString(), true);
        SortedMap<String, String> before = shootContent();
        cli.expect(ExitCodes.OK, "archive", SHOOT, "--to", "nas", "--to", "cloud");
        assertThat(lib.resolve(SHOOT)).doesNotExist();

        // the vault goes away after N reads, for N = 1, 2, …: each run stops somewhere, and never leaves a file that
        // is not the archived one in the library
        int interrupted = 0;
        int partial = 0;
        for (int n = 1; n < 200; n++) {
            Cli cut = new Cli(nas, PASSWORD);
            cut.env.putAll(cli.env);
            cut.env.put("TRIPLICATE_TEST_GONE_AFTER_OPENS", Integer.toString(n));
            Cli.Result r = cut.run("unarchive", SHOOT, "--from", "nas");
            if (r.code() == ExitCodes.OK) {
                break;
            }
            interrupted++;
            if (Files.isDirectory(lib.resolve(SHOOT))) {
                SortedMap<String, String> now = shootContent();
                assertThat(before).containsAllEntriesOf(now);
                partial += now.isEmpty() || now.size() == before.size() ? 0 : 1;
            }
            if (Files.isDirectory(lib.resolve(".triplicate/unarchive"))) {
                try (Stream<Path> staged = Files.walk(lib.resolve(".triplicate/unarchive"))) {
                    partial += staged.anyMatch(Files::isRegularFile) ? 1 : 0;
                }
            }
        }
        assertThat(interrupted).as("runs the vanishing vault interrupted").isGreaterThan(2);
        assertThat(partial).as("runs that stopped with some files restored").isPositive();
        assertThat(shootContent()).isEqualTo(before);
        assertThat(cli.expect(ExitCodes.POLICY_NOT_MET, "status", "--json").json().get("archived").get("archives"))
                .isEmpty();
    }
}
