package triplicate.backend.rclone;

import java.net.URI;
import org.junit.jupiter.api.extension.ExtendWith;
import triplicate.backend.Backend;
import triplicate.backend.testkit.BackendContractTest;

/**
 * The whole backend contract against the real rclone program, with a remote of rclone's {@code local} type: each test
 * in a fresh folder, with an rclone process of its own.
 */
@ExtendWith(RcloneRemote.Shared.class)
class RcloneBackendContractTest extends BackendContractTest {
    private final RcloneRemote remote;

    RcloneBackendContractTest(RcloneRemote remote) {
        this.remote = remote;
    }

    @Override
    protected Backend newBackend() throws Exception {
        return RcloneBackend.create(URI.create(remote.location(remote.newVault())), remote.env());
    }
}
