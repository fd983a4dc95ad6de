package triplicate.backend.rclone;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import triplicate.backend.Backend;
import triplicate.backend.BackendProvider;

/**
 * Serves {@code rclone:REMOTE:PATH[?OPTIONS]}: an {@link RcloneBackend}, which {@link triplicate.backend.Backends}
 * wraps in a {@link triplicate.backend.wrap.RetryingBackend} like every network backend. The rclone program, its
 * config file and its {@code RCLONE_*} settings come from the environment handed in (see {@link RcloneLauncher});
 * {@code docs/backends/rclone.md} describes them for users.
 */
public final class RcloneBackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("rclone");
    }

    @Override
    public Backend open(URI location) throws IOException {
        return open(location, System.getenv());
    }

    @Override
    public Backend open(URI location, Map<String, String> env) throws IOException {
        return RcloneBackend.open(location, env);
    }

    @Override
    public Backend create(URI location) throws IOException {
        return create(location, System.getenv());
    }

    @Override
    public Backend create(URI location, Map<String, String> env) throws IOException {
        return RcloneBackend.create(location, env);
    }
}
