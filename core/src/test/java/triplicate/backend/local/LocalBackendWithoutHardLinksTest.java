package triplicate.backend.local;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.testkit.BackendContractTest;

/** The contract on the path taken by file systems without hard links (existence check, then atomic rename). */
class LocalBackendWithoutHardLinksTest extends BackendContractTest {
    @TempDir
    Path dir;

    @Override
    protected Backend newBackend() throws IOException {
        Path root = dir.resolve("vault");
        LocalBackend.create(root).close();
        return LocalBackend.open(root, false);
    }
}
