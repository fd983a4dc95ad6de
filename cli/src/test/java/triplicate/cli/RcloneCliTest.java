package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import triplicate.backend.rclone.RcloneRemote;

/**
 * The command line with vaults reached through rclone ({@code rclone:REMOTE:PATH}), against the real rclone program and
 * a remote of rclone's {@code local} type: {@code init}, {@code backup}, a byte-identical {@code restore} and
 * {@code check --read-data}; the files in the remote's folder are complete (each named by its content's hash), and
 * rclone itself lists them; an unknown remote and a missing vault are clear errors; and a secret in the location
 * never shows up in what the CLI prints.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ResourceLock(RcloneCliTest.RCLONE_PROCESSES)
class RcloneCliTest {
    /** Held by the tests that start rclone, so that the one killing "the" rclone child kills its own. */
    static final String RCLONE_PROCESSES = "rclone child processes";
    private static final String PASSWORD = "vault password for rclone";
    private static final String REMOTE_SECRET = "remote-secret-never-shown-7f3a";

    @TempDir
    Path tmp;

    private Cli cli(RcloneRemote remote, String location) {
        Cli cli = new Cli(tmp.resolve("unused"), PASSWORD);
        cli.env.putAll(remote.env());
        cli.env.put("TRIPLICATE_VAULT", location);
        return cli;
    }

    @Test
    void backupRestoreAndCheckThroughRcloneAreByteIdentical() throws IOException {
        RcloneRemote remote = RcloneRemote.create(Files.createDirectories(tmp.resolve("rclone")));
        Path vault = remote.root().resolve("photos").resolve("vault");
        String location = remote.location(vault);
        Cli cli = cli(remote, location);
        Path library = tmp.resolve("library");
        for (int i = 0; i < 8; i++) {
            TestFiles.writeRandom(library.resolve("shoot-" + (i % 3)).resolve("IMG_" + i + ".CR2"), i,
                    250_000 + 90_000 * i);
        }
        Files.createDirectories(library.resolve("empty-folder"));
        Files.write(library.resolve("empty.xmp"), new byte[0]);

        JsonNode init = cli.init("--pack-size", "1", "--json").json();
        assertThat(init.get("vault").asText()).isEqualTo(location);
        assertThat(vault.resolve("config")).isRegularFile();

        String snapshot = cli.expect(ExitCodes.OK, "backup", "--json", library.toString()).json().get("snapshot").asText();
        cli.expect(ExitCodes.OK, "check", "--read-data");
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", snapshot, "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));
        assertThat(out.resolve("library/empty-folder")).isDirectory();

        JsonNode again = cli.expect(ExitCodes.OK, "backup", "--json", library.toString()).json();
        assertThat(again.get("summary").get("bytesAdded").asLong()).as("an unchanged library uploads nothing").isZero();
        assertThat(cli.expect(ExitCodes.OK, "snapshots", "--json").json()).hasSize(2);

        // every visible file is complete, and rclone itself sees exactly these files
        int files = 0;
        for (String folder : List.of("keys", "data", "index", "snapshots")) {
            for (Path f : CliTesting.filesUnder(vault.resolve(folder))) {
                String name = f.getFileName().toString();
                assertThat(name).as("no temporary file is left").doesNotStartWith(".");
                assertThat(CliTesting.sha256(f)).as("%s/%s is complete", folder, name).isEqualTo(name);
                files++;
            }
        }
        assertThat(files).isGreaterThan(5);
        JsonNode listed = new ObjectMapper().readTree(remote.rclone("lsjson", "-R", "--files-only",
                remote.remote(vault)));
        assertThat(listed).hasSize(files + 1); // and the config
    }

    @Test
    void anUnknownRemoteAndAMissingVaultAreClear() throws IOException {
        RcloneRemote remote = RcloneRemote.create(Files.createDirectories(tmp.resolve("rclone")));
        Cli.Result unknown = cli(remote, "rclone:nosuchremote:photos/vault").run("snapshots");
        assertThat(unknown.code()).as("%s", unknown).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknown.err()).contains("rclone:nosuchremote:photos/vault")
                .contains("rclone has no remote named \"nosuchremote\"").contains("rclone config");

        Cli.Result missing = cli(remote, remote.location(remote.root().resolve("nothing-here"))).run("snapshots");
        assertThat(missing.code()).as("%s", missing).isEqualTo(ExitCodes.NO_VAULT);
        assertThat(missing.err()).contains("triplicate init");

        Cli none = cli(remote, remote.location(remote.root().resolve("v")));
        none.env.put("PATH", tmp.toString());
        Cli.Result noRclone = none.run("snapshots");
        assertThat(noRclone.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noRclone.err()).contains("rclone is not installed").contains("TRIPLICATE_RCLONE");
    }

    @Test
    void aSecretInAConnectionStringIsNeverPrinted() throws IOException {
        RcloneRemote remote = RcloneRemote.create(Files.createDirectories(tmp.resolve("rclone")));
        Path vault = remote.root().resolve("on-the-fly");
        // an on-the-fly remote whose parameters include a secret-looking one (the local backend ignores it)
        Cli cli = cli(remote, "rclone::local,pass=" + REMOTE_SECRET + ":" + vault);
        cli.env.put("TRIPLICATE_DEBUG", "1");
        Path library = tmp.resolve("library");
        TestFiles.writeRandom(library.resolve("IMG_1.CR2"), 1, 200_000);
        Map<String, Cli.Result> results = new HashMap<>();
        results.put("init", cli.init("--json"));
        results.put("backup", cli.expect(ExitCodes.OK, "backup", "--json", library.toString()));
        results.put("snapshots", cli.expect(ExitCodes.OK, "snapshots", "--json"));
        results.put("missing", cli.run("restore", "0000000000000000", "--target", tmp.resolve("r").toString()));
        assertThat(results.get("init").out()).contains("pass=***");
        results.forEach((command, r) -> assertThat(r.all()).as("%s:%n%s", command, r).doesNotContain(REMOTE_SECRET));
    }
}
