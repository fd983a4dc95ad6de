package triplicate.backend.s3;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.BackendProvider;

/**
 * Serves {@code s3://} and {@code s3+http://} locations (see {@link S3Config} for the grammar and
 * docs/backends/s3.md for examples). {@link #create} also creates a missing bucket.
 */
public final class S3BackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("s3", "s3+http");
    }

    @Override
    public Backend open(URI location) throws IOException {
        return open(location, System.getenv());
    }

    @Override
    public Backend create(URI location) throws IOException {
        return create(location, System.getenv());
    }

    @Override
    public Backend open(URI location, Map<String, String> env) {
        return S3Backend.open(S3Config.parse(location, env), env);
    }

    /** Opens the backend and creates the bucket if it is missing (and the credentials allow). */
    @Override
    public Backend create(URI location, Map<String, String> env) throws IOException {
        return Backends.prepare(S3Backend.open(S3Config.parse(location, env), env), S3Backend::ensureBucket);
    }
}
