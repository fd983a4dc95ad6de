package triplicate.backend.s3;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import triplicate.backend.Backend;
import triplicate.backend.testkit.BackendContractTest;

/**
 * The whole backend contract against a real S3 server (S3Proxy on loopback), each test in a fresh prefix of one
 * bucket. Files above 1 MiB go up as multipart uploads here, so the large-file cases cover that path too.
 */
@ExtendWith(S3ProxyServer.Shared.class)
class S3BackendContractTest extends BackendContractTest {
    private final S3ProxyServer server;

    S3BackendContractTest(S3ProxyServer server) {
        this.server = server;
    }

    @Override
    protected Backend newBackend() throws Exception {
        String location = server.location("contract", "vaults/" + UUID.randomUUID(), "multipart-threshold=1&part-size=5");
        return new S3BackendProvider().create(URI.create(location), server.env());
    }
}
