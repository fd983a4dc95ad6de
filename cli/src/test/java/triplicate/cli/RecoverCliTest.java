package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.catalog.Catalog;
import triplicate.catalog.CopyResult;

/**
 * The catalog goes into the vault with every backup of a library, and a new computer with nothing but the vault and
 * its password gets the library and its catalog back with {@code recover}: every file byte-identical and checked
 * against the catalog, the catalog with its recorded copies, a first scan that reads nothing. A vault that goes away
 * mid-recovery leaves a folder the same command resumes.
 */
class RecoverCliTest {
    private static final String PASSWORD = "recover-test secret 2c77";
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
        library = TestFiles.library(tmp.resolve("old-computer/Photos"));
        cli = new Cli(vault, PASSWORD);
        // the library's config (its targets) goes into the library's snapshot, and comes back with it
        cli.expect(ExitCodes.OK, "target", "add", "usb", "--kind", "mirror", "--uri", tmp.resolve("usb").toString(),
                "--media", "external-drive", "--location", "onsite", "--library", library.toString());
        original = TestFiles.content(library);
        assertThat(original).containsKey(".triplicate/config.yaml");
        cli.initWithSmallPacks();
        assertThat(cli.run("catalog", "scan", library.toString()).code()).isIn(ExitCodes.OK, ExitCodes.INCOMPLETE);
        cli.expect(ExitCodes.OK, "backup", library.toString());
        // a drill's results are in the catalog saved by the next backup
        cli.expect(ExitCodes.OK, "verify", "--all", "--library", library.toString(), "--vault", vault.toString(),
                "--target-name", "home-nas");
        JsonNode backup = JSON.readTree(cli.expect(ExitCodes.OK, "backup", library.toString(), "--json").out());
        assertThat(backup.get("catalogs")).hasSize(1);
        assertThat(backup.get("catalogs").get(0).get("problem").isNull()).isTrue();
    }

    /** A CLI on a computer that has nothing but the vault's location and its password. */
    private Cli newComputer() {
        Cli fresh = new Cli(tmp.resolve("unused"), PASSWORD);
        fresh.env.remove("TRIPLICATE_VAULT");
        return fresh;
    }

    @Test
    void aNewComputerRecoversTheLibraryAndItsCatalog() throws IOException {
        Path into = tmp.resolve("new-computer/Pictures");
        JsonNode r = JSON.readTree(newComputer().expect(ExitCodes.OK, "recover", "--from", vault.toString(),
                "--library", into.toString(), "--json").out());
        VerifyHealCliTest.assertFields(r, "vault", "library", "catalogSnapshot", "librarySnapshot", "backedUpFrom",
                "restore", "catalogRestored", "catalogFiles", "ok", "missing", "damaged", "seconds", "problems",
                "problemsListed");
        VerifyHealCliTest.assertFields(r.get("restore"), "files", "bytes", "filesAlreadyIntact", "dirs", "symlinks",
                "problems");
        assertThat(r.get("backedUpFrom").asText()).isEqualTo(library.toString());
        assertThat(r.get("catalogRestored").asBoolean()).isTrue();
        assertThat(r.get("catalogFiles").asLong()).isEqualTo(24);
        assertThat(r.get("ok").asLong()).isEqualTo(24);
        assertThat(r.get("missing").asLong() + r.get("damaged").asLong()).isZero();

        SortedMap<String, String> recovered = TestFiles.content(into);
        assertThat(recovered.remove(".triplicate/catalog.db")).isNotNull();
        assertThat(recovered).isEqualTo(original);
        assertThat(Files.readString(into.resolve(".triplicate/config.yaml"))).contains("name: usb");
        try (Catalog c = Catalog.openExisting(into, InstantSource.system())) {
            assertThat(c.counts().files()).isEqualTo(24);
            assertThat(c.copies("2024-06-12_portraits/IMG_1005.jpg")).singleElement()
                    .satisfies(k -> {
                        assertThat(k.target()).isEqualTo("home-nas");
                        assertThat(k.result()).isEqualTo(CopyResult.OK);
                    });
        }
        // the restored files are known to the catalog by their new identities: a scan reads none of them
        JsonNode scan = JSON.readTree(newComputer().expect(ExitCodes.OK, "catalog", "scan", into.toString(), "--json")
                .out());
        assertThat(scan.get("filesRead").asLong()).isZero();
        assertThat(scan.get("unchanged").asLong()).isEqualTo(24);
        // and the recovered library is drilled against the snapshot of its old place
        Cli drill = newComputer();
        drill.env.put("TRIPLICATE_VAULT", vault.toString());
        Cli.Result noSnapshot = drill.expect(ExitCodes.FAILURE, "verify", "--library", into.toString(), "--vault",
                vault.toString());
        assertThat(noSnapshot.err()).contains("no snapshot of the library " + into);
        drill.expect(ExitCodes.OK, "verify", "--all", "--library", into.toString(), "--vault", vault.toString(),
                "--snapshot", "latest");
    }

    @Test
    void libraryAndCatalogSnapshotsAreSeparateAndLatestIsTheLibrary() throws IOException {
        JsonNode snaps = JSON.readTree(cli.expect(ExitCodes.OK, "snapshots", "--json").out());
        assertThat(snaps).hasSize(4);
        JsonNode last = snaps.get(3).get("snapshot");
        assertThat(last.get("tags").toString()).contains("triplicate-catalog");
        assertThat(last.get("paths").get(0).asText()).isEqualTo(library.resolve(".triplicate").toString());
        // 'latest' is the library's snapshot, which leaves out the live database
        Cli.Result ls = cli.expect(ExitCodes.OK, "ls", "latest");
        assertThat(ls.out()).contains("Photos/2024-05-01_wedding/IMG_1000.jpg").doesNotContain(".triplicate");
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        SortedMap<String, String> library = new java.util.TreeMap<>(original);
        library.remove(".triplicate/config.yaml");   // in the catalog snapshot
        assertThat(TestFiles.content(out.resolve("Photos"))).isEqualTo(library);
        // the catalog snapshot holds the catalog and the config
        assertThat(cli.expect(ExitCodes.OK, "ls", snaps.get(3).get("id").asText()).out())
                .contains(".triplicate/catalog.db").contains(".triplicate/config.yaml");
    }

    @Test
    void recoverRefusesAFolderThatHasACatalogAndAVaultWithoutOne() throws IOException {
        Cli.Result taken = newComputer().expect(ExitCodes.FAILURE, "recover", "--from", vault.toString(),
                "--library", library.toString());
        assertThat(taken.err()).contains("already has a catalog").contains("nothing there is overwritten");
        Path busy = tmp.resolve("busy");
        TestFiles.writeRandom(busy.resolve("notes.txt"), 1, 100);
        Cli.Result notEmpty = newComputer().expect(ExitCodes.FAILURE, "recover", "--from", vault.toString(),
                "--library", busy.toString());
        assertThat(notEmpty.err()).contains("is not empty");
        assertThat(TestFiles.content(busy).keySet()).containsExactly("notes.txt");

        Path plain = tmp.resolve("plain-vault");
        Cli other = new Cli(plain, PASSWORD);
        other.init();
        Path files = TestFiles.library(tmp.resolve("files"));
        other.expect(ExitCodes.OK, "backup", files.toString());
        Cli.Result none = newComputer().expect(ExitCodes.FAILURE, "recover", "--from", plain.toString(),
                "--library", tmp.resolve("x").toString());
        assertThat(none.err()).contains("holds no catalog").contains("triplicate restore");
    }

    @Test
    void aVaultThatGoesAwayMidRecoveryLeavesAFolderTheSameCommandResumes() throws IOException {
        Path into = tmp.resolve("new-computer/Pictures");
        Cli gone = newComputer();
        gone.env.put("TRIPLICATE_TEST_GONE_AFTER_OPENS", "24");
        Cli.Result r = gone.expect(ExitCodes.FAILURE, "recover", "--from", "faulty:" + vault, "--library",
                into.toString());
        assertThat(r.err()).contains("the storage is gone").contains("run the same command again to");
        // no catalog yet, no half-written file under a real name; the folder says a recovery is in progress
        assertThat(Catalog.exists(into)).isFalse();
        assertThat(into.resolve(".triplicate/recover-in-progress")).exists();
        SortedMap<String, String> partial = TestFiles.content(into);
        partial.remove(".triplicate/recover-in-progress");
        partial.forEach((path, sha) -> assertThat(original.get(path)).as(path).isEqualTo(sha));

        Cli.Result resumed = newComputer().expect(ExitCodes.OK, "recover", "--from", vault.toString(), "--library",
                into.toString());
        assertThat(resumed.out()).contains("24 intact, 0 missing, 0 damaged");
        SortedMap<String, String> recovered = TestFiles.content(into);
        recovered.remove(".triplicate/catalog.db");
        assertThat(recovered).isEqualTo(original); // the marker is gone too
        try (Stream<Path> s = Files.walk(into)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.startsWith(".triplicate-"));
        }
    }

    @Test
    void aVaultThatFailsDuringABackupKeepsTheLastCatalogAndSaysSo() throws IOException {
        TestFiles.writeRandom(library.resolve("2024-07-30_holiday/IMG_3000.jpg"), 3000, 30_000);
        Cli faulty = new Cli(tmp.resolve("unused"), PASSWORD);
        faulty.env.put("TRIPLICATE_VAULT", "faulty:" + vault);
        faulty.env.put("TRIPLICATE_TEST_FAIL_SAVE", "1");
        Cli.Result r = faulty.expect(ExitCodes.FAILURE, "backup", library.toString());
        assertThat(r.err()).contains("injected permanent fault");
        // the vault is as it was: its latest catalog still recovers
        JsonNode snaps = JSON.readTree(cli.expect(ExitCodes.OK, "snapshots", "--json").out());
        assertThat(snaps).hasSize(4);
        cli.expect(ExitCodes.OK, "check");
        newComputer().expect(ExitCodes.OK, "recover", "--from", vault.toString(), "--library",
                tmp.resolve("again").toString());
        assertThat(List.of(tmp.resolve("again/2024-07-30_holiday/IMG_3000.jpg").toFile().exists())).containsExactly(false);
    }
}
