package triplicate.chunker;

/**
 * The parameters of a vault's chunker: chunk sizes and the secret seed from which the gear table is derived.
 *
 * <p>Chunks are at least {@code minSize} bytes long (except a file's, or a forced segment's, last chunk), at most
 * {@code maxSize}, and about {@code avgSize} on random data. {@code seed} must be secret and per vault (derived from
 * the master key): with a public table the storage provider could recognise known files by the lengths of their
 * chunks.
 *
 * @param minSize no boundary is placed before this many bytes; at least {@value #MIN_MIN_SIZE}
 * @param avgSize the target (normal) size, a power of two with {@code minSize < avgSize < maxSize}
 * @param maxSize a chunk is cut here at the latest; at most {@value #MAX_MAX_SIZE}
 * @param seed the secret from which the gear table is derived
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize, long seed) {

    /** The smallest allowed {@code minSize}: the gear hash looks at the last 64 bytes. */
    public static final int MIN_MIN_SIZE = 64;
    /** The largest allowed {@code maxSize} (buffers of twice this size must stay well below 2 GiB). */
    public static final int MAX_MAX_SIZE = 1 << 28;

    /** Default minimum chunk size; chosen by measurement, see {@code docs/design/chunk-sizes.md}. */
    public static final int DEFAULT_MIN_SIZE = 512 << 10;
    /** Default average chunk size; chosen by measurement, see {@code docs/design/chunk-sizes.md}. */
    public static final int DEFAULT_AVG_SIZE = 1 << 20;
    /** Default maximum chunk size; chosen by measurement, see {@code docs/design/chunk-sizes.md}. */
    public static final int DEFAULT_MAX_SIZE = 8 << 20;

    /** @throws IllegalArgumentException unless {@code 64 <= minSize < avgSize < maxSize <= 2^28}, avgSize a power of two */
    public ChunkerParams {
        if (minSize < MIN_MIN_SIZE) {
            throw new IllegalArgumentException("minSize must be at least " + MIN_MIN_SIZE + ": " + minSize);
        }
        if (!(minSize < avgSize && avgSize < maxSize)) {
            throw new IllegalArgumentException(
                    "need minSize < avgSize < maxSize: " + minSize + ", " + avgSize + ", " + maxSize);
        }
        if (Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("avgSize must be a power of two: " + avgSize);
        }
        if (maxSize > MAX_MAX_SIZE) {
            throw new IllegalArgumentException("maxSize must be at most " + MAX_MAX_SIZE + ": " + maxSize);
        }
    }

    /** The default sizes ({@value #DEFAULT_MIN_SIZE} / {@value #DEFAULT_AVG_SIZE} / {@value #DEFAULT_MAX_SIZE}) with {@code seed}. */
    public static ChunkerParams defaults(long seed) {
        return new ChunkerParams(DEFAULT_MIN_SIZE, DEFAULT_AVG_SIZE, DEFAULT_MAX_SIZE, seed);
    }

    /** Hides the seed: it is a secret. */
    @Override
    public String toString() {
        return "ChunkerParams[minSize=" + minSize + ", avgSize=" + avgSize + ", maxSize=" + maxSize + ", seed=<hidden>]";
    }
}
