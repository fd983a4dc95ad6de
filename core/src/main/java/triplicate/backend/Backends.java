package triplicate.backend;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import triplicate.backend.local.LocalBackend;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.wrap.RetryingBackend;

/**
 * Turns a location the user typed into a {@link Backend}.
 *
 * <ul>
 *   <li>a path, absolute or relative ({@code /mnt/nas/vault}, {@code vault}, {@code D:\vault}), {@code local:PATH}
 *       or a {@code file:} URI: a {@link LocalBackend} (use {@code local:PATH} for a folder whose name contains a
 *       colon);</li>
 *   <li>{@code memory:NAME}: a new, empty {@link MemoryBackend} on every call: two calls with the same name do not
 *       share files, so keep the instance to reopen a vault;</li>
 *   <li>any other {@code scheme:…}: the {@link BackendProvider} registered for that scheme (found with
 *       {@link ServiceLoader} through the thread's context class loader), wrapped in a {@link RetryingBackend}: such
 *       backends reach over a network, where transient failures are expected.</li>
 * </ul>
 *
 * <p>Providers get their settings and credentials from the environment passed in (the process's own by default).
 *
 * <p>Unknown schemes and malformed locations fail with {@link IllegalArgumentException} naming the supported
 * schemes. Messages pass the location through {@link #redact}. Providers read settings and credentials (never part
 * of the location) from the environment handed to {@link #open(String, Map)}, or the process's own.
 */
public final class Backends {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:([\\\\/].*)?$");
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*:(?://)?)([^/?#@]*)@");
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|sig|cred|auth|session|sas).*");
    private static final List<String> BUILT_IN = List.of("file", "local", "memory");

    private Backends() {
    }

    /** Opens the backend at {@code location}; creates nothing. Settings come from the process's environment. */
    public static Backend open(String location) throws IOException {
        return resolve(location, false, System.getenv());
    }

    /** Opens the backend at {@code location}, with settings and credentials from {@code env}; creates nothing. */
    public static Backend open(String location, Map<String, String> env) throws IOException {
        return resolve(location, false, env);
    }

    /**
     * Opens the backend at {@code location}, first creating what a new vault needs there: for a local path, the
     * folders (failing if a vault is already there); for other schemes whatever {@link BackendProvider#create}
     * does. The config file is the caller's to save.
     */
    public static Backend create(String location) throws IOException {
        return resolve(location, true, System.getenv());
    }

    /** {@link #create(String)} with settings and credentials from {@code env}. */
    public static Backend create(String location, Map<String, String> env) throws IOException {
        return resolve(location, true, env);
    }

    /** A step a backend just opened must pass before it is handed out: a connection, a check, folders created. */
    @FunctionalInterface
    public interface Step<B> {
        void run(B backend) throws IOException;
    }

    /**
     * Runs {@code step} on {@code backend}, just opened, and returns the backend; if the step fails, closes the backend
     * and rethrows, so that a failed open leaves no connection or process behind.
     */
    public static <B extends Backend> B prepare(B backend, Step<? super B> step) throws IOException {
        try {
            step.run(backend);
            return backend;
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * {@code location} fit for messages and logs: the password in the user-info part of a URI and the values of
     * query parameters that look secret ({@code password}, {@code token}, {@code sig}, {@code key}, …) become
     * {@code ***}. A user name is kept. Plain paths are returned unchanged.
     */
    public static String redact(String location) {
        if (location == null) {
            return null;
        }
        String result = location;
        Matcher user = USER_INFO.matcher(result);
        if (user.find()) {
            String userInfo = user.group(2);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                result = user.group(1) + userInfo.substring(0, colon) + ":***@" + result.substring(user.end());
            }
        }
        int query = result.indexOf('?');
        if (query >= 0 && SCHEME.matcher(result).find()) {
            int fragment = result.indexOf('#', query);
            String end = fragment >= 0 ? result.substring(fragment) : "";
            String params = result.substring(query + 1, fragment >= 0 ? fragment : result.length());
            List<String> redacted = new ArrayList<>();
            for (String param : params.split("&", -1)) {
                int eq = param.indexOf('=');
                if (eq >= 0 && SECRET_KEY.matcher(param.substring(0, eq)).matches()) {
                    redacted.add(param.substring(0, eq) + "=***");
                } else {
                    redacted.add(param);
                }
            }
            result = result.substring(0, query + 1) + String.join("&", redacted) + end;
        }
        return result;
    }

    private static Backend resolve(String location, boolean create, Map<String, String> env) throws IOException {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("no backend location given");
        }
        Matcher scheme = SCHEME.matcher(location);
        if (!scheme.find() || WINDOWS_DRIVE.matcher(location).matches()) {
            return local(path(location, location), create);
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        String rest = location.substring(scheme.end());
        switch (name) {
            case "local":
                return local(path(rest, location), create);
            case "file":
                return local(fileUri(location), create);
            case "memory":
                return new MemoryBackend(rest);
            default:
                break;
        }
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + redact(location) + " (" + e.getReason() + ")");
        }
        Set<String> known = new TreeSet<>(BUILT_IN);
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class)) {
            if (provider.schemes().contains(name)) {
                return RetryingBackend.wrap(create ? provider.create(uri, env) : provider.open(uri, env));
            }
            known.addAll(provider.schemes());
        }
        throw new IllegalArgumentException("unknown backend scheme \"" + name + "\" in " + redact(location)
                + "; supported: " + String.join(", ", known) + " (a folder whose name contains ':' is written local:PATH)");
    }

    private static Backend local(Path path, boolean create) throws IOException {
        return create ? LocalBackend.create(path) : LocalBackend.open(path);
    }

    private static Path path(String text, String location) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no folder given in " + redact(location));
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: " + redact(location) + " (" + e.getReason() + ")");
        }
    }

    private static Path fileUri(String location) {
        try {
            return Path.of(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IllegalArgumentException("not a valid file: URI (want file:///absolute/path): " + redact(location));
        }
    }
}
