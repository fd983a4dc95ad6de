package triplicate.backend.rclone;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import triplicate.backend.LocationOptions;

/**
 * Where a vault lives as rclone sees it, parsed from {@code rclone:REMOTE:PATH[?OPTIONS]}.
 *
 * <ul>
 *   <li>{@code REMOTE:PATH} is exactly what one would give the {@code rclone} command: a remote configured with
 *       {@code rclone config} ({@code gdrive:Backups/vault}, {@code dropbox:vault}, {@code onedrive:} for the root),
 *       or an on-the-fly remote ({@code :local:/mnt/x}, {@code myremote,param=value:path}). Characters a URI cannot
 *       hold (a space, {@code #}, {@code ?}, {@code %}) are percent-encoded: {@code gdrive:My%20Photos/vault}.</li>
 *   <li>Options: {@code connections} (requests at once, 1 to 32, default 4) and {@code timeout} (seconds to wait for
 *       an answer from rclone before checking whether it hangs, 1 to 3600, default 300).</li>
 *   <li>Credentials do not belong in the location: an option that looks like one is refused, and the values of
 *       secret-looking parameters of a connection string ({@code pass=}, {@code token=}, …) are masked wherever
 *       the location is shown.</li>
 * </ul>
 *
 * @param remote      the rclone remote and path, decoded, as passed to rclone
 * @param remoteName  the remote's name as rclone's config file knows it ({@code gdrive}), or the backend of an
 *                    on-the-fly remote ({@code :local})
 * @param connections how many requests to run at once
 * @param timeout     how long to wait for an answer from rclone (uploads get more, by size)
 * @param shown       the location for messages: secrets masked, options left out
 */
record RcloneLocation(String remote, String remoteName, int connections, Duration timeout, String shown) {
    static final int DEFAULT_CONNECTIONS = 4;
    static final int MAX_CONNECTIONS = 32;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    static final Set<String> OPTIONS = Set.of("connections", "timeout");

    /** Names of parameters and variables whose values are secrets. */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass|secret|token|key|cred|auth|sig|session|sas|private).*");
    /** A parameter of an rclone connection string: {@code ,name=value} with the value plain or quoted. */
    private static final Pattern PARAMETER = Pattern.compile("(,)([A-Za-z0-9_-]+)=(\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|[^,:]*)");

    /**
     * Reads {@code uri}; fails with {@link IllegalArgumentException} naming what is wrong, never echoing a secret.
     */
    static RcloneLocation parse(URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("rclone")) {
            throw new IllegalArgumentException("not an rclone: location: " + masked(uri.toString()));
        }
        String raw = uri.getRawSchemeSpecificPart();
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an rclone location has no #fragment (write a '#' in a folder name as"
                    + " %23): " + masked(raw));
        }
        if (raw == null || raw.isEmpty() || raw.startsWith("//")) {
            throw new IllegalArgumentException("an rclone location is written rclone:REMOTE:PATH, with REMOTE a remote"
                    + " from 'rclone config' (for example rclone:gdrive:Backups/vault), not " + masked(uri.toString()));
        }
        int q = raw.indexOf('?');
        String rawRemote = q < 0 ? raw : raw.substring(0, q);
        String remote = decode(rawRemote);
        String shownRemote = masked(remote);
        LocationOptions options = LocationOptions.parse(q < 0 ? null : raw.substring(q + 1), "rclone:" + shownRemote,
                OPTIONS, SECRET_NAME, name -> "credentials do not belong in the location rclone:" + shownRemote
                        + " (option \"" + name + "\"; its value is not shown): they belong in rclone's config file,"
                        + " made with 'rclone config' (see docs/backends/rclone.md)", RcloneLocation::decode);
        int colon = remote.startsWith(":") ? remote.indexOf(':', 1) : remote.indexOf(':');
        if (colon <= 0 || remote.indexOf('\0') >= 0 || remote.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("no rclone remote in rclone:" + shownRemote + ": write rclone:REMOTE:PATH"
                    + " with REMOTE a remote from 'rclone config' (rclone:gdrive:Backups/vault), or an on-the-fly"
                    + " remote (rclone::local:/mnt/backup); a folder on this computer is given as a plain path");
        }
        if (remote.contains("]")) {
            // rclone's remote control serves files at /[REMOTE:PATH]/file and ends the remote at the first ']'
            throw new IllegalArgumentException("an rclone location cannot contain ']': rclone:" + shownRemote);
        }
        String head = remote.substring(0, colon);
        int comma = head.indexOf(',');
        String remoteName = comma < 0 ? head : head.substring(0, comma);
        if (remoteName.isEmpty() || remoteName.equals(":")) {
            throw new IllegalArgumentException("no remote name in rclone:" + shownRemote);
        }
        int connections = (int) options.number("connections", DEFAULT_CONNECTIONS, 1, MAX_CONNECTIONS);
        long timeout = options.number("timeout", DEFAULT_TIMEOUT.toSeconds(), 1, 3600);
        return new RcloneLocation(remote, remoteName, connections, Duration.ofSeconds(timeout), "rclone:" + shownRemote);
    }

    /** {@code text} with the values of secret-looking connection-string parameters replaced by {@code ***}. */
    static String masked(String text) {
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = SECRET_NAME.matcher(m.group(2)).matches()
                    ? m.group(1) + m.group(2) + "=***" : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The values of secret-looking connection-string parameters in {@code remote}, quotes removed, for masking. */
    static java.util.List<String> secrets(String remote) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = PARAMETER.matcher(remote);
        while (m.find()) {
            String value = m.group(3);
            if (SECRET_NAME.matcher(m.group(2)).matches() && !value.isEmpty()) {
                out.add(value);
                if (value.length() > 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                    out.add(value.substring(1, value.length() - 1));
                }
            }
        }
        return out;
    }

    /** Percent-decoding as in URIs ({@code %20} is a space); a '+' stays a '+'. */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a '%' in an rclone location must start an escape such as %20 or %25: "
                    + masked(raw));
        }
    }
}
