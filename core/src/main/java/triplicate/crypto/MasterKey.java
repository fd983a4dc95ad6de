package triplicate.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * The vault's master key: {@value #LENGTH} random bytes, the first 32 an AES-256-GCM key for {@link Sealer sealing},
 * the last 32 an HMAC-SHA-256 key for {@link IdHasher blob ids}. It never changes for the life of a vault; passwords
 * only wrap it (see {@link KeyFiles}).
 *
 * <p>A master key is a resource: {@link #close()} (or {@link #destroy()}) zeroes the key bytes, after which every
 * method that needs them, including those of the {@link Sealer} and {@link IdHasher}s made from it, throws
 * {@link IllegalStateException}. Use it in try-with-resources. It is safe to share between threads; {@link #toString()}
 * never shows key material.
 */
public final class MasterKey implements AutoCloseable, Destroyable {
    /** Length of the raw key in bytes. */
    public static final int LENGTH = 64;
    static final int HALF = 32;

    private final DestroyableKey sealKey;
    private final DestroyableKey idKey;
    private final Sealer sealer;

    private MasterKey(byte[] raw) {
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("a master key has " + LENGTH + " bytes, not " + raw.length);
        }
        this.sealKey = new DestroyableKey("AES", raw, 0, HALF);
        this.idKey = new DestroyableKey("HmacSHA256", raw, HALF, HALF);
        this.sealer = new Sealer(sealKey, new SecureRandom());
    }

    /** A new master key of {@value #LENGTH} bytes drawn from {@code random}. */
    public static MasterKey generate(SecureRandom random) {
        byte[] raw = new byte[LENGTH];
        try {
            random.nextBytes(raw);
            return new MasterKey(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * A master key from its {@value #LENGTH} raw bytes, which are copied: the caller still owns {@code raw} and
     * should zero it. Throws {@link IllegalArgumentException} if {@code raw} has another length.
     */
    public static MasterKey fromBytes(byte[] raw) {
        return new MasterKey(Objects.requireNonNull(raw, "raw"));
    }

    /**
     * A copy of the raw {@value #LENGTH} bytes, only for wrapping into a key file. The caller must zero the copy
     * when done.
     */
    public byte[] toBytes() {
        byte[] raw = new byte[LENGTH];
        sealKey.copyTo(raw, 0);
        idKey.copyTo(raw, HALF);
        return raw;
    }

    /**
     * The sealer for this key, drawing nonces from a {@link SecureRandom} of its own. Always the same instance;
     * thread-safe.
     */
    public Sealer sealer() {
        sealKey.checkNotDestroyed();
        return sealer;
    }

    /**
     * A sealer for this key that draws its nonces from {@code nonces}: for tests and fixtures that must reproduce
     * sealed bytes exactly. Production code uses {@link #sealer()}. Thread-safe if {@code nonces} is (the JDK's
     * {@link SecureRandom}s are).
     */
    public Sealer sealer(SecureRandom nonces) {
        sealKey.checkNotDestroyed();
        return new Sealer(sealKey, Objects.requireNonNull(nonces, "nonces"));
    }

    /** A new id hasher for this key. Hashers are cheap and not thread-safe: make one per worker thread. */
    public IdHasher newIdHasher() {
        return new IdHasher(idKey);
    }

    /** Zeroes the key bytes; idempotent. Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    /** Zeroes the key bytes; idempotent. */
    @Override
    public void destroy() {
        sealKey.destroy();
        idKey.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return sealKey.isDestroyed() && idKey.isDestroyed();
    }

    /** The live key halves, for tests that check they are zeroed. */
    DestroyableKey sealKeyForTest() {
        return sealKey;
    }

    DestroyableKey idKeyForTest() {
        return idKey;
    }

    @Override
    public String toString() {
        return isDestroyed() ? "MasterKey[destroyed]" : "MasterKey[64 bytes]";
    }
}
