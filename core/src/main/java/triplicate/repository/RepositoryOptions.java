package triplicate.repository;

import java.security.SecureRandom;
import java.time.InstantSource;
import triplicate.chunker.ChunkerParams;
import triplicate.crypto.KdfParams;

/**
 * How a vault is created and opened: randomness, clock, KDF cost, pack size, upload parallelism, and who is
 * writing (recorded in key files). Time and randomness are injected so tests are deterministic.
 */
public record RepositoryOptions(SecureRandom random, InstantSource clock, KdfParams kdf, int packSize,
                                int uploadThreads, String host, String username, ChunkerParams chunkerSizes) {
    /** Default pack size: large enough that object stores bill few requests, small enough to keep memory bounded. */
    public static final int DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

    public RepositoryOptions {
        if (packSize < 4096 || packSize > 1 << 30) {
            throw new IllegalArgumentException("pack size must be between 4 KiB and 1 GiB, not " + packSize);
        }
        if (uploadThreads < 1) {
            throw new IllegalArgumentException("at least one upload thread");
        }
    }

    public static RepositoryOptions defaults(String host, String username) {
        return new RepositoryOptions(new SecureRandom(), InstantSource.system(), KdfParams.defaults(),
                DEFAULT_PACK_SIZE, 2, host, username, null);
    }

    /** Chunker parameters for a new vault: the configured sizes (or the defaults) with the vault's seed. */
    ChunkerParams chunkerParams(long seed) {
        ChunkerParams d = ChunkerParams.defaults(seed);
        return chunkerSizes == null ? d
                : new ChunkerParams(chunkerSizes.minSize(), chunkerSizes.avgSize(), chunkerSizes.maxSize(), seed);
    }

    public RepositoryOptions withKdf(KdfParams k) {
        return new RepositoryOptions(random, clock, k, packSize, uploadThreads, host, username, chunkerSizes);
    }

    public RepositoryOptions withPackSize(int size) {
        return new RepositoryOptions(random, clock, kdf, size, uploadThreads, host, username, chunkerSizes);
    }

    public RepositoryOptions withChunkerSizes(ChunkerParams sizes) {
        return new RepositoryOptions(random, clock, kdf, packSize, uploadThreads, host, username, sizes);
    }

    /** The same options with {@code threads} pack uploads at once. */
    public RepositoryOptions withUploadThreads(int threads) {
        return new RepositoryOptions(random, clock, kdf, packSize, threads, host, username, chunkerSizes);
    }

    public RepositoryOptions withClock(InstantSource c) {
        return new RepositoryOptions(random, c, kdf, packSize, uploadThreads, host, username, chunkerSizes);
    }
}
