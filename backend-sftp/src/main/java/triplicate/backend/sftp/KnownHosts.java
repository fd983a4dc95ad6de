package triplicate.backend.sftp;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Checks the server's host key against a known_hosts file, as OpenSSH's {@code StrictHostKeyChecking yes} does: a
 * key listed for the host is accepted; an unknown host or a key that differs from the listed one is refused, and the
 * file is never changed. Hashed entries, patterns and {@code [host]:port} names are understood; {@code @revoked}
 * keys are refused; {@code @cert-authority} lines are ignored (host certificates are not supported).
 *
 * <p>The reason for a refusal is kept for the caller ({@link #problem}) so it can tell the user what to do. (Not as a
 * session attribute: a session that failed its key exchange may close, and drop its attributes, before the caller
 * looks.)
 */
final class KnownHosts implements ServerKeyVerifier {
    /** Why a session's host key was refused, as a message for the user; the caller takes its entry out. */
    private final Map<ClientSession, String> problems = Collections.synchronizedMap(new WeakHashMap<>());

    private final Path file;
    private final SftpLocation location;

    KnownHosts(Path file, SftpLocation location) {
        this.file = file;
        this.location = location;
    }

    /**
     * The key types ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}, …) listed for the host, so
     * the client can ask the server for one of those first (as OpenSSH does) rather than for a type the file does not
     * know. Empty if the file is missing or lists nothing for the host.
     */
    Set<String> knownKeyTypes() {
        Set<String> types = new LinkedHashSet<>();
        try {
            for (KnownHostEntry entry : entries()) {
                if (entry.getKeyEntry() != null && entry.getMarker() == null) {
                    types.add(entry.getKeyEntry().getKeyType());
                }
            }
        } catch (IOException e) {
            // reported, with its cause, when the key is checked
        }
        return types;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String type = KeyUtils.getKeyType(serverKey);
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        List<KnownHostEntry> entries;
        try {
            entries = entries();
        } catch (NoSuchFileException e) {
            entries = List.of();
        } catch (IOException e) {
            return refuse(session, "cannot read the known hosts file " + file + ": " + e.getMessage());
        }
        List<String> otherTypes = new ArrayList<>();
        boolean sameTypeListed = false;
        for (KnownHostEntry entry : entries) {
            PublicKey listed;
            try {
                listed = entry.getKeyEntry() == null ? null
                        : entry.getKeyEntry().resolvePublicKey(session, null, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | GeneralSecurityException e) {
                listed = null;
            }
            if (listed == null) {
                continue;
            }
            boolean same = KeyUtils.compareKeys(listed, serverKey);
            if ("revoked".equals(entry.getMarker())) {
                if (same) {
                    return refuse(session, "the host key of " + location.hostAndPort() + " (" + type + " " + fingerprint
                            + ") is marked @revoked in " + file + "; the connection was refused");
                }
                continue;
            }
            if (entry.getMarker() != null) {
                continue; // @cert-authority: host certificates are not supported
            }
            if (same) {
                return true;
            }
            if (KeyUtils.getKeyType(listed).equals(type)) {
                sameTypeListed = true;
            } else {
                otherTypes.add(KeyUtils.getKeyType(listed));
            }
        }
        String file = shellQuote(this.file.toString());
        String scan = "ssh-keyscan" + (location.port() == 22 ? "" : " -p " + location.port()) + " -t " + type + " "
                + hostForShell() + " >> " + file;
        if (sameTypeListed) {
            return refuse(session, "the host key of " + location.hostAndPort() + " has CHANGED: the server presented"
                    + " " + type + " key " + fingerprint + ", but " + this.file + " lists another one. This can mean"
                    + " that someone is intercepting the connection, or that the server (or NAS) was re-installed;"
                    + " the connection was refused. If you are sure the new key is right (compare its fingerprint"
                    + " with the one the NAS's administration page, or ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on"
                    + " the server, shows), remove the old entry with: ssh-keygen -R "
                    + shellQuote(location.knownHostsName()) + " -f " + file + " and add the new one with: " + scan);
        }
        if (!otherTypes.isEmpty()) {
            return refuse(session, this.file + " lists only " + String.join(", ", new LinkedHashSet<>(otherTypes))
                    + " keys for " + location.hostAndPort() + ", but the server presented a " + type + " key ("
                    + fingerprint + "); the connection was refused. If this key is right (compare its fingerprint with"
                    + " the one the server shows), add it with: " + scan);
        }
        return refuse(session, location.hostAndPort() + " is not a known host: its host key (" + type + " "
                + fingerprint + ") is not in " + this.file + ", so the connection was refused. To trust it, check the"
                + " fingerprint against the one the server (or the NAS's administration page) shows, then add it with: "
                + scan + " (or connect once with ssh" + (location.port() == 22 ? "" : " -p " + location.port())
                + " " + location.user() + "@" + hostForShell() + " and answer yes)");
    }

    private List<KnownHostEntry> entries() throws IOException {
        List<KnownHostEntry> matching = new ArrayList<>();
        for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
            if (entry.isHostMatch(location.host(), location.port())) {
                matching.add(entry);
            }
        }
        return matching;
    }

    private String hostForShell() {
        return location.host().indexOf(':') >= 0 ? location.host() : shellQuote(location.host());
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9._:@/+,=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** Why the host key of {@code session} was refused, or {@code null} if it was not; forgets the reason. */
    String problem(ClientSession session) {
        return problems.remove(session);
    }

    private boolean refuse(ClientSession session, String problem) {
        problems.put(session, problem);
        return false;
    }
}
