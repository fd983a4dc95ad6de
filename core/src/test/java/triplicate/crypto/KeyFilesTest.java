package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import triplicate.core.TriplicateException;
import triplicate.core.VaultCorruptException;
import triplicate.core.WrongPasswordException;

class KeyFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2025-03-14T15:09:26Z");
    private static final byte[] RAW_KEY = new byte[64];
    private static byte[] keyFile;

    @BeforeAll
    static void writeOneKeyFile() {
        new SplittableRandom(7).nextBytes(RAW_KEY);
        try (MasterKey key = MasterKey.fromBytes(RAW_KEY); Password password = password("sesame")) {
            keyFile = KeyFiles.wrap(key, password, KdfParams.forTests(), FixedRandoms.seeded(7), CREATED, "darkroom",
                    "ansel");
        }
    }

    private static Password password(String s) {
        return Password.of(s.toCharArray());
    }

    private static byte[] unwrapRaw(byte[] file, String password) {
        try (Password p = password(password); MasterKey key = KeyFiles.unwrap(file, p)) {
            return key.toBytes();
        }
    }

    private static byte[] edit(byte[] file, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(file);
            change.accept(root);
            return JSON.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode kdf(ObjectNode root) {
        return (ObjectNode) root.get("kdf");
    }

    @Test
    void unwrapReturnsTheWrappedKey() {
        assertThat(unwrapRaw(keyFile, "sesame")).isEqualTo(RAW_KEY);
    }

    @RepeatedTest(5)
    void roundTripsForRandomKeysAndPasswords(RepetitionInfo rep) {
        long seed = 0x4e7f_0000L + rep.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        char[] chars = new char[random.nextInt(1, 40)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(0x20, 0xd7ff); // no surrogates: any of these has a UTF-8 form
        }
        String text = new String(chars);
        try (MasterKey key = MasterKey.generate(FixedRandoms.seeded(seed)); Password password = password(text)) {
            byte[] file = KeyFiles.wrap(key, password, KdfParams.forTests(), FixedRandoms.seeded(seed), CREATED, null,
                    null);

            assertThat(unwrapRaw(file, text)).as("seed %d", seed).isEqualTo(key.toBytes());
            assertThat(password.chars()).as("wrap leaves the password open").isEqualTo(text.toCharArray());
        }
    }

    @Test
    void theWrongPasswordDoesNotOpenIt() {
        for (String wrong : new String[] {"Sesame", "sesame ", "", "sesam", "sesame\n"}) {
            assertThatThrownBy(() -> unwrapRaw(keyFile, wrong))
                    .as("password \"%s\"", wrong)
                    .isInstanceOf(WrongPasswordException.class)
                    .hasMessage("the password does not open this key file");
        }
    }

    @Test
    void aChangedSaltOrDataLooksLikeAWrongPassword() {
        byte[] otherSalt = edit(keyFile, root -> kdf(root).put("salt", Base64.getEncoder().encodeToString(new byte[32])));
        byte[] data = Base64.getDecoder().decode(field(keyFile, "data"));
        data[40] ^= 1;
        byte[] otherData = edit(keyFile, root -> root.put("data", Base64.getEncoder().encodeToString(data)));
        byte[] otherMemory = edit(keyFile, root -> kdf(root).put("memoryKiB", 2048));

        for (byte[] file : new byte[][] {otherSalt, otherData, otherMemory}) {
            assertThatThrownBy(() -> unwrapRaw(file, "sesame")).isInstanceOf(WrongPasswordException.class);
        }
    }

    private static String field(byte[] file, String field) {
        try {
            return JSON.readTree(file).get(field).textValue();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void describeNeedsNoPassword() throws Exception {
        KeyInfo info = KeyFiles.describe(keyFile);

        assertThat(info.created()).isEqualTo(CREATED);
        assertThat(info.host()).isEqualTo("darkroom");
        assertThat(info.username()).isEqualTo("ansel");
        assertThat(info.kdf()).isEqualTo(KdfParams.forTests());
        assertThat(info.id()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keyFile)));
    }

    @Test
    void hostAndUsernameMayBeAbsent() {
        byte[] withNulls;
        try (MasterKey key = MasterKey.fromBytes(RAW_KEY); Password password = password("sesame")) {
            withNulls = KeyFiles.wrap(key, password, KdfParams.forTests(), FixedRandoms.seeded(1), CREATED, null, null);
        }
        byte[] withoutFields = edit(withNulls, root -> root.remove(java.util.List.of("host", "username")));

        for (byte[] file : new byte[][] {withNulls, withoutFields}) {
            KeyInfo info = KeyFiles.describe(file);
            assertThat(info.host()).isNull();
            assertThat(info.username()).isNull();
            assertThat(unwrapRaw(file, "sesame")).isEqualTo(RAW_KEY);
        }
    }

    @Test
    void theFileIsJsonWithTheDocumentedFieldsAndNoSecrets() throws Exception {
        var root = JSON.readTree(keyFile);

        assertThat(root.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("version", "created", "host", "username", "kdf", "data");
        assertThat(root.get("version").intValue()).isEqualTo(1);
        assertThat(root.get("created").textValue()).isEqualTo("2025-03-14T15:09:26Z");
        assertThat(root.get("kdf").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("algorithm", "memoryKiB", "iterations", "parallelism", "salt");
        assertThat(Base64.getDecoder().decode(root.get("kdf").get("salt").textValue())).hasSize(32);
        assertThat(Base64.getDecoder().decode(root.get("data").textValue())).hasSize(12 + 64 + 16);
        String text = new String(keyFile, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("sesame").endsWith("}\n");
        assertThat(indexOf(keyFile, RAW_KEY)).isEqualTo(-1);
    }

    @Test
    void twoWrapsOfOneKeyDifferInSaltAndData() {
        try (MasterKey key = MasterKey.fromBytes(RAW_KEY); Password password = password("sesame")) {
            byte[] a = KeyFiles.wrap(key, password, KdfParams.forTests(), new java.security.SecureRandom(), CREATED,
                    null, null);
            byte[] b = KeyFiles.wrap(key, password, KdfParams.forTests(), new java.security.SecureRandom(), CREATED,
                    null, null);

            assertThat(saltOf(a)).isNotEqualTo(saltOf(b));
            assertThat(field(a, "data")).isNotEqualTo(field(b, "data"));
        }
    }

    private static String saltOf(byte[] file) {
        try {
            return JSON.readTree(file).get("kdf").get("salt").textValue();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNewerVersionIsRefusedByName() {
        byte[] v2 = edit(keyFile, root -> root.put("version", 2));

        assertThatThrownBy(() -> unwrapRaw(v2, "sesame"))
                .isInstanceOf(VaultCorruptException.class)
                .hasMessage("key file version 2 is not supported by this Triplicate, which reads version 1");
        assertThatThrownBy(() -> KeyFiles.describe(v2))
                .isInstanceOf(VaultCorruptException.class)
                .hasMessage("key file version 2 is not supported by this Triplicate, which reads version 1");
    }

    /** Each row: a change to a valid key file and the exact complaint. Checked through describe and unwrap. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no version         | key file has no \"version\" field",
        "version string     | key file field \"version\" is not an integer: \"1\"",
        "version 0          | key file version 0 is not supported by this Triplicate, which reads version 1",
        "no kdf             | key file field \"kdf\" is missing",
        "kdf array          | key file field \"kdf\" is not an object",
        "scrypt             | key file has unusable KDF parameters: KDF algorithm \"scrypt\" is unknown; the only one is argon2id",
        "8 GiB              | key file field \"kdf.memoryKiB\" is not a 32-bit integer: 8589934592",
        "4 GiB + 1 KiB      | key file has unusable KDF parameters: KDF memory 4194305 KiB is outside 8..4194304 KiB (8 × parallelism to 4 GiB)",
        "1000 iterations    | key file has unusable KDF parameters: KDF iterations 1000 is outside 1..100",
        "4 GiB × 100        | key file has unusable KDF parameters: KDF work 4194304 KiB × 100 iterations exceeds 16777216 KiB (16 GiB)",
        "parallelism 0      | key file has unusable KDF parameters: KDF parallelism 0 is outside 1..64",
        "memory string      | key file field \"kdf.memoryKiB\" is not a 32-bit integer: \"65536\"",
        "no iterations      | key file field \"kdf.iterations\" is missing",
        "no salt            | key file field \"kdf.salt\" is missing",
        "short salt         | key file field \"kdf.salt\" holds 16 bytes, expected 32",
        "salt not base64    | key file field \"kdf.salt\" is not base64: Illegal base64 character 2a",
        "no data            | key file field \"data\" is missing",
        "short data         | key file field \"data\" holds 91 bytes, expected 92",
        "data number        | key file field \"data\" is not a string: 42",
        "no created         | key file field \"created\" is missing",
        "created garbage    | key file field \"created\" is not an ISO-8601 instant: \"yesterday\"",
        "host number        | key file field \"host\" is not a string: 7",
    })
    void brokenKeyFilesAreRejectedWithAPreciseMessage(String change, String message) {
        byte[] broken = edit(keyFile, root -> {
            switch (change.strip()) {
                case "no version" -> root.remove("version");
                case "version string" -> root.put("version", "1");
                case "version 0" -> root.put("version", 0);
                case "no kdf" -> root.remove("kdf");
                case "kdf array" -> root.putArray("kdf");
                case "scrypt" -> kdf(root).put("algorithm", "scrypt");
                case "8 GiB" -> kdf(root).put("memoryKiB", 8L * 1024 * 1024 * 1024);
                case "4 GiB + 1 KiB" -> kdf(root).put("memoryKiB", 4 * 1024 * 1024 + 1);
                case "1000 iterations" -> kdf(root).put("iterations", 1000);
                case "4 GiB × 100" -> kdf(root).put("memoryKiB", 4 * 1024 * 1024).put("iterations", 100);
                case "parallelism 0" -> kdf(root).put("parallelism", 0);
                case "memory string" -> kdf(root).put("memoryKiB", "65536");
                case "no iterations" -> kdf(root).remove("iterations");
                case "no salt" -> kdf(root).remove("salt");
                case "short salt" -> kdf(root).put("salt", Base64.getEncoder().encodeToString(new byte[16]));
                case "salt not base64" -> kdf(root).put("salt", "****");
                case "no data" -> root.remove("data");
                case "short data" -> root.put("data", Base64.getEncoder().encodeToString(new byte[91]));
                case "data number" -> root.put("data", 42);
                case "no created" -> root.remove("created");
                case "created garbage" -> root.put("created", "yesterday");
                case "host number" -> root.put("host", 7);
                default -> throw new AssertionError("unknown change " + change);
            }
        });

        assertThatThrownBy(() -> KeyFiles.describe(broken)).isInstanceOf(VaultCorruptException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> unwrapRaw(broken, "sesame")).isInstanceOf(VaultCorruptException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] «{0}»")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "''                            | key file is empty",
        "'   '                         | key file is empty",
        "'not json'                    | key file is not valid JSON: ",
        "'[1, 2]'                      | key file is not a JSON object",
        "'\"version\"'                 | key file is not a JSON object",
        "'{\"version\": 1} {}'         | key file is not valid JSON: ",
        "'{\"version\": 1, \"version\": 1}' | key file is not valid JSON: Duplicate field 'version'",
    })
    void garbageIsCorrupt(String text, String messageStart) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> KeyFiles.describe(bytes)).isInstanceOf(VaultCorruptException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    void aHugeFileIsNotAKeyFile() {
        assertThatThrownBy(() -> KeyFiles.describe(new byte[100_000])).isInstanceOf(VaultCorruptException.class)
                .hasMessage("key file of 100000 bytes is too large (at most 65536)");
    }

    @Test
    void everyTruncationIsCorrupt() {
        for (int len = 0; len < keyFile.length - 1; len++) {
            byte[] truncated = Arrays.copyOf(keyFile, len);
            int n = len;
            assertThatThrownBy(() -> KeyFiles.describe(truncated)).as("truncated to %d bytes", n)
                    .isInstanceOf(VaultCorruptException.class);
        }
    }

    /**
     * Property: whatever single byte of a key file changes, unwrap either still returns the right key (the change hit
     * whitespace or an informational field) or fails with one of the two documented exceptions, never anything else.
     */
    @RepeatedTest(100)
    void anyOneByteChangeGivesTheKeyOrADocumentedError(RepetitionInfo rep) {
        long seed = 0x0b1e_0000L + rep.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] mutated = keyFile.clone();
        int pos = random.nextInt(mutated.length);
        mutated[pos] = (byte) (mutated[pos] ^ (1 + random.nextInt(255)));

        Throwable thrown = catchThrowable(() -> assertThat(unwrapRaw(mutated, "sesame")).isEqualTo(RAW_KEY));

        if (thrown != null) {
            assertThat(thrown).as("seed %d, byte %d", seed, pos)
                    .isInstanceOfAny(VaultCorruptException.class, WrongPasswordException.class);
            assertThat(thrown).isInstanceOf(TriplicateException.class);
        }
    }

    @Test
    void wrapRefusesNothingButNulls() {
        try (MasterKey key = MasterKey.fromBytes(RAW_KEY); Password password = password("x")) {
            assertThatThrownBy(() -> KeyFiles.wrap(key, password, KdfParams.forTests(), FixedRandoms.seeded(1), null,
                    null, null)).isInstanceOf(NullPointerException.class).hasMessage("created");
        }
    }

    @Test
    void aClosedKeyCannotBeWrapped() {
        MasterKey key = MasterKey.fromBytes(RAW_KEY);
        key.close();
        try (Password password = password("x")) {
            assertThatThrownBy(() -> KeyFiles.wrap(key, password, KdfParams.forTests(), FixedRandoms.seeded(1), CREATED,
                    null, null)).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Where {@code needle} starts in {@code haystack}, or -1. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
