package triplicate.crypto;

import java.util.Objects;

/**
 * Parameters of the password-based key derivation that wraps the master key in a key file. The only algorithm is
 * {@value #ARGON2ID} (Argon2id, version 0x13, RFC 9106), memory-hard so that guessing passwords on GPUs is costly.
 *
 * <p>Every instance is within sane bounds, so a tampered key file cannot make unlocking hang or exhaust memory:
 * <ul>
 *   <li>{@code 1 <= parallelism <= } {@value #MAX_PARALLELISM}</li>
 *   <li>{@code 8 × parallelism <= memoryKiB <= } {@value #MAX_MEMORY_KIB} (4 GiB)</li>
 *   <li>{@code 1 <= iterations <= } {@value #MAX_ITERATIONS}</li>
 *   <li>{@code memoryKiB × iterations <= } {@value #MAX_WORK_KIB} (16 GiB processed, some tens of seconds)</li>
 * </ul>
 * The constructor throws {@link IllegalArgumentException} naming the first bound broken.
 *
 * @param algorithm   {@value #ARGON2ID}
 * @param memoryKiB   memory in KiB (Argon2 {@code m})
 * @param iterations  passes over the memory (Argon2 {@code t})
 * @param parallelism lanes (Argon2 {@code p}); the Bouncy Castle implementation computes them one after another
 */
public record KdfParams(String algorithm, int memoryKiB, int iterations, int parallelism) {
    /** The name of Argon2id in key files. */
    public static final String ARGON2ID = "argon2id";
    public static final int MAX_PARALLELISM = 64;
    public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    public static final int MAX_ITERATIONS = 100;
    public static final long MAX_WORK_KIB = 16L * 1024 * 1024;

    public KdfParams {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!algorithm.equals(ARGON2ID)) {
            throw new IllegalArgumentException("KDF algorithm \"" + algorithm + "\" is unknown; the only one is "
                    + ARGON2ID);
        }
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("KDF parallelism " + parallelism + " is outside 1.." + MAX_PARALLELISM);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("KDF memory " + memoryKiB + " KiB is outside " + 8 * parallelism
                    + ".." + MAX_MEMORY_KIB + " KiB (8 × parallelism to 4 GiB)");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("KDF iterations " + iterations + " is outside 1.." + MAX_ITERATIONS);
        }
        if ((long) memoryKiB * iterations > MAX_WORK_KIB) {
            throw new IllegalArgumentException("KDF work " + memoryKiB + " KiB × " + iterations
                    + " iterations exceeds " + MAX_WORK_KIB + " KiB (16 GiB)");
        }
    }

    /**
     * What new key files use: Argon2id with 64 MiB, 3 iterations, 1 lane (RFC 9106's second recommended option,
     * with one lane because the implementation is single-threaded). {@code docs/design/crypto.md} records how long
     * unlocking takes.
     */
    public static KdfParams defaults() {
        return new KdfParams(ARGON2ID, 64 * 1024, 3, 1);
    }

    /** Cheap parameters for tests (1 MiB, 1 iteration, 1 lane: a few milliseconds). Never for real vaults. */
    public static KdfParams forTests() {
        return new KdfParams(ARGON2ID, 1024, 1, 1);
    }
}
