package triplicate.backend.azure;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import triplicate.backend.Backend;
import triplicate.backend.testkit.BackendContractTest;

/**
 * The whole backend contract against a real Azure Blob Storage server (Azurite on loopback), each test in a fresh
 * prefix of one container. Files above 1 MiB go up as staged blocks of 1 MiB here, so the large-file cases cover
 * that path too.
 */
@ExtendWith(AzuriteServer.Shared.class)
class AzureBackendContractTest extends BackendContractTest {
    private final AzuriteServer server;

    AzureBackendContractTest(AzuriteServer server) {
        this.server = server;
    }

    @Override
    protected Backend newBackend() throws Exception {
        String location = server.location("contract", "vaults/" + UUID.randomUUID(), "block-threshold=1&block-size=1");
        return new AzureBackendProvider().create(URI.create(location), server.env());
    }
}
