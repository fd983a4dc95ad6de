package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.Id;
import triplicate.maintenance.TreeWalker;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.NodeType;

/**
 * The 3-2-1 commands as a user runs them: targets in the config, sync to a vault and mirrors, status and its exit
 * code, verify and heal after bit rot, an unplugged drive, a vault whose backend fails, a locked catalog.
 */
class TargetsCliTest {
    private static final String PASSWORD = "targets secret 7e57";

    @TempDir
    Path tmp;

    private Path lib;
    private Path vault;
    private Path usb;
    private Path nas;
    private Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        lib = TestFiles.library(tmp.resolve("photos"));
        vault = tmp.resolve("vault");
        usb = tmp.resolve("usb");
        nas = tmp.resolve("nas");
        cli = new Cli(vault, PASSWORD);
        cli.env.put("TRIPLICATE_LIBRARY", lib.toString());
        cli.env.put("TRIPLICATE_CATALOG_WAIT", "0.3");
    }

    private JsonNode json(int code, String... args) throws IOException {
        return JsonMapper.builder().build().readTree(cli.expect(code, args).out());
    }

    private void addTargets() {
        cli.expect(ExitCodes.OK, "target", "add", "usb", "--kind", "mirror", "--uri", usb.toString(), "--media",
                "external-drive", "--location", "onsite");
        cli.expect(ExitCodes.OK, "target", "add", "nas", "--kind", "mirror", "--uri", nas.toString(), "--media", "nas",
                "--location", "onsite");
    }

    private void addVault(String uri) {
        cli.init("--vault", uri);
        cli.expect(ExitCodes.OK, "target", "add", "cloud", "--kind", "vault", "--uri", uri, "--media", "cloud",
                "--location", "offsite");
    }

    @Test
    void targetsAreAddedListedAndRemovedAndBadConfigsNamed() throws IOException {
        usb = tmp.resolve("media/usb");   // the drive's mount point is not there
        Cli.Result added = cli.expect(ExitCodes.OK, "target", "add", "usb", "--kind", "mirror", "--uri", usb.toString(),
                "--media", "external-drive", "--location", "onsite");
        assertThat(added.out()).contains("added mirror usb").contains(".triplicate/config.yaml");
        assertThat(added.err()).contains("the mirror's folder is not set up yet").contains("mirror usb --init");
        Files.createDirectories(nas);
        assertThat(cli.expect(ExitCodes.OK, "target", "add", "nas", "--kind", "mirror", "--uri", nas.toString(),
                "--media", "nas", "--location", "onsite").err()).isEmpty();
        assertThat(nas.resolve(".triplicate-mirror/MIRROR")).exists();
        cli.expect(ExitCodes.OK, "target", "add", "b2", "--kind", "vault", "--uri", "s3://bucket/photos", "--media",
                "cloud", "--location", "offsite", "--password-file", "~/.b2-password");
        JsonNode list = json(ExitCodes.OK, "target", "list", "--json");
        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("reachable").asBoolean()).isFalse();
        assertThat(list.get(1).get("reachable").asBoolean()).isTrue();
        assertThat(list.get(2).get("passwordFile").asText()).isEqualTo("~/.b2-password");
        assertThat(cli.expect(ExitCodes.OK, "target", "list").out()).contains("b2").contains("s3://bucket/photos");

        assertThat(cli.expect(ExitCodes.USAGE, "target", "add", "x", "--kind", "copy", "--uri", "/x", "--media", "nas",
                "--location", "onsite").err()).contains("--kind is mirror or vault");
        assertThat(cli.expect(ExitCodes.FAILURE, "target", "add", "x", "--kind", "mirror", "--uri", "sftp://nas/x",
                "--media", "nas", "--location", "onsite").err()).contains("a mirror is a local folder");
        assertThat(cli.expect(ExitCodes.FAILURE, "target", "add", "usb", "--kind", "mirror", "--uri", "/y",
                "--media", "nas", "--location", "onsite").err()).contains("already a target named 'usb'");
        cli.expect(ExitCodes.OK, "target", "remove", "b2");
        assertThat(json(ExitCodes.OK, "target", "list", "--json")).hasSize(2);

        Path config = lib.resolve(".triplicate/config.yaml");
        Files.writeString(config, Files.readString(config).replace("copies: 3", "copies: lots"));
        Cli.Result bad = cli.expect(ExitCodes.FAILURE, "status");
        assertThat(bad.err()).contains(config + ":12:11: copies must be a whole number");
    }

    @Test
    void syncMakesTheLibraryMeetThePolicyAndStatusSaysSo() throws IOException {
        addTargets();
        cli.expect(ExitCodes.FAILURE, "status");   // no catalog yet
        cli.expect(ExitCodes.INCOMPLETE, "catalog", "scan", lib.toString());
        Cli.Result before = cli.expect(ExitCodes.POLICY_NOT_MET, "status");
        assertThat(before.out()).contains("0 of 12 assets meet the policy; 12 do not:")
                .contains("2024-05-01_wedding/IMG_1000.jpg: 1 copy (the library only), 1 kind of media (internal),"
                        + " no offsite");

        Cli.Result mirrorsOnly = cli.expect(ExitCodes.POLICY_NOT_MET, "sync");
        assertThat(mirrorsOnly.out()).contains("mirror usb: 24 copied").contains("mirror nas: 24 copied")
                .contains("IMG_1000.jpg: no offsite");

        addVault(vault.toString());
        JsonNode sync = json(ExitCodes.OK, "sync", "--json");
        assertThat(sync.get("vaults").get(0).get("outcome").asText()).isEqualTo("DONE");
        assertThat(sync.get("vaults").get(0).get("recorded").asInt()).isEqualTo(24);
        assertThat(sync.get("mirrors")).hasSize(2);
        JsonNode status = sync.get("status");
        assertThat(status.get("policyMet").asBoolean()).isTrue();
        assertThat(status.get("met").asInt()).isEqualTo(12);
        assertThat(status.get("targets").get(2).get("holds").asInt()).isEqualTo(12);

        JsonNode st = json(ExitCodes.OK, "status", "--json");
        List<String> fields = new ArrayList<>();
        st.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("library", "at", "policy", "policyMet", "assets", "met", "notMet", "targets",
                "byReason", "archived", "failing", "seconds");
        assertThat(mirrorsOnly.all()).doesNotContain(PASSWORD);

        // a changed photo is not safe until the next sync: its copies held the old content
        TestFiles.writeRandom(lib.resolve("2024-06-12_portraits/IMG_1004.jpg"), 99, 1000);
        cli.expect(ExitCodes.INCOMPLETE, "catalog", "scan", lib.toString());
        JsonNode changed = json(ExitCodes.POLICY_NOT_MET, "status", "--json");
        assertThat(changed.get("failing")).hasSize(1);
        assertThat(changed.get("failing").get(0).get("summary").asText())
                .isEqualTo("1 copy (the library only), 1 kind of media (internal), no offsite; usb lacks"
                        + " 2024-06-12_portraits/IMG_1004.jpg; nas lacks 2024-06-12_portraits/IMG_1004.jpg; cloud lacks"
                        + " 2024-06-12_portraits/IMG_1004.jpg");
        cli.expect(ExitCodes.OK, "sync");
    }

    @Test
    void bitRotIsFoundNamedHealedAndGone() throws IOException {
        addTargets();
        Files.createDirectories(usb);
        cli.expect(ExitCodes.OK, "mirror", "--init");
        TestFiles.flipByte(usb.resolve("2024-05-01_wedding/IMG_1001.jpg"), 1000);
        TestFiles.flipByte(usb.resolve("2024-07-30_holiday/IMG_1010.xmp"), 10);
        Cli.Result v = cli.expect(ExitCodes.FAILURE, "verify", "usb");
        assertThat(v.out()).contains("mirror usb: 24 file(s) checked, 22 intact, 2 damaged, 0 missing")
                .contains("damaged: 2024-05-01_wedding/IMG_1001.jpg: content differs from the catalog and the manifest")
                .contains("damaged: 2024-07-30_holiday/IMG_1010.xmp").contains("run 'triplicate heal'");
        assertThat(cli.expect(ExitCodes.POLICY_NOT_MET, "status").out())
                .contains("IMG_1001.jpg: 2 copies, no offsite; damaged on usb: 2024-05-01_wedding/IMG_1001.jpg");
        Cli.Result h = cli.expect(ExitCodes.OK, "heal");
        assertThat(h.out()).contains("mirror usb: 2 healed, 0 could not be").contains("mirror nas: 0 healed");
        assertThat(cli.expect(ExitCodes.OK, "verify", "--sample", "100%").out())
                .contains("mirror usb: 24 file(s) checked, 24 intact, 0 damaged, 0 missing");
        cli.expect(ExitCodes.USAGE, "verify", "--sample", "0%");
        cli.expect(ExitCodes.USAGE, "verify", "--sample", "10%", "--all");
        JsonNode j = json(ExitCodes.OK, "verify", "nas", "--json");
        assertThat(j.get("targets").get(0).get("ok").asInt()).isEqualTo(24);
    }

    @Test
    void whenTheLibraryAndTheOtherMirrorAreBadTooTheVaultHeals() throws IOException {
        addTargets();
        addVault(vault.toString());
        cli.expect(ExitCodes.OK, "sync");
        String p = "2024-06-12_portraits/IMG_1005.jpg";
        for (Path root : List.of(usb, nas, lib)) {
            TestFiles.flipByte(root.resolve(p), 500);
        }
        assertThat(cli.expect(ExitCodes.FAILURE, "verify", "usb").out()).contains("damaged: " + p);
        Cli.Result h = cli.expect(ExitCodes.OK, "heal", "usb");
        assertThat(h.out()).contains("healed: " + p + " from vault cloud (snapshot ");
        assertThat(h.out()).contains("mirror usb: 1 healed, 0 could not be");
        assertThat(cli.expect(ExitCodes.OK, "verify", "usb").out()).contains("24 intact");
        assertThat(usb.resolve(".triplicate-mirror/heal")).isEmptyDirectory();
    }

    @Test
    void bitRotInMirrorFilesAndVaultPacksIsFoundHealedAndGone() throws IOException {
        addTargets();
        addVault(vault.toString());
        cli.expect(ExitCodes.OK, "sync");
        Random r = new Random(321);
        // random bytes flipped inside 3 random data chunks of the vault's snapshot of the library
        Set<String> vaultHit = new TreeSet<>();
        try (Repository repo = cli.openRepository()) {
            Repository.SnapshotRef latest = null;
            for (Repository.SnapshotRef s : repo.listSnapshots()) {
                if (!s.snapshot().tags().contains("triplicate-catalog")) {
                    latest = s;
                }
            }
            List<TreeWalker.Entry> files = new TreeWalker(repo).list(latest.snapshot().tree(), "", true).stream()
                    .filter(e -> e.node().type() == NodeType.FILE && !e.path().contains("/.triplicate/")).toList();
            Set<Id> hit = new HashSet<>();
            while (hit.size() < 3) {
                TreeWalker.Entry e = files.get(r.nextInt(files.size()));
                Id id = e.node().content().get(r.nextInt(e.node().content().size()));
                if (hit.add(id)) {
                    PackedBlob b = repo.index().get(id);
                    Path pack = vault.resolve("data").resolve(b.pack().hex().substring(0, 2)).resolve(b.pack().hex());
                    pack.toFile().setWritable(true);
                    TestFiles.flipByte(pack, b.offset() + r.nextInt(b.length()));
                }
            }
            files.stream().filter(e -> e.node().content().stream().anyMatch(hit::contains))
                    .forEach(e -> vaultHit.add(e.path().substring("photos/".length())));
        }
        // the library's own copies of those files rot too: the vault must heal from a mirror
        for (String p : vaultHit) {
            TestFiles.flipByte(lib.resolve(p), 3);
        }
        // and 3 other files rot on the usb mirror (healed from the library)
        List<String> others = TestFiles.content(usb).keySet().stream()
                .filter(p -> !p.startsWith(".triplicate") && !vaultHit.contains(p)).toList();
        Set<String> usbHit = new TreeSet<>();
        while (usbHit.size() < 3) {
            String p = others.get(r.nextInt(others.size()));
            if (usbHit.add(p)) {
                TestFiles.flipByte(usb.resolve(p), r.nextInt((int) Files.size(usb.resolve(p))));
            }
        }

        Cli.Result v = cli.expect(ExitCodes.FAILURE, "verify");
        for (String p : usbHit) {
            assertThat(v.out()).contains("damaged: " + p + ": content differs");
        }
        for (String p : vaultHit) {
            assertThat(v.out()).contains("damaged: " + p + ": ");
        }
        assertThat(v.out()).contains("vault cloud: 24 file(s) checked, " + (24 - vaultHit.size()) + " intact, "
                + vaultHit.size() + " damaged");
        assertThat(cli.expect(ExitCodes.POLICY_NOT_MET, "status").out()).contains("damaged on cloud");

        Cli.Result h = cli.expect(ExitCodes.OK, "heal");
        assertThat(h.out()).contains("mirror usb: 3 healed, 0 could not be");
        for (String p : vaultHit) {
            assertThat(h.out()).contains("photos/" + p + " from mirror " + usb);
        }
        Cli.Result again = cli.expect(ExitCodes.OK, "verify");
        assertThat(again.out()).contains("mirror usb: 24 file(s) checked, 24 intact, 0 damaged, 0 missing")
                .contains("mirror nas: 24 file(s) checked, 24 intact").contains("vault cloud: 24 file(s) checked, 24 intact");
        assertThat(cli.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
    }

    @Test
    void anUnpluggedDriveAndAFailingVaultLeaveTheOthersServed() throws IOException {
        addTargets();
        addVault("faulty:" + vault);
        CliTesting.deleteTree(usb);   // unplugged
        cli.env.put("TRIPLICATE_TEST_FAIL_SAVE", "1");   // the vault's backend fails from its first save
        Cli.Result r = cli.expect(ExitCodes.FAILURE, "sync");
        assertThat(r.err()).contains("vault cloud: failed:").contains("mirror usb: not available: " + usb
                + " does not exist (drive not plugged in?");
        assertThat(r.out()).contains("mirror nas: 24 copied");
        assertThat(TestFiles.content(nas).keySet()).containsAll(TestFiles.content(lib).keySet().stream()
                .filter(p -> !p.startsWith(".triplicate")).toList());
        cli.env.remove("TRIPLICATE_TEST_FAIL_SAVE");
        // the library, nas and cloud make 3 copies: the policy is met while usb is away (exit 3: a target unavailable)
        Cli.Result again = cli.expect(ExitCodes.INCOMPLETE, "sync");
        assertThat(again.out()).contains("vault cloud: snapshot").contains("24 files recorded as stored")
                .contains("12 of 12 assets meet the policy");
        assertThat(again.err()).contains("mirror usb: not available");
    }

    @Test
    void aHandEditedMirrorAndACorruptManifest() throws IOException {
        addTargets();
        Files.createDirectories(usb);
        cli.expect(ExitCodes.OK, "mirror", "usb", "--init");
        Files.writeString(usb.resolve("2024-05-01_wedding/notes.txt"), "my notes");
        Cli.Result r = cli.expect(ExitCodes.INCOMPLETE, "mirror", "usb");
        assertThat(r.err()).contains("warning: usb: 2024-05-01_wedding/notes.txt is not the library's (not in the"
                + " manifest): left alone");
        assertThat(usb.resolve("2024-05-01_wedding/notes.txt")).hasContent("my notes");

        Files.writeString(usb.resolve(".triplicate-mirror/manifest"), "this is not a manifest\n");
        Cli.Result bad = cli.expect(ExitCodes.FAILURE, "mirror", "usb");
        assertThat(bad.err()).contains("mirror usb: failed: the manifest " + usb.resolve(".triplicate-mirror/manifest")
                + " is damaged: line 1 is not 'SHA256  PATH'; run 'triplicate mirror usb --rebuild-manifest'");
        Cli.Result rebuilt = cli.expect(ExitCodes.INCOMPLETE, "mirror", "usb", "--rebuild-manifest");
        assertThat(rebuilt.out()).contains("0 copied").contains("24 adopted");
        assertThat(cli.expect(ExitCodes.INCOMPLETE, "mirror", "usb").out()).contains("24 unchanged");
    }

    @Test
    void aLockedCatalogIsNamedAndStatusStillReads() throws Exception {
        addTargets();
        Files.createDirectories(usb);
        cli.expect(ExitCodes.OK, "mirror", "--init");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + lib.resolve(".triplicate/catalog.db"));
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");   // another process is writing
            assertThat(cli.expect(ExitCodes.POLICY_NOT_MET, "status").out()).contains("12 do not");
            Cli.Result scan = cli.expect(ExitCodes.FAILURE, "catalog", "scan", lib.toString());
            assertThat(scan.err()).contains("is in use by another Triplicate process");
            TestFiles.writeRandom(lib.resolve("2024-05-01_wedding/IMG_2000.jpg"), 5, 5000);
            Cli.Result m = cli.expect(ExitCodes.INCOMPLETE, "mirror", "usb");
            assertThat(m.err()).contains("warning: the catalog was busy").contains("mirroring what the catalog knew");
            Cli.Result v = cli.expect(ExitCodes.INCOMPLETE, "verify", "usb");
            assertThat(v.err()).contains("the catalog is busy").contains("were not recorded");
            s.execute("ROLLBACK");
        }
        assertThat(cli.expect(ExitCodes.OK, "mirror", "usb").out()).contains("1 copied");
    }
}
