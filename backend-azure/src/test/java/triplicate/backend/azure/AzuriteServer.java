package triplicate.backend.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A real Azure Blob Storage server for tests: Azurite 3.37.0 (Microsoft's emulator, a Node.js program), run as a
 * child process on a loopback port with an account of its own. It is found where {@code .ci/run} installs it: the
 * environment variable {@code TRIPLICATE_AZURITE}, else the system property {@code triplicate.azurite} (Maven sets it
 * to {@code ~/.cache/triplicate/azurite}), each naming an npm prefix holding {@code node_modules/.bin/azurite-blob} or
 * that program itself. It starts in a few seconds.
 *
 * <p>Tests that need a server and cannot get one give up through {@link RealServers} with the reason and the install
 * command: skipped on a developer's machine, failed in CI.
 *
 * <p>Used as a JUnit extension ({@code @ExtendWith(AzuriteServer.Shared.class)}, then an {@code AzuriteServer}
 * parameter), it is one in-memory server per test JVM, each test using containers or prefixes of its own; tests that
 * stop the server start their own, keeping its data on disk, with {@link #start}.
 */
public final class AzuriteServer implements AutoCloseable {
    /** The account the server serves. */
    public static final String ACCOUNT = "triplicatetest";
    /** Its key (base64, as Azure's are). Secret-looking on purpose, so tests can check it is never printed. */
    public static final String KEY = java.util.Base64.getEncoder().encodeToString(
            "tr1pl1cate/AzureKey+ForTests0nly-never-print-me".getBytes(StandardCharsets.US_ASCII));
    /** The command that installs Azurite where the tests look for it. */
    public static final String INSTALL = "npm install --prefix \"$HOME/.cache/triplicate/azurite\" azurite@3.37.0"
            + " (Node.js and npm: apt-get install nodejs npm; .ci/run does both), or point TRIPLICATE_AZURITE at an"
            + " installation";
    private static final String SERVER = "Azure server (Azurite)";

    private final Path dir;
    private final Path data;
    private final Path log;
    private final Path program;
    private final boolean inMemory;
    private final boolean ownsDir;
    private int port;
    private volatile Process process;
    private volatile BlobServiceClient client;
    private boolean hookAdded;

    private AzuriteServer(Path dir, Path program, boolean inMemory, boolean ownsDir) throws IOException {
        this.dir = dir;
        this.data = Files.createDirectories(dir.resolve("data"));
        this.log = dir.resolve("azurite.log");
        this.program = program;
        this.inMemory = inMemory;
        this.ownsDir = ownsDir;
    }

    /**
     * Starts a server keeping its data on disk under {@code dir}, so that it can be stopped and started again; gives
     * up on the test (see {@link RealServers}) if none can start.
     */
    public static AzuriteServer start(Path dir) throws IOException {
        AzuriteServer server = new AzuriteServer(dir, program(), false, false);
        server.startOnFreePort();
        return server;
    }

    /** The azurite-blob program, or gives up on the test saying how to install it. */
    static Path program() {
        String fromEnv = System.getenv("TRIPLICATE_AZURITE");
        String configured = fromEnv != null && !fromEnv.isBlank() ? fromEnv : System.getProperty("triplicate.azurite");
        if (configured == null || configured.isBlank()) {
            configured = Path.of(System.getProperty("user.home"), ".cache", "triplicate", "azurite").toString();
        }
        Path p = Path.of(configured);
        for (Path candidate : List.of(p, p.resolve("node_modules/.bin/azurite-blob"), p.resolve("bin/azurite-blob"))) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                if (!onPath("node")) {
                    RealServers.unavailable(SERVER, "Azurite is at " + candidate + " but Node.js (node) is not on the"
                            + " PATH: apt-get install nodejs");
                }
                return candidate;
            }
        }
        RealServers.unavailable(SERVER, "Azurite is not installed at " + p + ": " + INSTALL);
        throw new AssertionError("unreachable");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
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
        RealServers.unavailable(SERVER, "Azurite did not start: " + last.getMessage());
    }

    /** Starts the process on {@link #port} and waits until it answers HTTP. */
    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(program.toString(), "--blobHost", "127.0.0.1",
                "--blobPort", Integer.toString(port), "--skipApiVersionCheck", "--disableProductStyleUrl",
                "--disableTelemetry"));
        if (inMemory) {
            command.add("--inMemoryPersistence");
        } else {
            command.addAll(List.of("--location", data.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("AZURITE_ACCOUNTS", ACCOUNT + ":" + KEY);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        if (!hookAdded) {
            // a test JVM that is killed or exits early must not leave the server running
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Process p = process;
                if (p != null) {
                    p.destroyForcibly();
                }
            }, "stop-azurite"));
            hookAdded = true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Azurite exited with " + process.exitValue() + "; its log ends: " + logTail());
            }
            if (answers()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while starting Azurite");
            }
        }
        process.destroyForcibly();
        throw new IOException("Azurite did not answer within 60 s; its log ends: " + logTail());
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

    /** {@code http://127.0.0.1:PORT/ACCOUNT}: the account's blob endpoint. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public int port() {
        return port;
    }

    /** {@code azure+http://127.0.0.1:PORT/ACCOUNT/CONTAINER/PREFIX[?OPTIONS]}. */
    public String location(String container, String prefix, String options) {
        return "azure+http://127.0.0.1:" + port + "/" + ACCOUNT + "/" + container
                + (prefix.isEmpty() ? "" : "/" + prefix) + (options == null || options.isEmpty() ? "" : "?" + options);
    }

    /** An environment with this server's account key, and nothing else (no proxy, no other credentials). */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_STORAGE_ACCOUNT", ACCOUNT);
        env.put("AZURE_STORAGE_KEY", KEY);
        return env;
    }

    /** A connection string for this server's account, as the Azure portal would show one (with a BlobEndpoint). */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + endpoint() + ";";
    }

    /** A client of the server's own (the SDK used directly), to look at what a backend stored. */
    public BlobServiceClient client() {
        BlobServiceClient c = client;
        if (c == null) {
            c = newClient();
            client = c;
        }
        return c;
    }

    private BlobServiceClient newClient() {
        return new BlobServiceClientBuilder().endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
                .httpClient(new JdkHttpClientBuilder().build())
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Duration) null, null, null, null))
                .buildClient();
    }

    /** The names of the committed blobs in {@code container} under {@code prefix}, sorted. */
    public List<String> blobs(String container, String prefix) {
        List<String> names = new ArrayList<>();
        var c = client().getBlobContainerClient(container);
        if (!c.exists()) {
            return names;
        }
        for (BlobItem item : c.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
            names.add(item.getName());
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /**
     * Stops the server as an operator or a crash of its host would: SIGTERM, then SIGKILL if it has not gone within
     * 10 s (the in-memory Azurite ignores SIGTERM). Azurite keeps its metadata in memory and writes it to disk every
     * few seconds and on exit, so SIGKILL could lose writes it had acknowledged, which no real Azure account does;
     * that is why SIGTERM comes first.
     */
    public void kill() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the server again on the same port with the same data (of a server started with {@link #start}). */
    public void restart() throws IOException {
        if (inMemory) {
            throw new IllegalStateException("an in-memory server loses its data when stopped; use start(dir)");
        }
        launch();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws IOException {
        Process p = process;
        if (p != null) {
            if (inMemory) {
                p.destroyForcibly(); // nothing to save, and it ignores SIGTERM
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                try {
                    kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (ownsDir) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(f -> {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** One in-memory server per test JVM, handed to tests as a parameter and stopped when the JVM's tests are done. */
    public static final class Shared implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == AzuriteServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            Started started = c.getRoot().getStore(ExtensionContext.Namespace.create(AzuriteServer.class))
                    .getOrComputeIfAbsent("server", k -> {
                        try {
                            AzuriteServer s = new AzuriteServer(Files.createTempDirectory("azurite"), program(), true,
                                    true);
                            s.startOnFreePort();
                            return new Started(s, null);
                        } catch (org.opentest4j.TestAbortedException e) {
                            return new Started(null, e.getMessage()); // not again for every test
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, Started.class);
            if (started.server() == null) {
                RealServers.unavailable(SERVER, started.failure());
            }
            return started.server();
        }

        /** The shared server, or why there is none; closed with the JVM's tests. */
        private record Started(AzuriteServer server, String failure) implements AutoCloseable {
            @Override
            public void close() throws IOException {
                if (server != null) {
                    server.close();
                }
            }
        }
    }
}
