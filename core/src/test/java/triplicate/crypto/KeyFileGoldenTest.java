package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import triplicate.core.WrongPasswordException;

/**
 * The version 1 key file format, pinned by a fixture: {@code golden/crypto/key-file-v1.json} in the test resources.
 *
 * <p><b>This is a format fixture. It must keep unwrapping with its password forever: vaults in the wild hold key
 * files like it. If a change to the code breaks this test, the change breaks existing vaults. Changing what a key
 * file looks like means a new format version (a v2 fixture beside this one, which stays), not editing this file.</b>
 *
 * <p>The fixture was written by {@link KeyFiles#wrap} from these fixed inputs (see the constants below): master key
 * bytes 0x00..0x3f, password {@value #PASSWORD} (UTF-8, non-ASCII on purpose), KDF argon2id 1024 KiB, t = 1, p = 1,
 * salt bytes 0xa0..0xbf, nonce bytes 0xc0..0xcb, created 2024-05-01T12:00:00Z, host "darkroom", user "ansel". It was
 * checked independently with Python's {@code cryptography} package:
 * <pre>{@code
 * kek = Argon2id(salt=salt, length=32, iterations=1, lanes=1, memory_cost=1024).derive(password.encode())
 * AESGCM(kek).decrypt(data[:12], data[12:], b"triplicate key file v1" + salt) == bytes(range(64))
 * }</pre>
 */
class KeyFileGoldenTest {
    static final String FIXTURE = "/golden/crypto/key-file-v1.json";
    static final String PASSWORD = "Kodachrome 64 – Grüße ✓";

    static byte[] masterKey() {
        return range(0x00, 64);
    }

    static byte[] salt() {
        return range(0xa0, 32);
    }

    static byte[] nonce() {
        return range(0xc0, 12);
    }

    private static byte[] range(int first, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    /** What {@link KeyFiles#wrap} writes today from the fixture's inputs. */
    static byte[] writeFixtureAgain() {
        try (MasterKey key = MasterKey.fromBytes(masterKey()); Password password = Password.of(PASSWORD.toCharArray())) {
            return KeyFiles.wrap(key, password, new KdfParams("argon2id", 1024, 1, 1),
                    FixedRandoms.scripted(salt(), nonce()), Instant.parse("2024-05-01T12:00:00Z"), "darkroom", "ansel");
        }
    }

    private static byte[] fixture() throws IOException {
        try (InputStream in = KeyFileGoldenTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as("test resource %s", FIXTURE).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theVersion1FixtureUnwrapsWithItsPassword() throws IOException {
        try (Password password = Password.of(PASSWORD.toCharArray());
                MasterKey key = KeyFiles.unwrap(fixture(), password)) {
            assertThat(key.toBytes()).isEqualTo(masterKey());
        }
    }

    @Test
    void theVersion1FixtureRefusesAnotherPassword() throws IOException {
        byte[] fixture = fixture();
        // the same text, decomposed (NFD): passwords are not normalized, so this is another password
        try (Password password = Password.of("Kodachrome 64 – Gru\u0308ße ✓".toCharArray())) {
            assertThatThrownBy(() -> KeyFiles.unwrap(fixture, password)).isInstanceOf(WrongPasswordException.class);
        }
    }

    @Test
    void theVersion1FixtureDescribesItself() throws Exception {
        byte[] fixture = fixture();

        KeyInfo info = KeyFiles.describe(fixture);

        assertThat(info).isEqualTo(new KeyInfo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(fixture)),
                Instant.parse("2024-05-01T12:00:00Z"), "darkroom", "ansel", new KdfParams("argon2id", 1024, 1, 1)));
    }

    /**
     * Writing with the fixture's inputs reproduces the fixture's content. Compared as JSON trees, so layout
     * (whitespace) may change; every value, including the sealed data, must not.
     */
    @Test
    void writingTheSameInputsReproducesTheFixture() throws IOException {
        ObjectMapper json = new ObjectMapper();

        assertThat(json.readTree(writeFixtureAgain())).isEqualTo(json.readTree(fixture()));
    }
}
