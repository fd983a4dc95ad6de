package triplicate.crypto;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import triplicate.core.Id;

/**
 * Computes blob ids: HMAC-SHA-256 of a blob's plaintext under the master key's id half. Equal plaintexts get equal
 * ids within one vault (that is how it deduplicates), while the storage provider, who lacks the key, cannot compute
 * the id of a photo it knows.
 *
 * <p>Not thread-safe: make one per worker thread with {@link MasterKey#newIdHasher()}. Throws
 * {@link IllegalStateException} once the master key is closed (and then scrubs its copy of the key).
 */
public final class IdHasher {
    private static final String ALGORITHM = "HmacSHA256";

    private final DestroyableKey key;
    private final Mac mac;
    private final byte[] out = new byte[Id.LENGTH];

    IdHasher(DestroyableKey key) {
        key.checkNotDestroyed();
        this.key = key;
        this.mac = newMac();
        try {
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 rejected its key", e);
        }
    }

    /** A hasher keyed with {@code rawKey} of any length: for known-answer tests. */
    IdHasher(byte[] rawKey) {
        this(new DestroyableKey(ALGORITHM, rawKey, 0, rawKey.length));
    }

    /** The id of {@code len} bytes of {@code b} from {@code off}. */
    public Id id(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (key.isDestroyed()) {
            scrub();
            key.checkNotDestroyed();
        }
        // In slices, like Sealer: the JIT compiles the per-update path long before a one-call-per-MiB loop would
        // be; the digest is the same either way.
        for (int pos = off, end = off + len; pos < end; pos += Sealer.SLICE) {
            mac.update(b, pos, Math.min(Sealer.SLICE, end - pos));
        }
        try {
            mac.doFinal(out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 failed unexpectedly", e);
        }
        return Id.of(out, 0);
    }

    /** Overwrites the key schedule the JDK's Mac keeps, so it does not outlive the master key. */
    private void scrub() {
        try {
            mac.init(new SecretKeySpec(new byte[Id.LENGTH], ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 rejected a zero key", e);
        }
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HMAC-SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "IdHasher[HMAC-SHA-256]";
    }
}
