package triplicate.backend;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Creates backends for the URI schemes it names. Registered through {@code META-INF/services}, so a backend module
 * on the class path is all it takes to support a new scheme.
 *
 * <p>Network backends read their credentials and settings from an environment handed to them (the process's own,
 * or a test's), never from {@link System#getenv()} directly, so that callers decide what a backend sees. Providers
 * override the two-argument methods; the one-argument ones use the process environment.
 */
public interface BackendProvider {
    /** Lower-case schemes handled, e.g. {@code "s3"}, {@code "sftp"}. */
    java.util.Set<String> schemes();

    /** Opens (does not create) a backend for {@code location}. */
    Backend open(URI location) throws IOException;

    /**
     * Opens (does not create) a backend for {@code location} with settings and credentials from {@code env}
     * (environment variables). The default ignores {@code env}.
     */
    default Backend open(URI location, Map<String, String> env) throws IOException {
        return open(location);
    }

    /** {@link #create(URI)} with settings and credentials from {@code env}. The default ignores {@code env}. */
    default Backend create(URI location, Map<String, String> env) throws IOException {
        return create(location);
    }

    /**
     * Opens a backend for a new vault at {@code location}, first creating what the backend needs there (folders on a
     * file server, for instance); does not write the config file. The default just opens: object stores need
     * nothing created.
     */
    default Backend create(URI location) throws IOException {
        return open(location);
    }
}
