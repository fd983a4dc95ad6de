package triplicate.backend.sftp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to reach and log in to an SFTP server, from environment variables (never from the URI):
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code TRIPLICATE_SFTP_IDENTITY}</td><td>private key file(s) to log in with, separated by
 *       {@code :}</td><td>{@code ~/.ssh/id_ed25519}, {@code ~/.ssh/id_ecdsa}, {@code ~/.ssh/id_rsa}, those that
 *       exist</td></tr>
 *   <tr><td>{@code SSH_AUTH_SOCK}</td><td>an ssh-agent whose keys are tried first</td><td>as set by the
 *       desktop</td></tr>
 *   <tr><td>{@code TRIPLICATE_SFTP_PASSWORD_FILE}</td><td>a file whose first line is the password</td><td>none</td></tr>
 *   <tr><td>{@code TRIPLICATE_SFTP_PASSWORD}</td><td>the password itself</td><td>none</td></tr>
 *   <tr><td>{@code TRIPLICATE_SFTP_KNOWN_HOSTS}</td><td>the known_hosts file that holds the server's host key</td>
 *       <td>{@code ~/.ssh/known_hosts}</td></tr>
 *   <tr><td>{@code TRIPLICATE_SFTP_CONNECTIONS}</td><td>SFTP channels used in parallel (1 to 10); the URI's
 *       {@code ?connections=N} wins</td><td>4</td></tr>
 *   <tr><td>{@code TRIPLICATE_SFTP_TIMEOUT}</td><td>seconds to wait for a connection, a login or an answer</td>
 *       <td>60</td></tr>
 * </table>
 *
 * <p>{@code ~} is {@code $HOME}, else the JVM's {@code user.home}. {@link #toString()} never shows the password.
 */
record SftpSettings(List<Path> identities, String agentSocket, String password,
        String passwordSource, Path knownHosts, int connections, Duration timeout) {
    static final int DEFAULT_CONNECTIONS = 4;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    static SftpSettings from(SftpLocation location, Map<String, String> env) throws IOException {
        Path home = Path.of(nonBlank(env.get("HOME")) != null ? env.get("HOME") : System.getProperty("user.home"));
        Path ssh = home.resolve(".ssh");

        List<Path> identities = new ArrayList<>();
        String identity = nonBlank(env.get("TRIPLICATE_SFTP_IDENTITY"));
        if (identity != null) {
            for (String file : identity.split(":")) {
                if (!file.isBlank()) {
                    Path p = expand(file.trim(), home);
                    if (!Files.isRegularFile(p)) {
                        throw new NoSuchFileException(p.toString(), null,
                                "the key file named by TRIPLICATE_SFTP_IDENTITY does not exist");
                    }
                    identities.add(p);
                }
            }
        } else {
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = ssh.resolve(name);
                if (Files.isRegularFile(p)) {
                    identities.add(p);
                }
            }
        }

        String password = null;
        String passwordSource = null;
        String passwordFile = nonBlank(env.get("TRIPLICATE_SFTP_PASSWORD_FILE"));
        if (passwordFile != null) {
            Path p = expand(passwordFile, home);
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(p.toString(), null,
                        "the password file named by TRIPLICATE_SFTP_PASSWORD_FILE does not exist");
            }
            int end = text.indexOf('\n');
            password = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
            passwordSource = "TRIPLICATE_SFTP_PASSWORD_FILE";
        } else if (env.get("TRIPLICATE_SFTP_PASSWORD") != null && !env.get("TRIPLICATE_SFTP_PASSWORD").isEmpty()) {
            password = env.get("TRIPLICATE_SFTP_PASSWORD");
            passwordSource = "TRIPLICATE_SFTP_PASSWORD";
        }

        String knownHostsFile = nonBlank(env.get("TRIPLICATE_SFTP_KNOWN_HOSTS"));
        Path knownHosts = knownHostsFile != null ? expand(knownHostsFile, home) : ssh.resolve("known_hosts");

        int connections = DEFAULT_CONNECTIONS;
        if (location.connections() > 0) {
            connections = location.connections();
        } else if (nonBlank(env.get("TRIPLICATE_SFTP_CONNECTIONS")) != null) {
            connections = SftpLocation.parseConnections(env.get("TRIPLICATE_SFTP_CONNECTIONS"),
                    "TRIPLICATE_SFTP_CONNECTIONS");
        }

        Duration timeout = DEFAULT_TIMEOUT;
        String timeoutText = nonBlank(env.get("TRIPLICATE_SFTP_TIMEOUT"));
        if (timeoutText != null) {
            long seconds;
            try {
                seconds = Long.parseLong(timeoutText.trim());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 1 || seconds > 3600) {
                throw new IllegalArgumentException("TRIPLICATE_SFTP_TIMEOUT must be a number of seconds from 1 to 3600,"
                        + " not \"" + timeoutText + "\"");
            }
            timeout = Duration.ofSeconds(seconds);
        }
        return new SftpSettings(List.copyOf(identities), nonBlank(env.get("SSH_AUTH_SOCK")),
                password, passwordSource, knownHosts, connections, timeout);
    }

    private static Path expand(String file, Path home) {
        if (file.equals("~")) {
            return home;
        }
        if (file.startsWith("~/")) {
            return home.resolve(file.substring(2));
        }
        return Path.of(file);
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "SftpSettings[identities=" + identities + ", agent=" + (agentSocket != null) + ", password="
                + (password == null ? "none" : "from " + passwordSource) + ", knownHosts=" + knownHosts
                + ", connections=" + connections + ", timeout=" + timeout + "]";
    }
}
