package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.s3.S3ProxyServer;

/**
 * {@code copy} between vaults with different passwords: byte-identical restores from the copy, with equal chunkers
 * ({@code init --copy-chunker-params-from}) and without; snapshots keep their time, host, paths and tags; a second
 * copy stores nothing; the catalog comes along and {@code recover} works from the copy, also in S3; a destination
 * that fails mid-copy is left without a half-copied snapshot, and the copy succeeds when run again.
 */
@ExtendWith(S3ProxyServer.Shared.class)
class CopyCliTest {
    private static final String SOURCE_PASSWORD = "source secret 61f0";
    private static final String DEST_PASSWORD = "destination secret a93c";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3ProxyServer server;
    @TempDir
    Path tmp;

    CopyCliTest(S3ProxyServer server) {
        this.server = server;
    }

    /** Backs up a library with its catalog into a new source vault; returns the source's CLI. */
    private Cli source(Path library) throws IOException {
        Cli src = new Cli(tmp.resolve("source"), SOURCE_PASSWORD);
        src.initWithSmallPacks();
        assertThat(src.run("catalog", "scan", library.toString()).code()).isIn(ExitCodes.OK, ExitCodes.INCOMPLETE);
        src.expect(ExitCodes.OK, "backup", "--tag", "weekly", library.toString());
        return src;
    }

    /** A CLI for destination {@code location} that reads the source's password from TRIPLICATE_FROM_PASSWORD. */
    private Cli destination(String location) {
        Cli dst = new Cli(tmp.resolve("unused"), DEST_PASSWORD);
        dst.env.put("TRIPLICATE_VAULT", location);
        dst.env.put("TRIPLICATE_FROM_PASSWORD", SOURCE_PASSWORD);
        dst.env.putAll(server.env());
        return dst;
    }

    private static JsonNode json(Cli.Result r) throws IOException {
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void copiesWithEqualChunkersRestoreByteIdenticalAndStoreNothingTwice() throws IOException {
        Path library = TestFiles.library(tmp.resolve("library"));
        SortedMap<String, String> original = TestFiles.content(library);
        Cli src = source(library);
        Path dest = tmp.resolve("dest");
        Cli dst = destination(dest.toString());
        dst.init("--copy-chunker-params-from", tmp.resolve("source").toString());

        JsonNode copy = json(dst.expect(ExitCodes.OK, "copy", "latest", "--from", tmp.resolve("source").toString(),
                "--json"));
        VerifyHealCliTest.assertFields(copy, "from", "to", "sameChunks", "snapshots", "seconds");
        VerifyHealCliTest.assertFields(copy.get("snapshots").get(0), "source", "copy", "alreadyThere", "files",
                "filesReused", "blobsAdded", "bytesAdded", "rechunked");
        assertThat(copy.get("sameChunks").asBoolean()).isTrue();
        assertThat(copy.get("snapshots")).hasSize(2); // the library and the catalog saved with it
        JsonNode lib = copy.get("snapshots").get(0);
        assertThat(lib.get("files").asLong()).isEqualTo(24);
        // as much data as the source holds: each chunk once
        JsonNode srcStats = json(src.expect(ExitCodes.OK, "stats", "--json"));
        JsonNode dstStats = json(dst.expect(ExitCodes.OK, "stats", "--json"));
        assertThat(dstStats.get("dataBlobs").asLong()).isEqualTo(srcStats.get("dataBlobs").asLong());
        assertThat(dstStats.get("uniqueBytes").asLong()).isEqualTo(srcStats.get("uniqueBytes").asLong());

        JsonNode srcSnaps = json(src.expect(ExitCodes.OK, "snapshots", "--json"));
        JsonNode dstSnaps = json(dst.expect(ExitCodes.OK, "snapshots", "--json"));
        for (int i = 0; i < 2; i++) {
            for (String field : new String[] {"time", "host", "username", "paths", "tags"}) {
                assertThat(dstSnaps.get(i).get("snapshot").get(field))
                        .isEqualTo(srcSnaps.get(i).get("snapshot").get(field));
            }
        }
        Path out = tmp.resolve("restored");
        dst.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(original);

        JsonNode again = json(dst.expect(ExitCodes.OK, "copy", "latest", "--from", tmp.resolve("source").toString(),
                "--json"));
        again.get("snapshots").forEach(s -> assertThat(s.get("alreadyThere").asBoolean()).isTrue());
        assertThat(json(dst.expect(ExitCodes.OK, "snapshots", "--json"))).hasSize(2);

        // the next snapshot: only the new photo is read and stored
        TestFiles.writeRandom(library.resolve("2024-07-30_holiday/IMG_2000.jpg"), 2000, 50_000);
        src.expect(ExitCodes.OK, "backup", library.toString());
        JsonNode next = json(dst.expect(ExitCodes.OK, "copy", "latest", "--from", tmp.resolve("source").toString(),
                "--json"));
        JsonNode second = next.get("snapshots").get(0);
        assertThat(second.get("files").asLong() - second.get("filesReused").asLong()).isEqualTo(1);
        assertThat(second.get("bytesAdded").asLong()).isBetween(50_000L, 60_000L);
        assertThat(dst.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
    }

    @Test
    void copiesBetweenDifferentChunkersAndAFailingDestination() throws IOException {
        Path library = TestFiles.library(tmp.resolve("library"));
        SortedMap<String, String> original = TestFiles.content(library);
        source(library);
        Path dest = tmp.resolve("dest");
        destination(dest.toString()).init();

        Cli failing = destination("faulty:" + dest);
        failing.env.put("TRIPLICATE_TEST_FAIL_SAVE", "2");
        Cli.Result broken = failing.expect(ExitCodes.FAILURE, "copy", "latest", "--from",
                tmp.resolve("source").toString());
        assertThat(broken.err()).contains("injected permanent fault");
        Cli dst = destination(dest.toString());
        assertThat(dst.expect(ExitCodes.OK, "snapshots").out()).contains("0 snapshot(s)");
        dst.expect(ExitCodes.OK, "check");

        Cli.Result copied = dst.expect(ExitCodes.OK, "copy", "latest", "--from", tmp.resolve("source").toString());
        assertThat(copied.out()).contains("files cut again by the destination's chunker");
        Path out = tmp.resolve("restored");
        dst.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(original);
        assertThat(dst.expect(ExitCodes.OK, "check", "--read-data").out()).contains("no errors were found");
    }

    @Test
    void aCopyInS3RecoversTheLibraryWithItsCatalog() throws IOException {
        Path library = TestFiles.library(tmp.resolve("library"));
        SortedMap<String, String> original = TestFiles.content(library);
        source(library);
        String location = server.location("copy-recover", "vault", "");
        Cli dst = destination(location);
        dst.init("--pack-size", "1");
        dst.expect(ExitCodes.OK, "copy", "latest", "--from", tmp.resolve("source").toString());

        Path into = tmp.resolve("new-computer/library");
        Cli fresh = destination(location);
        fresh.env.remove("TRIPLICATE_FROM_PASSWORD");
        JsonNode r = json(fresh.expect(ExitCodes.OK, "recover", "--library", into.toString(), "--json"));
        assertThat(r.get("ok").asLong()).isEqualTo(24);
        SortedMap<String, String> recovered = TestFiles.content(into);
        recovered.remove(".triplicate/catalog.db");
        assertThat(recovered).isEqualTo(original);
        assertThat(r.toString()).doesNotContain(S3ProxyServer.SECRET_KEY);
    }
}
