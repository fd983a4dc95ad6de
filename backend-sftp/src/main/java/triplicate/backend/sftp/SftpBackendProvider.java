package triplicate.backend.sftp;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import triplicate.backend.Backend;
import triplicate.backend.BackendProvider;
import triplicate.backend.wrap.RetryingBackend;

/**
 * Serves {@code sftp://[user@]host[:port]/path}: an {@link SftpBackend}, which {@link triplicate.backend.Backends}
 * wraps in a {@link RetryingBackend} like every network backend, so
 * dropped connections, time-outs and a restarting server are retried with backoff (about a minute of patience), while
 * a missing file, a refused host key or a refused login fail at once. Settings come from environment variables (see
 * {@link SftpSettings}); {@code docs/backends/sftp.md} describes them for users.
 */
public final class SftpBackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("sftp");
    }

    @Override
    public Backend open(URI location) throws IOException {
        return open(location, System.getenv());
    }

    @Override
    public Backend open(URI location, Map<String, String> env) throws IOException {
        return SftpBackend.open(location, env);
    }

    @Override
    public Backend create(URI location) throws IOException {
        return create(location, System.getenv());
    }

    @Override
    public Backend create(URI location, Map<String, String> env) throws IOException {
        return SftpBackend.create(location, env);
    }
}
