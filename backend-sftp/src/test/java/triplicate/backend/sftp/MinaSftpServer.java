package triplicate.backend.sftp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server in this JVM (Apache MINA SSHD's SftpSubsystem) on an ephemeral loopback port, serving a temporary
 * folder as "/". It accepts user {@link #USER} with a freshly made ed25519 key (and, if set, a password), and writes
 * the client's key file and a known_hosts file holding its host key; {@link #env()} points the backend at them (and
 * at a HOME without keys, so the machine's own ~/.ssh plays no part). {@link #stop()} drops every connection;
 * {@link #start()} serves again on the same port with the same host key, as a restarted server does.
 *
 * <p>MINA SSHD 2.20.0's SFTP server can hand out a file handle that is still in use: with handles 0 to 3 open, after
 * closing 0 and a failed OPEN, the next two OPENs both get handle 3, so reads of one file return another's bytes (or
 * fail with "no such file"). OpenSSH has no such problem. The server here therefore makes its handles from a counter
 * and never reuses one ({@link UniqueHandlesSftpSubsystemFactory}).
 */
public final class MinaSftpServer implements AutoCloseable {
    public static final String USER = "backup";

    private final Path dir;
    private final Path root;
    private final Path hostKey;
    private final Path clientKeyFile;
    private final Path knownHosts;
    private final PublicKey clientKey;
    private volatile String password;
    private SshServer sshd;
    private int port;

    private MinaSftpServer(Path dir) throws IOException, GeneralSecurityException {
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("server-root"));
        this.hostKey = dir.resolve("host-key.ser");
        Path ssh = Files.createDirectories(dir.resolve("client"));
        this.clientKeyFile = ssh.resolve("id_ed25519");
        this.knownHosts = ssh.resolve("known_hosts");
        KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        try (OutputStream out = Files.newOutputStream(clientKeyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "triplicate test key", null, out);
        }
        this.clientKey = pair.getPublic();
    }

    /** Makes the keys under {@code dir} and starts serving. */
    public static MinaSftpServer start(Path dir) throws IOException {
        try {
            MinaSftpServer server = new MinaSftpServer(dir);
            server.start();
            server.writeKnownHosts();
            return server;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a test key", e);
        }
    }

    /** Starts serving (again), on the port used before if there was one. */
    public synchronized void start() throws IOException {
        if (sshd != null && sshd.isStarted()) {
            return;
        }
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, clientKey));
        server.setPasswordAuthenticator((user, pw, session) -> USER.equals(user) && password != null && password.equals(pw));
        server.setSubsystemFactories(List.of(new UniqueHandlesSftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                server.start();
                last = null;
                break;
            } catch (java.net.BindException e) { // the old socket may linger a moment after a stop
                last = e;
                sleep(100);
            }
        }
        if (last != null) {
            throw last;
        }
        sshd = server;
        port = server.getPort();
    }

    /** Stops serving and drops every connection at once, as a crashing or restarting server does. */
    public synchronized void stop() throws IOException {
        if (sshd != null) {
            sshd.stop(true);
            sshd = null;
        }
    }

    /** Also accept {@code password} for {@link #USER} ({@code null}: keys only). */
    public void password(String password) {
        this.password = password;
    }

    public int port() {
        return port;
    }

    /** The folder served as "/". */
    public Path root() {
        return root;
    }

    /** {@code sftp://backup@127.0.0.1:PORT/path}. */
    public String uri(String path) {
        return "sftp://" + USER + "@127.0.0.1:" + port + "/" + path;
    }

    public Path clientKeyFile() {
        return clientKeyFile;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** The server's host key as a known_hosts line for its address and port. */
    public String knownHostsLine() throws IOException {
        KeyPair key = new SimpleGeneratorHostKeyProvider(hostKey).loadKeys(null).iterator().next();
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key.getPublic());
    }

    /** Settings for a backend that logs in with the test key and trusts exactly this server. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("TRIPLICATE_SFTP_IDENTITY", clientKeyFile.toString());
        env.put("TRIPLICATE_SFTP_KNOWN_HOSTS", knownHosts.toString());
        env.put("TRIPLICATE_SFTP_TIMEOUT", "20");
        return env;
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void writeKnownHosts() throws IOException {
        Files.writeString(knownHosts, knownHostsLine() + "\n", StandardCharsets.UTF_8);
    }

    /** An SFTP subsystem whose file handles are never reused within a session (see the class comment). */
    private static final class UniqueHandlesSftpSubsystemFactory extends SftpSubsystemFactory {
        @Override
        public Command createSubsystem(ChannelSession channel) {
            SftpSubsystem subsystem = new SftpSubsystem(channel, this) {
                private long next;

                @Override
                protected String generateFileHandle(Path file) {
                    String handle;
                    do {
                        handle = "h" + Long.toHexString(next++);
                    } while (handles.containsKey(handle));
                    return handle;
                }
            };
            getRegisteredListeners().forEach(subsystem::addSftpEventListener);
            return subsystem;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }
}
