package triplicate.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import triplicate.backend.Backend;
import triplicate.backend.BackendProvider;
import triplicate.backend.Backends;
import triplicate.backend.testkit.ColdStorageBackend;
import triplicate.backend.wrap.RetryingBackend;

/**
 * Test-only scheme {@code coldsim:LOCATION}: the backend at LOCATION (an S3Proxy bucket, in the tests) behind the
 * testkit's {@link ColdStorageBackend}, which refuses reads of archived data packs until a thaw was requested and
 * {@code TRIPLICATE_TEST_THAW_MS} milliseconds have passed, as S3 Glacier does in hours. Its state lives in
 * {@code TRIPLICATE_TEST_COLD_DIR}, so successive CLI runs see the same archive; {@code TRIPLICATE_TEST_COLD_CLASS}
 * (default GLACIER) names the class.
 */
public final class ColdSimProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("coldsim");
    }

    @Override
    public Backend open(URI location) throws IOException {
        return open(location, System.getenv());
    }

    @Override
    public Backend open(URI location, Map<String, String> env) throws IOException {
        return cold(Backends.open(location.getRawSchemeSpecificPart(), env), env);
    }

    @Override
    public Backend create(URI location, Map<String, String> env) throws IOException {
        return cold(Backends.create(location.getRawSchemeSpecificPart(), env), env);
    }

    private static Backend cold(Backend backend, Map<String, String> env) throws IOException {
        Backend inner = backend instanceof RetryingBackend r ? r.inner() : backend;
        return new ColdStorageBackend(inner, Path.of(env.get("TRIPLICATE_TEST_COLD_DIR")),
                env.getOrDefault("TRIPLICATE_TEST_COLD_CLASS", "GLACIER"), InstantSource.system(),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("TRIPLICATE_TEST_THAW_MS", "1000"))));
    }
}
