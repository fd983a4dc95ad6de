package triplicate.backend.sftp;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.testkit.BackendContractTest;

/**
 * The backend contract against Debian's OpenSSH server (the server most NAS boxes run), started by the test on a
 * loopback port. Skipped, with the reason, where sshd is not installed.
 */
class OpenSshBackendContractTest extends BackendContractTest {
    @TempDir
    static Path dir;
    private static OpenSshServer server;
    private static final AtomicInteger vaults = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = OpenSshServer.start(dir.resolve("sshd"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Backend newBackend() throws Exception {
        Path vault = dir.resolve("vaults").resolve("v" + vaults.incrementAndGet());
        return SftpBackend.create(URI.create(server.uri(vault)), server.env());
    }
}
