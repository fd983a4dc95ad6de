package triplicate.backend.sftp;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.testkit.BackendContractTest;

/** The backend contract, against Apache MINA SSHD's SFTP server running in this JVM on a loopback port. */
class MinaSftpBackendContractTest extends BackendContractTest {
    @TempDir
    static Path dir;
    private static MinaSftpServer server;
    private static final AtomicInteger vaults = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = MinaSftpServer.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected Backend newBackend() throws Exception {
        // a new vault folder for each test, two levels deep to check that create makes parents too
        return SftpBackend.create(URI.create(server.uri("vaults/v" + vaults.incrementAndGet())), server.env());
    }
}
