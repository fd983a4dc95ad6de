package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2Test {

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /**
     * RFC 9106, section 5.3 (Argon2id, version 0x13): password 32 × 0x01, salt 16 × 0x02, secret 8 × 0x03,
     * associated data 12 × 0x04, t = 3, m = 32 KiB, p = 4, 32-byte tag. Proves the Bouncy Castle generator, wired as
     * this package wires it, is Argon2id v1.3.
     */
    @Test
    void knownAnswerRfc9106Argon2id() {
        byte[] tag = Argon2.argon2id(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04), 32, 3, 4,
                32);

        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void keyFileDerivationIsArgon2idOfThePasswordsUtf8Bytes() {
        byte[] salt = filled(32, 0x5a);
        KdfParams kdf = KdfParams.forTests();
        byte[] expected = Argon2.argon2id("Grüße".getBytes(java.nio.charset.StandardCharsets.UTF_8), salt, null, null,
                kdf.memoryKiB(), kdf.iterations(), kdf.parallelism(), 32);

        try (Password password = Password.of("Grüße".toCharArray())) {
            assertThat(Argon2.deriveKey(password, salt, kdf)).isEqualTo(expected);
        }
        assertThat(Argon2.argon2id(new byte[] {1}, salt, null, null, 1024, 1, 1, 32)).isNotEqualTo(expected);
    }
}
