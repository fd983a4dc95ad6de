package triplicate.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import triplicate.core.VaultCorruptException;
import triplicate.core.WrongPasswordException;

/**
 * Key files: small JSON documents that wrap the {@link MasterKey} with a key derived from a password, so a vault
 * can have several passwords and change one without re-encrypting anything. The format (version 1) is specified in
 * {@code docs/design/crypto.md}:
 *
 * <pre>{@code
 * {
 *   "version" : 1,
 *   "created" : "2024-05-01T12:00:00Z",
 *   "host" : "darkroom",
 *   "username" : "ansel",
 *   "kdf" : { "algorithm" : "argon2id", "memoryKiB" : 65536, "iterations" : 3, "parallelism" : 1,
 *             "salt" : "<base64 of 32 random bytes>" },
 *   "data" : "<base64 of nonce(12) || AES-256-GCM ciphertext of the 64 master-key bytes || tag(16)>"
 * }
 * }</pre>
 *
 * The wrapping key is the 32-byte Argon2id output for the password's UTF-8 bytes and the salt; the associated data
 * is the UTF-8 label {@code "triplicate key file v1"} followed by the 32 salt bytes. Readers ignore fields they do
 * not know. All methods are static and thread-safe; none does I/O.
 */
public final class KeyFiles {
    /** The key file format version this class writes and reads. */
    public static final int VERSION = 1;
    static final int SALT_LENGTH = 32;
    static final int DATA_LENGTH = Sealer.NONCE_LENGTH + MasterKey.LENGTH + Sealer.TAG_LENGTH;
    /** Key files are about 400 bytes; anything far larger is not one. */
    static final int MAX_SIZE = 64 * 1024;
    private static final byte[] AAD_LABEL = "triplicate key file v1".getBytes(StandardCharsets.UTF_8);

    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();
    private static final ObjectWriter WRITER = JsonMapper.builder().build()
            .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private KeyFiles() {
    }

