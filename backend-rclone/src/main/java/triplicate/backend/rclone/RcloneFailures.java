package triplicate.backend.rclone;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import triplicate.backend.TransientBackendException;

/**
 * Turns what rclone answers into the {@link triplicate.backend.Backend} contract's exceptions, with messages that name
 * the location, the file and the likely fix, and never a secret.
 *
 * <p>rclone has already retried what its backends consider retryable ({@code --low-level-retries}, and each service's
 * own pacing) before it reports an error, and it reports errors as free text from seventy-odd services. So the errors
 * known to need a person (no such remote, an expired login, no permission, a full or over-quota account, a name the
 * service refuses) fail at once; every other error is a {@link TransientBackendException}, which the retrying
 * decorator tries again for a while before it gives up with rclone's message.
 */
final class RcloneFailures {
    /**
     * Substrings (lower case) of errors that are worth retrying even though they also match a marker below: Google
     * reports rate limits as 403 "User Rate Limit Exceeded … project quota".
     */
    private static final List<String> RETRYABLE = List.of("rate limit", "ratelimit", "too many requests",
            "slow down", "try again", "temporarily", "timeout", "timed out", "connection reset", "unexpected eof",
            "backend error", "internal error", "service unavailable");

    /** Substrings (lower case) of rclone errors that retrying will not cure, with what to say about them. */
    private static final List<Kind> PERMANENT = List.of(
            new Kind(List.of("couldn't fetch token", "invalid_grant", "token expired", "maybe it has expired",
                    "rclone config reconnect", "unauthenticated", "unauthorized", "invalid_client",
                    "authentication failed", "login failed"),
                    "rclone cannot log in to the remote: renew its login with 'rclone config reconnect %s:' and check"
                            + " it with 'rclone lsd %s:'"),
            new Kind(List.of("permission denied", "access denied", "accessdenied", "forbidden", "insufficient"
                    + " permission", "insufficientfilepermissions", "not allowed"),
                    "the remote refused permission: check that the account rclone uses for %s may write there"),
            new Kind(List.of("quota", "no space left", "insufficient storage", "insufficient_space",
                    "storage is full", "not enough space", "storagequotaexceeded"),
                    "the remote is full or over its quota: free space in the account behind %s, or move the vault"),
            new Kind(List.of("read-only file system", "file name too long", "name too long", "invalid name",
                    "illegal character", "is a directory", "not a directory", "can't copy", "can't move",
                    "not supported", "unsupported", "is read only", "readonly"),
                    "rclone's remote %s cannot do this"));

    private final String where;
    private final RcloneLocation location;
    private final String configHint;
    private final List<String> secrets = new CopyOnWriteArrayList<>();

    RcloneFailures(RcloneLocation location, RcloneLauncher launcher) {
        this.where = location.shown();
        this.location = location;
        String config = launcher.environment().get("RCLONE_CONFIG");
        this.configHint = config == null || config.isBlank() ? "its config file ('rclone config file' shows which)"
                : "the config file RCLONE_CONFIG names (" + config + ")";
        secrets.addAll(RcloneLocation.secrets(location.remote()));
        secrets.addAll(launcher.secrets());
    }

    /** Masks {@code secret} in every message from now on (the password of a new rclone process). */
    void secret(String secret) {
        secrets.add(secret);
    }

    /** {@code text} with every known secret masked. */
    String clean(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    /** {@code "LOCATION: cannot WHAT TARGET: "}. */
    String prefix(String what, Object target) {
        return where + ": cannot " + what + (target == null ? "" : " " + target) + ": ";
    }

    /**
     * The exception for an error rclone reported ({@code status} is the HTTP status of its answer) while doing
     * {@code what} to {@code target}; missing files are the caller's to recognise first.
     */
    IOException refused(int status, String error, String what, Object target) {
        String said = clean(error == null || error.isBlank() ? "HTTP status " + status : error.strip());
        String lower = said.toLowerCase(Locale.ROOT);
        String prefix = prefix(what, target);
        if (lower.contains("didn't find section in config file") || lower.contains("didn't find backend called")) {
            return noSuchRemote();
        }
        if (lower.contains("couldn't find method")) {
            return new IOException(prefix + "this rclone is too old for Triplicate (it lacks the remote control call"
                    + " it was asked for: " + said + "); install rclone 1.60 or newer (https://rclone.org/install/)");
        }
        if (status == 400) {
            return new IOException(prefix + "rclone refused the request (" + said + ")");
        }
        for (String marker : RETRYABLE) {
            if (lower.contains(marker)) {
                return new TransientBackendException(prefix + "rclone reported an error (" + said + ")");
            }
        }
        for (Kind kind : PERMANENT) {
            for (String marker : kind.markers()) {
                if (lower.contains(marker)) {
                    String name = location.remoteName();
                    return new IOException(prefix + kind.hint().replace("%s", name) + " (rclone said: " + said + ")");
                }
            }
        }
        return new TransientBackendException(prefix + "rclone reported an error (" + said + ")");
    }

    /** No remote of that name in rclone's config file. */
    IOException noSuchRemote() {
        String name = location.remoteName();
        if (name.startsWith(":")) {
            return new IOException(where + ": rclone does not know the backend \"" + name.substring(1) + "\" of this"
                    + " on-the-fly remote ('rclone help backends' lists them)");
        }
        return new IOException(where + ": rclone has no remote named \"" + name + "\" in " + configHint + "; add it"
                + " with 'rclone config', or check the name with 'rclone listremotes' (see docs/backends/rclone.md)");
    }

    /**
     * True if rclone's answer says that a file or folder does not exist: rclone answers 404 for those (and, when it
     * serves a file, for any failure to find it, so the text decides).
     */
    static boolean notFound(int status, String error) {
        if (status != 404) {
            return false;
        }
        String lower = error == null ? "" : error.toLowerCase(Locale.ROOT);
        return lower.contains("object not found") || lower.contains("directory not found")
                || lower.contains("file not found") || lower.contains("no such file");
    }

    /** A marker for errors that need a person, with the hint to give ({@code %s} is the remote's name). */
    private record Kind(List<String> markers, String hint) {
    }
}
