package triplicate.backend.sftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import triplicate.testkit.RealServers;

/**
 * Debian's OpenSSH server ({@code /usr/sbin/sshd}), started by a test with its own configuration on a free loopback
 * port, logging in the user running the test with a fresh ed25519 key made by {@code ssh-keygen}. There is no chroot:
 * SFTP paths are the machine's own, so vaults go in a temporary folder named by its absolute path. Not installed, it
 * skips the test with the reason ({@code apt-get install openssh-server}; {@code .ci/run} installs it); installed but
 * failing to start, it fails the test with sshd's log.
 *
 * <p>As root, sshd needs its privilege separation folder {@code /run/sshd}, which this creates; as another user it
 * runs unprivileged and can log in only that user. {@link #stop()} ends the listener and every connection's process.
 */
public final class OpenSshServer implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    private final Path dir;
    private final Path config;
    private final Path log;
    private final Path clientKey;
    private final Path knownHosts;
    private final String user = System.getProperty("user.name");
    private final int port;
    private final List<String> extraConfig;
    private Process process;

    private OpenSshServer(Path dir, int port, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = extraConfig;
        this.config = dir.resolve("sshd_config");
        this.log = dir.resolve("sshd.log");
        this.clientKey = dir.resolve("client").resolve("id_ed25519");
        this.knownHosts = dir.resolve("client").resolve("known_hosts");
    }

    /** Starts sshd with keys and configuration under {@code dir}; skips the calling test if sshd is not installed. */
    public static OpenSshServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of());
    }

    /** As {@link #start(Path)}, with {@code extraConfig} lines in sshd_config replacing the defaults of their keywords. */
    public static OpenSshServer start(Path dir, List<String> extraConfig) throws IOException, InterruptedException {
        RealServers.assume(Files.isExecutable(SSHD), "OpenSSH server", "/usr/sbin/sshd is missing:"
                + " apt-get install openssh-server to run the tests against a real OpenSSH server");
        RealServers.assume(Files.isExecutable(SSH_KEYGEN), "OpenSSH server", "ssh-keygen is not installed (openssh-client)");
        OpenSshServer server = new OpenSshServer(dir, freePort(), List.copyOf(extraConfig));
        server.setUp();
        server.start();
        return server;
    }

    private void setUp() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("client"));
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "triplicate test host",
                "-f", dir.resolve("host_ed25519").toString());
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "triplicate test client",
                "-f", clientKey.toString());
        Files.copy(dir.resolve("client").resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        String hostKey = Files.readString(dir.resolve("host_ed25519.pub"), StandardCharsets.UTF_8).trim();
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + hostKey + "\n", StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(extraConfig);
        Set<String> given = new HashSet<>();
        for (String line : extraConfig) {
            given.add(line.trim().split("\\s+")[0].toLowerCase(Locale.ROOT));
        }
        List<String> defaults = List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "MaxSessions 32",
                "MaxStartups 64",
                "LogLevel INFO",
                "Subsystem sftp internal-sftp");
        for (String line : defaults) {
            if (!given.contains(line.split("\\s+")[0].toLowerCase(Locale.ROOT))) {
                lines.add(line);
            }
        }
        lines.add("");
        Files.writeString(config, String.join("\n", lines), StandardCharsets.UTF_8);
        if ("root".equals(user)) {
            Path privsep = Path.of("/run/sshd");
            if (!Files.isDirectory(privsep)) {
                Files.createDirectories(privsep, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        }
    }

    /** Starts (or restarts) sshd on the same port with the same keys; waits until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        stop();
        throw new IOException("sshd did not accept connections on port " + port + " within 10 s:\n" + Files.readString(log));
    }

    /** Ends sshd and the processes serving open connections (by process id, not by name). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** {@code sftp://USER@127.0.0.1:PORT/ABSOLUTE-PATH}. */
    public String uri(Path folder) {
        return "sftp://" + user + "@127.0.0.1:" + port + folder.toAbsolutePath();
    }

    /** sshd's log so far, for failure messages. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Settings for a backend that logs in with the test key and trusts exactly this server. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("TRIPLICATE_SFTP_IDENTITY", clientKey.toString());
        env.put("TRIPLICATE_SFTP_KNOWN_HOSTS", knownHosts.toString());
        env.put("TRIPLICATE_SFTP_TIMEOUT", "20");
        return env;
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
