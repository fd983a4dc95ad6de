package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.ColdState;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.s3.S3ProxyServer;
import triplicate.core.FileType;

/**
 * A vault whose data packs are in S3 GLACIER: the packs go to S3Proxy (a real S3 server, which stores and reports
 * the class, but cannot refuse reads of archived objects), with the testkit's simulated archive in between for the
 * thaw semantics. Listing works without a thaw; a restore refuses before reading, with the thaw it needs, and exit
 * 15; {@code thaw} requests each cold pack once and reports the progress; then the restore is byte-identical.
 */
@ExtendWith(S3ProxyServer.Shared.class)
class ColdStorageCliTest {
    private final S3ProxyServer server;
    @TempDir
    Path tmp;

    ColdStorageCliTest(S3ProxyServer server) {
        this.server = server;
    }

    @Test
    void backupToAColdVaultRestoresOnlyAfterAThaw() throws IOException, InterruptedException {
        String s3 = server.location("cold-cli", "archive/v", "storage-class=GLACIER&archive=true");
        Cli cli = new Cli(tmp.resolve("unused"), "correct horse battery staple");
        cli.env.put("TRIPLICATE_VAULT", "coldsim:" + s3);
        cli.env.putAll(server.env());
        cli.env.put("TRIPLICATE_TEST_COLD_DIR", tmp.resolve("archive-state").toString());
        cli.env.put("TRIPLICATE_TEST_THAW_MS", "3600000");   // an hour: thaws finish when the test says so
        Path library = TestFiles.library(tmp.resolve("library"), 6, 3);

        cli.init("--pack-size", "1");
        String snapshot = cli.expect(ExitCodes.OK, "backup", "--json", library.toString()).json().get("snapshot")
                .asText();

        // on the real server: the data packs are GLACIER, the packs of folder listings (and all else) are not
        int glacier = 0;
        int hot = 0;
        try (Backend plain = Backends.open(s3, server.env())) {
            for (FileInfo f : plain.list(FileType.PACK)) {
                ColdState s = plain.coldState(new Handle(FileType.PACK, f.name()));
                if ("GLACIER".equals(s.storageClass())) {
                    glacier++;
                } else {
                    hot++;
                }
            }
            assertThat(plain.coldState(new Handle(FileType.SNAPSHOT, snapshot)).status())
                    .isEqualTo(ColdState.Status.HOT);
        }
        assertThat(glacier).as("data packs").isGreaterThan(2);
        assertThat(hot).as("tree packs").isGreaterThanOrEqualTo(1);

        // folder listings need no thaw
        assertThat(cli.expect(ExitCodes.OK, "ls", "latest").out()).contains("library");

        // the restore refuses before reading anything, and says what to do, how long and what it costs
        Path out = tmp.resolve("restored");
        Cli.Result refused = cli.expect(ExitCodes.THAW_NEEDED, "restore", "latest", "--target", out.toString());
        assertThat(refused.err()).contains("GLACIER").contains("not thawed").contains("triplicate thaw")
                .contains("3–5 hours").contains("$").contains("indicative").contains("nothing was read");
        assertThat(files(out)).isEmpty();

        JsonNode first = cli.expect(ExitCodes.OK, "thaw", "latest", "--days", "2", "--json").json();
        assertThat(first.get("requested").asInt()).isEqualTo(glacier);
        assertThat(first.get("ready").asBoolean()).isFalse();
        assertThat(first.get("storageClass").asText()).isEqualTo("GLACIER");
        assertThat(first.get("expectedWait").asText()).contains("3–5 hours");
        assertThat(first.get("indicativeCost").asText()).contains("per GB");

        // idempotent: a second run requests nothing and reports progress
        JsonNode again = cli.expect(ExitCodes.OK, "thaw", "latest", "--json").json();
        assertThat(again.get("requested").asInt()).isZero();
        assertThat(again.get("thawing").asInt()).isEqualTo(glacier);
        Cli.Result stillThawing = cli.expect(ExitCodes.THAW_NEEDED, "restore", "latest", "--target", out.toString());
        assertThat(stillThawing.err()).contains("being thawed");

        triplicate.backend.testkit.ColdStorageBackend.finishThaws(tmp.resolve("archive-state"));
        JsonNode done = cli.expect(ExitCodes.OK, "thaw", "latest", "--json").json();
        assertThat(done.get("ready").asBoolean()).isTrue();
        assertThat(done.get("thawed").asInt()).isEqualTo(glacier);
        assertThat(done.get("requested").asInt()).isZero();

        cli.expect(ExitCodes.OK, "restore", snapshot, "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));
    }

    @Test
    void aColdReadThatWasNotPlannedFailsWithTheThawExplanation() throws IOException {
        String s3 = server.location("cold-cli", "check/v", "storage-class=GLACIER&archive=true");
        Cli cli = new Cli(tmp.resolve("unused"), "correct horse battery staple");
        cli.env.put("TRIPLICATE_VAULT", "coldsim:" + s3);
        cli.env.putAll(server.env());
        cli.env.put("TRIPLICATE_TEST_COLD_DIR", tmp.resolve("archive-state").toString());
        Path library = TestFiles.library(tmp.resolve("library"), 3, 4);
        cli.init("--pack-size", "1");
        cli.expect(ExitCodes.OK, "backup", library.toString());

        // check without --read-data reads no data pack
        cli.expect(ExitCodes.OK, "check");
        Cli.Result r = cli.run("check", "--read-data");
        assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.THAW_NEEDED);
        assertThat(r.err()).contains("GLACIER").contains("thaw");
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
