package triplicate.backend.rclone;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import triplicate.testkit.RealServers;

/**
 * A real rclone for tests: the installed {@code rclone} program (Debian's 1.60 in CI) with a config file of its own
 * that defines one remote, {@code testlocal}, of rclone's {@code local} type, so the files a backend writes land in a
 * temporary folder where the test can look at them, and where rclone itself, run as a separate command
 * ({@link #rclone}), reads them as an independent client.
 *
 * <p>Tests that find no rclone are skipped with the reason (failed where {@code TRIPLICATE_REQUIRE_SERVERS=1}, as in
 * CI) through {@link RealServers}.
 *
 * <p>Used as a JUnit extension ({@code @ExtendWith(RcloneRemote.Shared.class)}, then an {@code RcloneRemote}
 * parameter), it is one folder and config per test JVM, each test using vault folders of its own
 * ({@link #newVault}).
 */
public final class RcloneRemote implements AutoCloseable {
    /** The remote the config file defines. */
    public static final String REMOTE = "testlocal";

    private final Path dir;
    private final Path program;
    private final Path config;

    private RcloneRemote(Path dir, Path program) throws IOException {
        this.dir = dir;
        this.program = program;
        this.config = dir.resolve("rclone.conf");
        Files.writeString(config, "[" + REMOTE + "]\ntype = local\n");
        Files.createDirectories(dir.resolve("remote"));
        Files.createDirectories(dir.resolve("home"));
    }

    /** A remote in {@code dir}; skips the test (with the reason) if rclone is not installed. */
    public static RcloneRemote create(Path dir) throws IOException {
        return new RcloneRemote(dir, program());
    }

    /** The rclone program: found on PATH, else Debian's /usr/bin/rclone. */
    static Path program() {
        Path found = Path.of("/usr/bin/rclone");
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isBlank() && Files.isExecutable(Path.of(d, "rclone"))) {
                found = Path.of(d, "rclone");
                break;
            }
        }
        RealServers.assume(Files.isExecutable(found), "rclone", "apt-get install rclone");
        return found;
    }

    /** The folder holding everything {@code testlocal:} paths name (absolute paths under it). */
    public Path root() {
        return dir.resolve("remote");
    }

    /** A fresh vault folder's path on disk (not created). */
    public Path newVault() {
        return root().resolve("vault-" + UUID.randomUUID());
    }

    /** {@code rclone:testlocal:/ABSOLUTE/FOLDER}. */
    public String location(Path folder) {
        return "rclone:" + REMOTE + ":" + folder.toAbsolutePath();
    }

    /** {@code testlocal:/ABSOLUTE/FOLDER}, as the rclone command takes it. */
    public String remote(Path folder) {
        return REMOTE + ":" + folder.toAbsolutePath();
    }

    /**
     * An environment with this config file, the system's PATH (where the backend finds rclone) and a home of its own:
     * nothing of the machine user's rclone setup.
     */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("RCLONE_CONFIG", config.toString());
        env.put("PATH", program.getParent() + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("home").resolve(".config").toString());
        env.put("XDG_CACHE_HOME", dir.resolve("home").resolve(".cache").toString());
        return env;
    }

    /** Runs {@code rclone ARGS} with this config, as a separate client would; returns its standard output. */
    public byte[] rclone(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env());
        Path errors = Files.createTempFile(dir, "rclone-stderr", ".txt");
        pb.redirectError(errors.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("rclone " + String.join(" ", args) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
        if (p.exitValue() != 0) {
            throw new IOException("rclone " + String.join(" ", args) + " exited with " + p.exitValue() + ": "
                    + Files.readString(errors, StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
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

    /** One remote per test JVM, handed to tests as a parameter and deleted when the JVM's tests are done. */
    public static final class Shared implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == RcloneRemote.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            Path program = program(); // skips (or fails in CI) every test when rclone is missing
            Holder holder = c.getRoot().getStore(ExtensionContext.Namespace.create(RcloneRemote.class))
                    .getOrComputeIfAbsent("remote", k -> {
                        try {
                            return new Holder(new RcloneRemote(Files.createTempDirectory("rclone-remote"), program));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, Holder.class);
            return holder.remote();
        }

        /** The shared remote, deleted with the JVM's tests. */
        private record Holder(RcloneRemote remote) implements AutoCloseable {
            @Override
            public void close() throws IOException {
                remote.close();
            }
        }
    }
}
