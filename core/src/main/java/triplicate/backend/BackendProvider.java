package triplicate.backend;

import java.io.IOException;
import java.net.URI;

/**
 * Creates backends for the URI schemes it names. Registered through {@code META-INF/services}, so a backend module
 * on the class path is all it takes to support a new scheme.
 */
public interface BackendProvider {
    /** Lower-case schemes handled, e.g. {@code "s3"}, {@code "sftp"}. */
    java.util.Set<String> schemes();

    /** Opens (does not create) a backend for {@code location}. */
    Backend open(URI location) throws IOException;

    /**
     * Opens a backend for a new vault at {@code location}, first creating what the backend needs there (folders on a
     * file server, for instance); does not write the config file. The default just opens: object stores need
     * nothing created.
     */
    default Backend create(URI location) throws IOException {
        return open(location);
    }
}
