package triplicate.repository;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import triplicate.chunker.ChunkerParams;
import triplicate.crypto.KdfParams;

/** Options for fast test vaults: cheap KDF, small packs and chunks, a fixed clock. */
public final class TestVaults {
    private TestVaults() {
    }

    public static RepositoryOptions options() {
        return new RepositoryOptions(new SecureRandom(), InstantSource.fixed(Instant.parse("2024-06-01T10:00:00Z")),
                KdfParams.forTests(), 64 * 1024, 2, "test-host", "tester", new ChunkerParams(4096, 16384, 65536, 0));
    }
}
