package triplicate.testkit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real HTTP server for tests, run as a child process on a free loopback port: started, waited for until it answers,
 * killed and started again on the same port and data, and never left running when the test JVM ends. Its output goes
 * to a log in its folder, whose last lines explain a failed start. A subclass says how to run its server
 * ({@link #command}) and where it answers ({@link #endpoint}); {@link Shared} makes one server per test JVM.
 *
 * <p>A server that cannot be started gives up on the test through {@link RealServers}.
 */
public abstract class ChildProcessServer implements AutoCloseable {
    private final String program;
    private final String server;
    private final Path dir;
    private final Path log;
    private final boolean ownsDir;
    private int port;
    private volatile Process process;
    private boolean hookAdded;

    /**
     * @param program what runs, for messages ({@code "S3Proxy"})
     * @param server  what a test is missing when it cannot start, for {@link RealServers} ({@code "S3 server"})
     * @param dir     the server's folder, holding its log {@code logName}
     * @param ownsDir whether {@link #close} deletes {@code dir}
     */
    protected ChildProcessServer(String program, String server, Path dir, String logName, boolean ownsDir) {
        this.program = program;
        this.server = server;
        this.dir = dir;
        this.log = dir.resolve(logName);
        this.ownsDir = ownsDir;
    }

    /** The process to start, serving on {@code port}; its output is sent to the log. */
    protected abstract ProcessBuilder command(int port) throws IOException;

    /** The server's base URL; it is up once a GET of this URL followed by {@code /} gets any HTTP answer. */
    public abstract String endpoint();

    /** The server's folder. */
    protected final Path dir() {
        return dir;
    }

    /** Starts the server on a free port, trying three; gives up on the test if it cannot. */
    protected final void startOnFreePort() throws IOException {
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
        RealServers.unavailable(server, program + " did not start: " + last.getMessage());
    }

    /** Starts the process on {@link #port} and waits until it answers HTTP. */
    protected final void launch() throws IOException {
        ProcessBuilder pb = command(port);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        if (!hookAdded) {
            // a test JVM that is killed or exits early must not leave the server running
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Process p = process;
                if (p != null) {
                    p.destroyForcibly();
                }
            }, "stop-" + program.toLowerCase(Locale.ROOT)));
            hookAdded = true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(program + " exited with " + process.exitValue() + "; its log ends: " + logTail());
            }
            if (answers()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while starting " + program);
            }
        }
        process.destroyForcibly();
        throw new IOException(program + " did not answer within 60 s; its log ends: " + logTail());
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

    public final int port() {
        return port;
    }

    /** The running process, or null before the first start. */
    protected final Process process() {
        return process;
    }

    /** Kills the server at once (SIGKILL), as a crash or a power cut would. */
    public void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again on the same port with the same data. */
    public void restart() throws IOException {
        launch();
    }

    public final boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Stops the process for {@link #close}; {@link #kill} unless a subclass knows better. */
    protected void stop() throws InterruptedException {
        kill();
    }

    /** Stops the server and deletes its folder if it made it. */
    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /**
     * One server per test JVM, handed to tests as a parameter of type {@code S} and stopped when the JVM's tests are
     * done. A server that cannot start is tried once: every test that asks for it then gives up with the same reason.
     * A subclass with a no-argument constructor is the JUnit extension.
     */
    public abstract static class Shared<S extends ChildProcessServer> implements ParameterResolver {
        private final Class<S> type;
        private final String server;

        /**
         * @param server what a test is missing without it, for {@link RealServers}
         */
        protected Shared(Class<S> type, String server) {
            this.type = type;
            this.server = server;
        }

        /** A new server in a fresh temporary folder of its own, not started yet. */
        protected abstract S create() throws IOException;

        @Override
        public final boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == type;
        }

        @Override
        public final Object resolveParameter(ParameterContext p, ExtensionContext c) {
            Started started = c.getRoot().getStore(ExtensionContext.Namespace.create(type))
                    .getOrComputeIfAbsent("server", k -> {
                        try {
                            S s = create();
                            s.startOnFreePort();
                            return new Started(s, null);
                        } catch (org.opentest4j.TestAbortedException e) {
                            return new Started(null, e.getMessage()); // not again for every test
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, Started.class);
            if (started.server() == null) {
                RealServers.unavailable(server, started.failure());
            }
            return started.server();
        }

        /** The shared server, or why there is none; closed with the JVM's tests. */
        private record Started(ChildProcessServer server, String failure) implements AutoCloseable {
            @Override
            public void close() throws IOException {
                if (server != null) {
                    server.close();
                }
            }
        }
    }
}
