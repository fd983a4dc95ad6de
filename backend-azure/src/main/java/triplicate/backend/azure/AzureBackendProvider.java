package triplicate.backend.azure;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import triplicate.backend.Backend;
import triplicate.backend.BackendProvider;

/**
 * Serves {@code azure://} and {@code azure+http://} locations (see {@link AzureConfig} for the grammar and
 * docs/backends/azure.md for examples). {@link #create} also creates a missing container.
 */
public final class AzureBackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("azure", "azure+http");
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
    public Backend open(URI location, Map<String, String> env) throws IOException {
        return AzureBackend.open(AzureConfig.parse(location, env), env);
    }

    /** Opens the backend and creates the container if it is missing (and the credentials allow). */
    @Override
    public Backend create(URI location, Map<String, String> env) throws IOException {
        AzureBackend backend = AzureBackend.open(AzureConfig.parse(location, env), env);
        try {
            backend.ensureContainer();
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        return backend;
    }
}
