package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * The exit codes of partial results: a backup that could not read everything saves a snapshot, lists the files on
 * stderr and exits 3; a restore that refuses or cannot restore some entries restores the rest, lists them on stderr
 * and exits 1.
 */
class PartialResultsCliTest {
    private static final String PASSWORD = "partial secret 2b8d";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path library;
    private Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        library = TestFiles.library(tmp.resolve("library"));
        cli = new Cli(tmp.resolve("vault"), PASSWORD);
        cli.init();
    }

    @Test
    void pipeInTheSourceGivesExit3AndAWarningInTheSnapshot() throws IOException, InterruptedException {
        Path fifo = library.resolve("2024-05-01_wedding/pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");

        Cli.Result r = cli.expect(ExitCodes.INCOMPLETE, "backup", library.toString());
        assertThat(r.out()).contains("snapshot").contains("saved");
        assertThat(r.err()).contains("warning: " + fifo + ": skipped").contains("backup incomplete: 1 file(s)");
        JsonNode snaps = JSON.readTree(cli.expect(ExitCodes.OK, "snapshots", "--json").out());
        JsonNode warnings = snaps.get(0).get("snapshot").get("warnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).get("path").asText()).isEqualTo(fifo.toString());
    }

    @Test
    void fileGrowingDuringTheBackupGivesExit3AndTheSnapshotRestores() throws Exception {
        Path growing = TestFiles.writeRandom(library.resolve("capture/recording.mov"), 77, 8_000_000);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread appender = Thread.ofPlatform().daemon().start(() -> {
            byte[] more = new byte[16 * 1024];
            Random r = new Random(5);
            try (FileChannel ch = FileChannel.open(growing, StandardOpenOption.APPEND)) {
                while (!stop.get()) {
                    r.nextBytes(more);
                    ch.write(ByteBuffer.wrap(more));
                    started.countDown();
                    Thread.sleep(1);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Cli.Result r;
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            r = cli.run("backup", library.toString());
        } finally {
            stop.set(true);
            appender.join(10_000);
        }
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(r.err()).contains("warning: " + growing + ": changed while being read")
                .contains("backup incomplete");

        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        byte[] restored = Files.readAllBytes(out.resolve("library/capture/recording.mov"));
        byte[] now = Files.readAllBytes(growing);
        assertThat(restored.length).isBetween(8_000_000, now.length);
        assertThat(TestFiles.sha256(restored)).as("the bytes read: a prefix of the file, which only grew")
                .isEqualTo(TestFiles.sha256(Arrays.copyOf(now, restored.length)));
        var expected = TestFiles.content(library);
        var got = TestFiles.content(out.resolve("library"));
        expected.remove("capture/recording.mov");
        got.remove("capture/recording.mov");
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void restoreOfAHostileSnapshotListsEveryRefusalAndExits1() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("somewhere"));
        Id snapshot;
        try (Repository repo = cli.openRepository()) {
            IdHasher h = repo.newIdHasher();
            Id link = repo.saveTree(new Tree(List.of(file(repo, h, "pwned.txt"))), h);
            List<Node> nodes = new ArrayList<>();
            for (String name : List.of("..", "../escape", "/abs", "a/b", "", "x\0y", "dup", "dup", "fine.txt")) {
                nodes.add(file(repo, h, name));
            }
            nodes.add(new Node("link", NodeType.SYMLINK, 0777, 0, null, null, null, 0, 0, 0, null, null,
                    outside.toString(), null));
            nodes.add(new Node("link", NodeType.DIR, 0755, 0, null, null, null, 0, 0, 0, null, link, null, null));
            Id top = repo.saveTree(new Tree(nodes), h);
            Id root = repo.saveTree(new Tree(List.of(new Node("top", NodeType.DIR, 0755, 0, null, null, null, 0, 0, 0,
                    null, top, null, null))), h);
            repo.flush();
            snapshot = repo.saveSnapshot(new Snapshot(1, Instant.now(), "evil", "mallory", List.of("/evil"), List.of(),
                    root, null, null, List.of(), "hand-made"));
        }
        Path target = tmp.resolve("target");

        Cli.Result r = cli.expect(ExitCodes.FAILURE, "restore", snapshot.hex(), "--target", target.toString());

        for (String path : List.of("top/..", "top/../escape", "top//abs", "top/a/b", "top/", "top/x\\0y", "top/dup",
                "top/link")) {
            assertThat(r.err()).contains("not restored: " + path + ": refused");
        }
        assertThat(r.err()).contains("restore incomplete: 8 path(s)");
        assertThat(Files.readString(target.resolve("top/fine.txt"))).isEqualTo("fine.txt");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.toList()).isEmpty();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("library", "vault", "somewhere", "target");
        }
    }

    private static Node file(Repository repo, IdHasher h, String name) throws IOException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        Id id = h.id(b, 0, b.length);
        repo.saveBlob(BlobType.DATA, id, b);
        return new Node(name, NodeType.FILE, 0644, 0, null, null, null, 0, 0, b.length, List.of(id), null, null, null);
    }
}
