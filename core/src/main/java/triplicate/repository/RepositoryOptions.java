package triplicate.repository;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import triplicate.chunker.ChunkerParams;
import triplicate.crypto.KdfParams;

/**
 * How a vault is created and opened: randomness, clock, KDF cost, pack size, upload parallelism, who is writing
 * (recorded in key files and markers), and how often this process refreshes its markers in {@code locks/}
 * ({@code heartbeat}, see {@link Session}). Time and randomness are injected so tests are deterministic.
 */
public record RepositoryOptions(SecureRandom random, InstantSource clock, KdfParams kdf, int packSize,
                                int uploadThreads, String host, String username, ChunkerParams chunkerSizes,
                                Duration heartbeat) {
    /** Default pack size: large enough that object stores bill few requests, small enough to keep memory bounded. */
    public static final int DEFAULT_PACK_SIZE = 16 * 1024 * 1024;
    /**
     * How often a running backup, restore, check or prune refreshes its marker. Prune's patience (how long a marker
     * must stand still before it counts as dead) is several times this; see docs/design/retention.md.
     */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(60);

    /** Options with the default heartbeat. */
    public RepositoryOptions(SecureRandom random, InstantSource clock, KdfParams kdf, int packSize, int uploadThreads,
                             String host, String username, ChunkerParams chunkerSizes) {
        this(random, clock, kdf, packSize, uploadThreads, host, username, chunkerSizes, DEFAULT_HEARTBEAT);
    }

    public RepositoryOptions {
        if (heartbeat == null) {
            heartbeat = DEFAULT_HEARTBEAT;
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("the heartbeat must be positive, not " + heartbeat);
        }
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
        return new RepositoryOptions(random, clock, k, packSize, uploadThreads, host, username, chunkerSizes, heartbeat);
    }

    public RepositoryOptions withPackSize(int size) {
        return new RepositoryOptions(random, clock, kdf, size, uploadThreads, host, username, chunkerSizes, heartbeat);
    }

    public RepositoryOptions withChunkerSizes(ChunkerParams sizes) {
        return new RepositoryOptions(random, clock, kdf, packSize, uploadThreads, host, username, sizes, heartbeat);
    }

    /** The same options with {@code threads} pack uploads at once. */
    public RepositoryOptions withUploadThreads(int threads) {
        return new RepositoryOptions(random, clock, kdf, packSize, threads, host, username, chunkerSizes, heartbeat);
    }

    /** The same options with markers refreshed every {@code interval} (tests use milliseconds). */
    public RepositoryOptions withHeartbeat(Duration interval) {
        return new RepositoryOptions(random, clock, kdf, packSize, uploadThreads, host, username, chunkerSizes, interval);
    }

    public RepositoryOptions withClock(InstantSource c) {
        return new RepositoryOptions(random, c, kdf, packSize, uploadThreads, host, username, chunkerSizes, heartbeat);
    }
}
