package triplicate.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id version 0x13 (RFC 9106) through Bouncy Castle: the only thing this package takes from it. */
final class Argon2 {
    private Argon2() {
    }

    /**
     * Derives {@code outLength} bytes from {@code password} and {@code salt}. {@code secret} and {@code ad} (RFC 9106
     * K and X) may be {@code null}; key files use neither. The caller owns and zeroes {@code password} and the result.
     */
    static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] ad, int memoryKiB, int iterations,
            int parallelism, int outLength) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (ad != null) {
            builder.withAdditional(ad);
        }
        Argon2Parameters params = builder.build();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            byte[] out = new byte[outLength];
            generator.generateBytes(password, out);
            return out;
        } finally {
            params.clear(); // zeroes Bouncy Castle's copies of salt, secret and ad
        }
    }

    /** The 32-byte key-encryption key of a key file. */
    static byte[] deriveKey(Password password, byte[] salt, KdfParams kdf) {
        byte[] utf8 = password.utf8();
        try {
            return argon2id(utf8, salt, null, null, kdf.memoryKiB(), kdf.iterations(), kdf.parallelism(), 32);
        } finally {
            java.util.Arrays.fill(utf8, (byte) 0);
        }
    }
}
