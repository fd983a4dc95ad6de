package triplicate.backend.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import triplicate.backend.TransientBackendException;

/**
 * Opens authenticated SSH sessions to one server. Owns the {@link SshClient} (its threads and settings); the keys are
 * read once, when it is made.
 *
 * <p>Failures: a refused host key or a refused login is an {@link SftpLoginException} (retrying will not help);
 * everything else that stops a connection (refused, reset, timed out, dropped during the login) is a
 * {@link TransientBackendException}.
 */
final class SftpConnector implements AutoCloseable {
    private final SftpLocation location;
    private final SftpSettings settings;
    private final SshClient client;
    private final KnownHosts knownHosts;
    private final List<KeyPair> keys = new ArrayList<>();
    /** What was tried to log in, for the message when it fails. */
    private final List<String> tried = new ArrayList<>();
    /** Key files that could not be used, and why. */
    private final List<String> skipped = new ArrayList<>();

    SftpConnector(SftpLocation location, SftpSettings settings) {
        this.location = location;
        this.settings = settings;
        loadKeys();
        knownHosts = new KnownHosts(settings.knownHosts(), location);
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(knownHosts);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY); // ~/.ssh/config is not read
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER); // the keys are added per session
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        client.setSignatureFactories(preferKnownHostKeyTypes(client.getSignatureFactories(), knownHosts.knownKeyTypes()));
        if (settings.agentSocket() != null) {
            client.setAgentFactory(new AgentSocket.Factory(Path.of(settings.agentSocket())));
            tried.add(0, "the keys in ssh-agent (SSH_AUTH_SOCK)");
        }
        if (settings.password() != null) {
            tried.add("the password from " + settings.passwordSource());
        }
        // a request unanswered this long means a dead server (or network); the channel is then dropped
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.timeout().multipliedBy(2));
        // MINA's own login deadline comes after ours, so a slow login is reported by connect() in its words
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.timeout().multipliedBy(2));
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, settings.timeout());
        client.start();
    }

    /** Connects, checks the host key, logs in; the caller closes the session. */
    ClientSession connect() throws IOException {
        ConnectFuture connecting;
        try {
            connecting = client.connect(location.user(), location.host(), location.port());
        } catch (IllegalStateException e) {
            throw new IOException(location + ": the SSH client is closed", e);
        }
        boolean done;
        try {
            done = connecting.await(settings.timeout());
        } catch (IOException e) {
            throw new TransientBackendException(location + ": cannot connect to " + location.hostAndPort() + ": "
                    + describe(e), e);
        }
        if (!done) {
            connecting.cancel();
            throw new TransientBackendException(location + ": no answer from " + location.hostAndPort() + " within "
                    + settings.timeout().toSeconds() + " s (is the server on, and is SFTP/SSH enabled on it?)");
        }
        Throwable failure = connecting.getException();
        if (failure != null) {
            if (failure instanceof UnknownHostException) {
                throw new IOException(location + ": unknown host \"" + location.host() + "\" (check the name, or use"
                        + " the server's IP address)", failure);
            }
            throw new TransientBackendException(location + ": cannot connect to " + location.hostAndPort() + ": "
                    + describe(failure), failure);
        }
        ClientSession session = connecting.getSession();
        try {
            for (KeyPair key : keys) {
                session.addPublicKeyIdentity(key);
            }
            if (settings.password() != null) {
                session.addPasswordIdentity(settings.password());
            }
            AuthFuture auth = session.auth();
            boolean finished = auth.await(settings.timeout());
            String hostKeyProblem = knownHosts.problem(session);
            if (hostKeyProblem != null) {
                throw new SftpLoginException(location + ": " + hostKeyProblem);
            }
            if (!finished) {
                throw new TransientBackendException(location + ": " + location.hostAndPort()
                        + " did not complete the login within " + settings.timeout().toSeconds() + " s");
            }
            if (!auth.isSuccess()) {
                Throwable why = auth.getException();
                if (loginRefused(why)) {
                    throw new SftpLoginException(loginRefusedMessage());
                }
                throw new TransientBackendException(location + ": the connection to " + location.hostAndPort()
                        + " failed during the login: " + describe(why), why);
            }
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** The key files and other credentials that were tried, and the key files that could not be used. */
    String loginRefusedMessage() {
        StringBuilder m = new StringBuilder(location + ": " + location.hostAndPort() + " refused the login as user \""
                + location.user() + "\"");
        m.append(tried.isEmpty() ? " (there was nothing to offer: no usable key file, no ssh-agent, no password)"
                : " (tried " + String.join("; ", tried) + ")");
        if (!skipped.isEmpty()) {
            m.append("; not usable: ").append(String.join("; ", skipped));
        }
        m.append(". Check the user name, add your public key (e.g. ~/.ssh/id_ed25519.pub) to ~/.ssh/authorized_keys"
                + " on the server (ssh-copy-id does it), or set TRIPLICATE_SFTP_PASSWORD_FILE to a file holding the"
                + " password");
        return m.toString();
    }

    @Override
    public void close() {
        client.stop();
    }

    private void loadKeys() {
        for (Path file : settings.identities()) {
            try (InputStream in = Files.newInputStream(file)) {
                Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                        in, FilePasswordProvider.EMPTY);
                int before = keys.size();
                if (loaded != null) {
                    loaded.forEach(keys::add);
                }
                if (keys.size() > before) {
                    tried.add("key " + file);
                } else {
                    skipped.add(file + " (no key found in it)");
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                skipped.add(file + (reason.contains("password") || reason.contains("passphrase")
                        || reason.contains("encrypt") || reason.contains("decrypt")
                        ? " (protected by a passphrase: load it into ssh-agent with ssh-add)"
                        : " (" + e.getMessage() + ")"));
            }
        }
    }

    private static boolean loginRefused(Throwable why) {
        if (why instanceof SshException s && s.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
            return true;
        }
        String m = why == null ? "" : String.valueOf(why.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("no more authentication methods") || m.contains("authentication failed");
    }

    /**
     * Puts the signature algorithms of the host key types listed in known_hosts first, so the server is asked for a
     * key that can be checked (OpenSSH's client does the same); the rest keep their order.
     */
    private static List<NamedFactory<Signature>> preferKnownHostKeyTypes(List<NamedFactory<Signature>> factories,
            Set<String> knownTypes) {
        if (knownTypes.isEmpty()) {
            return factories;
        }
        List<NamedFactory<Signature>> preferred = new ArrayList<>();
        List<NamedFactory<Signature>> rest = new ArrayList<>();
        for (NamedFactory<Signature> f : factories) {
            String name = f.getName();
            boolean known = knownTypes.contains(name)
                    || knownTypes.contains("ssh-rsa") && (name.equals("rsa-sha2-512") || name.equals("rsa-sha2-256"));
            (known ? preferred : rest).add(f);
        }
        preferred.addAll(rest);
        return Collections.unmodifiableList(preferred);
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "unknown reason";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
