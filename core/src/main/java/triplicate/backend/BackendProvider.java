package triplicate.backend;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Creates backends for the URI schemes it names. Registered through {@code META-INF/services}, so a backend module
 * on the class path is all it takes to support a new scheme.
 *
 * <p>Settings and credentials that do not belong in a URI (passwords, key files, known hosts) come from environment
 * variables. {@link Backends} calls the two-argument methods with the caller's environment (the process's own, or the
 * one a test or an embedding program supplies); a provider that reads settings overrides them, and its one-argument
 * methods pass {@link System#getenv()}.
 */
public interface BackendProvider {
    /** Lower-case schemes handled, e.g. {@code "s3"}, {@code "sftp"}. */
    java.util.Set<String> schemes();

    /** Opens (does not create) a backend for {@code location}. */
    Backend open(URI location) throws IOException;

    /** As {@link #open(URI)}, reading settings from {@code env} (environment variables by name). */
    default Backend open(URI location, Map<String, String> env) throws IOException {
        return open(location);
    }

    /**
     * Opens a backend for a new vault at {@code location}, first creating what the backend needs there (folders on a
     * file server, for instance); does not write the config file. The default just opens: object stores need
     * nothing created.
     */
    default Backend create(URI location) throws IOException {
        return open(location);
    }

    /** As {@link #create(URI)}, reading settings from {@code env} (environment variables by name). */
    default Backend create(URI location, Map<String, String> env) throws IOException {
        return create(location);
    }
}