    /**
     * Wraps {@code key} under {@code password}: draws a 32-byte salt and then a 12-byte nonce from {@code random},
     * derives the wrapping key with {@code params} (this takes as long as unlocking will), and returns the key
     * file's bytes (UTF-8 JSON ending in a line feed). {@code host} and {@code username} may be {@code null}.
     * Does not close {@code key} or {@code password}.
     */
    public static byte[] wrap(MasterKey key, Password password, KdfParams params, SecureRandom random,
            Instant created, String host, String username) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(created, "created");
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        byte[] data;
        byte[] raw = key.toBytes();
        DestroyableKey wrappingKey = wrappingKey(password, salt, params);
        try {
            data = new Sealer(wrappingKey, random).seal(raw, 0, raw.length, aad(salt));
        } finally {
            wrappingKey.destroy();
            Arrays.fill(raw, (byte) 0);
        }

        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", VERSION);
        root.put("created", created.toString());
        root.put("host", host);
        root.put("username", username);
        ObjectNode kdf = root.putObject("kdf");
        kdf.put("algorithm", params.algorithm());
        kdf.put("memoryKiB", params.memoryKiB());
        kdf.put("iterations", params.iterations());
        kdf.put("parallelism", params.parallelism());
        kdf.put("salt", base64.encodeToString(salt));
        root.put("data", base64.encodeToString(data));
        try {
            String json = WRITER.writeValueAsString(root) + "\n";
            return json.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a key file", e);
        }
    }

    /**
     * Unwraps the master key from {@code keyFile} with {@code password}. The caller owns the result and must close it.
     *
     * @throws WrongPasswordException if the password does not open the file (which is also what a changed
     *                                {@code kdf} or {@code data} field looks like)
     * @throws VaultCorruptException  if the bytes are not a valid key file; the message names the problem
     */
    public static MasterKey unwrap(byte[] keyFile, Password password) {
        Objects.requireNonNull(password, "password");
        Parsed parsed = parse(keyFile);
        DestroyableKey wrappingKey = wrappingKey(password, parsed.salt, parsed.kdf);
        byte[] raw = null;
        try {
            // opening draws no nonce, so this sealer needs no randomness
            raw = new Sealer(wrappingKey, null).open(parsed.data, 0, parsed.data.length, aad(parsed.salt));
        } catch (VaultCorruptException e) {
            throw new WrongPasswordException("the password does not open this key file");
        } finally {
            wrappingKey.destroy();
        }
        try {
            return MasterKey.fromBytes(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * What {@code keyFile} says about itself, without the password. Checks everything {@link #unwrap} checks except
     * the password.
     *
     * @throws VaultCorruptException if the bytes are not a valid key file; the message names the problem
     */
    public static KeyInfo describe(byte[] keyFile) {
        Parsed parsed = parse(keyFile);
        return new KeyInfo(sha256Hex(keyFile), parsed.created, parsed.host, parsed.username, parsed.kdf);
    }

    private record Parsed(KdfParams kdf, byte[] salt, Instant created, String host, String username, byte[] data) {
    }

    private static Parsed parse(byte[] keyFile) {
        Objects.requireNonNull(keyFile, "keyFile");
        if (keyFile.length > MAX_SIZE) {
            throw corrupt("key file of " + keyFile.length + " bytes is too large (at most " + MAX_SIZE + ")");
        }
        JsonNode root;
        try {
            root = READER.readTree(keyFile);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw corrupt("key file is not valid JSON: " + e.getOriginalMessage()
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        } catch (IOException e) {
            throw corrupt("key file is not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw corrupt("key file is empty");
        }
        if (!root.isObject()) {
            throw corrupt("key file is not a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null) {
            throw corrupt("key file has no \"version\" field");
        }
        if (!version.isInt()) {
            throw corrupt("key file field \"version\" is not an integer: " + version);
        }
        if (version.intValue() != VERSION) {
            throw corrupt("key file version " + version.intValue() + " is not supported by this Triplicate, which reads"
                    + " version " + VERSION);
        }
        JsonNode kdfNode = root.get("kdf");
        if (kdfNode == null || !kdfNode.isObject()) {
            throw corrupt("key file field \"kdf\" is " + (kdfNode == null ? "missing" : "not an object"));
        }
        KdfParams kdf;
        try {
            kdf = new KdfParams(text(kdfNode, "kdf.algorithm", false), integer(kdfNode, "kdf.memoryKiB"),
                    integer(kdfNode, "kdf.iterations"), integer(kdfNode, "kdf.parallelism"));
        } catch (IllegalArgumentException e) {
            throw corrupt("key file has unusable KDF parameters: " + e.getMessage());
        }
        byte[] salt = base64(kdfNode, "kdf.salt", SALT_LENGTH);
        byte[] data = base64(root, "data", DATA_LENGTH);
        String createdText = text(root, "created", false);
        Instant created;
        try {
            created = Instant.parse(createdText);
        } catch (DateTimeParseException e) {
            throw corrupt("key file field \"created\" is not an ISO-8601 instant: \"" + createdText + "\"");
        }
        return new Parsed(kdf, salt, created, text(root, "host", true), text(root, "username", true), data);
    }

    private static String text(JsonNode parent, String path, boolean nullable) {
        JsonNode node = parent.get(leaf(path));
        if (node == null || node.isNull()) {
            if (nullable) {
                return null;
            }
            throw corrupt("key file field \"" + path + "\" is missing");
        }
        if (!node.isTextual()) {
            throw corrupt("key file field \"" + path + "\" is not a string: " + node);
        }
        return node.textValue();
    }

    private static int integer(JsonNode parent, String path) {
        JsonNode node = parent.get(leaf(path));
        if (node == null) {
            throw corrupt("key file field \"" + path + "\" is missing");
        }
        if (!node.isInt()) {
            throw corrupt("key file field \"" + path + "\" is not a 32-bit integer: " + node);
        }
        return node.intValue();
    }

    private static byte[] base64(JsonNode parent, String path, int expectedLength) {
        String text = text(parent, path, false);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw corrupt("key file field \"" + path + "\" is not base64: " + e.getMessage());
        }
        if (bytes.length != expectedLength) {
            throw corrupt("key file field \"" + path + "\" holds " + bytes.length + " bytes, expected "
                    + expectedLength);
        }
        return bytes;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static DestroyableKey wrappingKey(Password password, byte[] salt, KdfParams kdf) {
        byte[] derived = Argon2.deriveKey(password, salt, kdf);
        try {
            return new DestroyableKey("AES", derived, 0, derived.length);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    private static byte[] aad(byte[] salt) {
        byte[] aad = Arrays.copyOf(AAD_LABEL, AAD_LABEL.length + salt.length);
        System.arraycopy(salt, 0, aad, AAD_LABEL.length, salt.length);
        return aad;
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    private static VaultCorruptException corrupt(String message) {
        return new VaultCorruptException(message);
    }
}
