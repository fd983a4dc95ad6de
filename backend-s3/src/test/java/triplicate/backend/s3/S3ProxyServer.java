package triplicate.backend.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
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
public final class S3ProxyServer implements AutoCloseable {
    /** Credentials the server accepts. Secret-looking on purpose, so tests can check they are never printed. */
    public static final String ACCESS_KEY = "TRIPLICATEACCESSKEY7Q";
    public static final String SECRET_KEY = "tr1pl1cate/S3cretKey+ForTests0nly";

    private final Path dir;
    private final Path data;
    private final Path log;
    private final Path jar;
    private final boolean ownsDir;
    private int port;
    private volatile Process process;
    private boolean hookAdded;

    private S3ProxyServer(Path dir, Path jar, boolean ownsDir) throws IOException {
        this.dir = dir;
        this.data = Files.createDirectories(dir.resolve("data"));
        this.log = dir.resolve("s3proxy.log");
        this.jar = jar;
        this.ownsDir = ownsDir;
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
            skip("the S3Proxy jar is not at " + property + " (Maven's dependency plugin copies it there; run the"
                    + " tests through ./build)");
        }
        return jar;
    }

    private static void skip(String reason) {
        RealServers.unavailable("S3 server", reason);
    }

    private void startOnFreePort() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            try {
                launch();
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        skip("S3Proxy did not start: " + last.getMessage());
    }

    /** Starts the process on {@link #port} and waits until it answers HTTP. */
    private void launch() throws IOException {
        Path conf = dir.resolve("s3proxy.conf");
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
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        if (!hookAdded) {
            // a test JVM that is killed or exits early must not leave the server running
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (process != null) {
                    process.destroyForcibly();
                }
            }, "stop-s3proxy"));
            hookAdded = true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue() + "; its log ends: " + logTail());
            }
            if (answers()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while starting S3Proxy");
            }
        }
        process.destroyForcibly();
        throw new IOException("S3Proxy did not answer within 60 s; its log ends: " + logTail());
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Where the server keeps bucket {@code b}'s objects, one file per key. */
    public Path bucketDir(String bucket) {
        return data.resolve(bucket);
    }

    /** {@code s3+http://127.0.0.1:PORT/BUCKET/PREFIX[?OPTIONS]}. */
    public String location(String bucket, String prefix, String options) {
        return "s3+http://127.0.0.1:" + port + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
                + (options == null || options.isEmpty() ? "" : "?" + options);
    }

    /** An environment with this server's credentials, and nothing that would reach beyond loopback. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("HOME", dir.toString()); // no ~/.aws of the machine's user
        return env;
    }

    /** Kills the server at once (SIGKILL), as a crash or a power cut would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again on the same port with the same data. */
    public void restart() throws IOException {
        launch();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsDir) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** One server per test JVM, handed to tests as a parameter and stopped when the JVM's tests are done. */
    public static final class Shared implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == S3ProxyServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            Started started = c.getRoot().getStore(ExtensionContext.Namespace.create(S3ProxyServer.class))
                    .getOrComputeIfAbsent("server", k -> {
                        try {
                            S3ProxyServer s = new S3ProxyServer(Files.createTempDirectory("s3proxy"), jar(), true);
                            s.startOnFreePort();
                            return new Started(s, null);
                        } catch (org.opentest4j.TestAbortedException e) {
                            return new Started(null, e.getMessage()); // not again for every test
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, Started.class);
            if (started.server() == null) {
                RealServers.unavailable("S3 server", started.failure());
            }
            return started.server();
        }

        /** The shared server, or why there is none; closed with the JVM's tests. */
        private record Started(S3ProxyServer server, String failure) implements AutoCloseable {
            @Override
            public void close() throws IOException {
                if (server != null) {
                    server.close();
                }
            }
        }
    }
}
