package triplicate.backend.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import triplicate.testkit.ChildProcessServer;
import triplicate.testkit.RealServers;

/**
 * A real S3 server for tests: S3Proxy 4.1.0 with its on-disk ("filesystem") store, run as a child process on a
 * loopback port from its own jar ({@code jar-with-dependencies}, copied by Maven to {@code target/s3proxy}). A child
 * process keeps S3Proxy's hundred-odd dependencies (Jetty, logback, cloud SDKs) off our test class path, and it can
 * really be killed ({@code kill -9}) and started again on the same port and data, which an in-process server
 * cannot imitate. It starts in about 2 s.
 *
 * <p>Tests that need a server and cannot get one are skipped with the reason, printed to stderr as well: only when
 * the jar is missing (the tests were not run through Maven) or the process does not come up.
 *
 * <p>Used as a JUnit extension ({@code @ExtendWith(S3ProxyServer.Shared.class)}, then an {@code S3ProxyServer}
 * parameter), it is one server per test JVM, each test using buckets of its own; tests that kill the server start
 * their own with {@link #start}.
 */
public final class S3ProxyServer extends ChildProcessServer {
    /** Credentials the server accepts. Secret-looking on purpose, so tests can check they are never printed. */
    public static final String ACCESS_KEY = "TRIPLICATEACCESSKEY7Q";
    public static final String SECRET_KEY = "tr1pl1cate/S3cretKey+ForTests0nly";
    private static final String SERVER = "S3 server";

    private final Path data;
    private final Path jar;

    private S3ProxyServer(Path dir, Path jar, boolean ownsDir) throws IOException {
        super("S3Proxy", SERVER, dir, "s3proxy.log", ownsDir);
        this.data = Files.createDirectories(dir.resolve("data"));
        this.jar = jar;
    }

    /** Starts a server keeping its data under {@code dir}; skips the test (with the reason) if none can start. */
    public static S3ProxyServer start(Path dir) throws IOException {
        S3ProxyServer server = new S3ProxyServer(dir, jar(), false);
        server.startOnFreePort();
        return server;
    }

    private static Path jar() {
        String property = System.getProperty("triplicate.s3proxy.jar");
        Path jar = property == null ? null : Path.of(property);
        if (jar == null || !Files.isRegularFile(jar)) {
            RealServers.unavailable(SERVER, "the S3Proxy jar is not at " + property + " (Maven's dependency plugin"
                    + " copies it there; run the tests through ./build)");
        }
        return jar;
    }

    @Override
    protected ProcessBuilder command(int port) throws IOException {
        Path conf = dir().resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                ""));
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:CICompilerCount=1", "-jar", jar.toString(), "--properties", conf.toString());
        pb.environment().put("LOG_LEVEL", "warn");
        pb.environment().put("JETTY_LOG_LEVEL", "warn");
        return pb;
    }

    /** {@code http://127.0.0.1:PORT}. */
    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Where the server keeps bucket {@code b}'s objects, one file per key. */
    public Path bucketDir(String bucket) {
        return data.resolve(bucket);
    }

    /** {@code s3+http://127.0.0.1:PORT/BUCKET/PREFIX[?OPTIONS]}. */
    public String location(String bucket, String prefix, String options) {
        return "s3+http://127.0.0.1:" + port() + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
                + (options == null || options.isEmpty() ? "" : "?" + options);
    }

    /** An environment with this server's credentials, and nothing that would reach beyond loopback. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("HOME", dir().toString()); // no ~/.aws of the machine's user
        return env;
    }

    /** One server per test JVM, handed to tests as a parameter and stopped when the JVM's tests are done. */
    public static final class Shared extends ChildProcessServer.Shared<S3ProxyServer> {
        public Shared() {
            super(S3ProxyServer.class, SERVER);
        }

        @Override
        protected S3ProxyServer create() throws IOException {
            return new S3ProxyServer(Files.createTempDirectory("s3proxy"), jar(), true);
        }
    }
}
