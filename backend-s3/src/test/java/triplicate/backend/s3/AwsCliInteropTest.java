package triplicate.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;
import triplicate.testkit.RealServers;

/**
 * An independent client agrees with us: Debian's AWS CLI ({@code /usr/bin/aws}; the {@code aws} on PATH may be
 * another version) reads what the backend wrote, byte for byte and key for key, and the backend reads what the
 * AWS CLI wrote (including its own multipart uploads). Skipped, with the reason, where the AWS CLI is not installed
 * (.ci/run installs it).
 */
@ExtendWith(S3ProxyServer.Shared.class)
class AwsCliInteropTest {
    private static final Path AWS = Path.of("/usr/bin/aws");
    private static final int MIB = 1 << 20;

    private final S3ProxyServer server;
    private final Random random = new Random(99);
    @TempDir
    Path tmp;

    AwsCliInteropTest(S3ProxyServer server) {
        this.server = server;
    }

    @BeforeEach
    void needsTheAwsCli() {
        RealServers.assume(Files.isExecutable(AWS), "AWS CLI", AWS + " is not installed (apt-get install awscli)");
    }

    private String aws(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", server.endpoint(),
                "--no-cli-pager", "--output", "text"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        Path out = Files.createTempFile(tmp, "aws", ".out");
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("aws %s finished", args[0]).isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("aws %s: %s", String.join(" ", args), text).isZero();
        return text;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void theAwsCliReadsWhatWeWrote() throws Exception {
        String prefix = "interop-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        Map<Handle, byte[]> files = new java.util.LinkedHashMap<>();
        files.put(Handle.config(), bytes(300));
        files.put(new Handle(FileType.KEY, "11".repeat(32)), bytes(500));
        files.put(new Handle(FileType.PACK, "22".repeat(32)), bytes(2 * MIB));
        files.put(new Handle(FileType.PACK, "33".repeat(32)), bytes(7 * MIB + 3)); // multipart: 5 MiB + 2 MiB
        files.put(new Handle(FileType.INDEX, "44".repeat(32)), bytes(4000));
        files.put(new Handle(FileType.SNAPSHOT, "55".repeat(32)), bytes(0));
        try (Backend b = new S3BackendProvider().create(
                URI.create(server.location("interop", prefix, "part-size=5&multipart-threshold=5")), server.env())) {
            for (var e : files.entrySet()) {
                b.save(e.getKey(), Source.of(e.getValue()));
            }
        }

        String listing = aws("s3api", "list-objects-v2", "--bucket", "interop", "--prefix", prefix + "/",
                "--query", "Contents[].[Key,Size,ETag]");
        Path copy = tmp.resolve("copy");
        aws("s3", "cp", "--recursive", "s3://interop/" + prefix, copy.toString());
        List<String> expected = new ArrayList<>();
        for (var e : files.entrySet()) {
            String name = e.getKey().type() == FileType.CONFIG ? "config" : e.getKey().toString();
            expected.add(prefix + "/" + name + "\t" + e.getValue().length);
            assertThat(Files.readAllBytes(copy.resolve(name))).as("%s read by the AWS CLI", name).isEqualTo(e.getValue());
        }
        List<String> lines = listing.lines().map(String::strip).toList();
        assertThat(lines).extracting(l -> l.substring(0, l.lastIndexOf('\t')))
                .containsExactlyInAnyOrderElementsOf(expected);

        // a whole-object upload's ETag is the MD5 of its bytes: what we sent as Content-MD5 is what was stored
        byte[] small = files.get(new Handle(FileType.PACK, "22".repeat(32)));
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(small));
        assertThat(lines).contains(prefix + "/data/" + "22".repeat(32) + "\t" + small.length + "\t\"" + md5 + "\"");
    }

    @Test
    void weReadWhatTheAwsCliWrote() throws Exception {
        String prefix = "fromcli-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        byte[] big = bytes(20 * MIB); // the AWS CLI uploads this in parts of 8 MiB
        byte[] config = bytes(123);
        String name = "66".repeat(32);
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("data/sub"));
        Files.write(tree.resolve("data").resolve(name), big);
        Files.write(tree.resolve("config"), config);
        Files.write(tree.resolve("data/sub/not-ours"), config);
        try (Backend b = new S3BackendProvider().create(URI.create(server.location("interop", prefix, "")), server.env())) {
            aws("s3", "cp", "--recursive", tree.toString(), "s3://interop/" + prefix);

            assertThat(b.list(FileType.PACK)).containsExactly(new FileInfo(name, big.length));
            assertThat(b.list(FileType.CONFIG)).containsExactly(new FileInfo("config", config.length));
            assertThat(b.load(new Handle(FileType.PACK, name))).isEqualTo(big);
            assertThat(b.load(new Handle(FileType.PACK, name), 9 * MIB - 5, 1000))
                    .isEqualTo(java.util.Arrays.copyOfRange(big, 9 * MIB - 5, 9 * MIB + 995));
            assertThat(b.load(Handle.config())).isEqualTo(config);
        }
    }
}
