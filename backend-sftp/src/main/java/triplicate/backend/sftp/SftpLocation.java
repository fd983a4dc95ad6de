package triplicate.backend.sftp;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import triplicate.backend.Backends;

/**
 * Where a vault lives on an SSH server, parsed from {@code sftp://[user@]host[:port]/path[?connections=N]}.
 *
 * <ul>
 *   <li>The path is absolute: {@code sftp://nas/volume1/backup/vault} is {@code /volume1/backup/vault} on the server.
 *       A path starting with {@code /~/} is relative to the folder the server logs the user into (usually the home
 *       folder): {@code sftp://nas/~/vault} is {@code vault} in it, {@code sftp://nas/~} the folder itself.</li>
 *   <li>The user defaults to {@code $USER} (else the JVM's user name); the port to 22.</li>
 *   <li>A password in the URI ({@code sftp://user:secret@host/...}) is refused: it would end up in shell histories,
 *       process lists and configuration files. Use {@code TRIPLICATE_SFTP_PASSWORD_FILE} or a key instead.</li>
 * </ul>
 *
 * @param user        the login name
 * @param host        the host name or address as typed (IPv6 without brackets)
 * @param port        the TCP port
 * @param path        the vault folder as the SFTP server is to see it: absolute ({@code /a/b}), or relative to the
 *                    login folder ({@code a/b}, or {@code .} for the login folder itself)
 * @param connections how many SFTP channels to use in parallel, from {@code ?connections=N}; 0 if not given
 */
record SftpLocation(String user, String host, int port, String path, int connections) {
    /** The most channels one backend opens: OpenSSH allows 10 sessions per connection by default. */
    static final int MAX_CONNECTIONS = 10;

    /** Parses {@code uri}; {@code env} supplies the default user name ({@code USER}). */
    static SftpLocation parse(URI uri, Map<String, String> env) {
        String shown = Backends.redact(uri.toString());
        if (!"sftp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an sftp:// location: " + shown);
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("an SFTP location is written sftp://[user@]host[:port]/path, not " + shown);
        }
        // java.net.URI leaves host and port unset for names it does not accept as Internet host names (my_nas);
        // read them from the authority, which every sftp:// location has
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String rawUserInfo = at < 0 ? null : authority.substring(0, at);
        if (rawUserInfo != null && rawUserInfo.contains(":")) {
            throw new IllegalArgumentException("a password in the location is refused (" + shown + "): it would be kept"
                    + " in shell histories and configuration files. Remove it and use an SSH key, or put the password"
                    + " in a file named by TRIPLICATE_SFTP_PASSWORD_FILE (or in TRIPLICATE_SFTP_PASSWORD)");
        }
        String hostPort = authority.substring(at + 1);
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 < hostPort.length() && hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("invalid IPv6 address in " + shown);
            }
            host = hostPort.substring(1, close);
            portText = close + 1 < hostPort.length() ? hostPort.substring(close + 2) : null;
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        host = decode(host);
        if (host.isEmpty() || host.contains("@") || host.contains("/")) {
            throw new IllegalArgumentException("no valid host name in " + shown
                    + " (write sftp://[user@]host[:port]/path; IPv6 addresses in brackets)");
        }
        String user = rawUserInfo == null ? null : decode(rawUserInfo);
        if (user == null || user.isEmpty()) {
            user = env.getOrDefault("USER", System.getProperty("user.name"));
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("no user name in " + shown + " and none in $USER: write sftp://user@host/path");
        }
        int port = 22;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid port in " + shown);
            }
        }
        String path = remotePath(uri.getPath(), shown);
        int connections = connections(uri.getRawQuery(), shown);
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an SFTP location has no #fragment: " + shown);
        }
        return new SftpLocation(user, host, port, path, connections);
    }

    private static String decode(String text) {
        try {
            return java.net.URLDecoder.decode(text.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String remotePath(String uriPath, String shown) {
        if (uriPath == null || uriPath.isEmpty() || uriPath.equals("/")) {
            throw new IllegalArgumentException("no folder given in " + shown + " (write sftp://host/absolute/path, or"
                    + " sftp://host/~/path for a folder under the login folder)");
        }
        String path = uriPath;
        boolean relative = false;
        if (path.equals("/~") || path.startsWith("/~/")) {
            relative = true;
            path = path.substring(2);
        }
        StringBuilder clean = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("'..' is not allowed in the path of " + shown);
            }
            if (part.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid character in the path of " + shown);
            }
            clean.append('/').append(part);
        }
        if (relative) {
            return clean.isEmpty() ? "." : clean.substring(1);
        }
        if (clean.isEmpty()) {
            throw new IllegalArgumentException("no folder given in " + shown);
        }
        return clean.toString();
    }

    private static int connections(String query, String shown) {
        if (query == null || query.isEmpty()) {
            return 0;
        }
        int connections = 0;
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : param.substring(eq + 1);
            if (!name.equals("connections")) {
                throw new IllegalArgumentException("unknown option \"" + name + "\" in " + shown
                        + " (known: connections=N)");
            }
            connections = parseConnections(value, "connections in " + shown);
        }
        return connections;
    }

    /** Parses a connection count from 1 to {@link #MAX_CONNECTIONS}; {@code what} names the setting in errors. */
    static int parseConnections(String value, String what) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_CONNECTIONS) {
            throw new IllegalArgumentException(what + " must be a number from 1 to " + MAX_CONNECTIONS + ", not \""
                    + value + "\"");
        }
        return n;
    }

    /** {@code [host]:port} as in known_hosts for a port other than 22, else the host. */
    String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** {@code host}, bracketed if it is an IPv6 address, with {@code :port} unless it is 22. */
    String hostAndPort() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 22 ? h : h + ":" + port;
    }

    /** The location for messages: {@code sftp://user@host[:port]/path}, with no secrets (there are none in it). */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String p = path.startsWith("/") ? path : path.equals(".") ? "/~" : "/~/" + path;
        return "sftp://" + user + "@" + h + ":" + port + p;
    }
}
