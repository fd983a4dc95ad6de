package triplicate.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import triplicate.core.VaultCorruptException;

/**
 * Seals and opens messages with AES-256-GCM under the master key's sealing half, with a random 96-bit nonce per
 * message. The sealed layout is {@code nonce(12) || ciphertext || tag(16)}: exactly {@value #OVERHEAD} bytes longer
 * than the plaintext.
 *
 * <p>The associated data ({@code aad}) is authenticated but not stored: whoever opens must present the same bytes.
 * The repository passes a blob's id and type, so a sealed blob cannot be moved to another slot. A {@code null}
 * {@code aad} is the same as an empty one.
 *
 * <p>Thread-safe: each call uses a cipher of its own (a few microseconds per call, measured in
 * {@code docs/design/crypto.md}). All methods throw {@link IllegalStateException} once the master key is closed.
 */
public final class Sealer {
    /** Bytes a sealed message has beyond its plaintext: the nonce and the tag. */
    public static final int OVERHEAD = 28;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** Plaintext bytes per {@link Cipher#update} call when sealing. */
    static final int SLICE = 64 * 1024;

    private final DestroyableKey key;
    private final SecureRandom nonces;

    /** {@code key} is a 32-byte AES key; nonces are drawn from {@code nonces}. */
    Sealer(DestroyableKey key, SecureRandom nonces) {
        this.key = key;
        this.nonces = nonces;
    }

    /** Seals {@code len} bytes of {@code plain} from {@code off}; returns a new array of {@code len + OVERHEAD} bytes. */
    public byte[] seal(byte[] plain, int off, int len, byte[] aad) {
        Objects.checkFromIndexSize(off, len, plain.length);
        byte[] out = new byte[sealedLength(len)];
        seal(plain, off, len, aad, out, 0);
        return out;
    }

    /**
     * Seals {@code len} bytes of {@code plain} from {@code off} into {@code out} from {@code outOff}, which must have
     * room for {@code len + OVERHEAD} bytes and must not overlap the plaintext. Returns the bytes written,
     * {@code len + OVERHEAD}.
     */
    public int seal(byte[] plain, int off, int len, byte[] aad, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, plain.length);
        Objects.checkFromIndexSize(outOff, sealedLength(len), out.length);
        key.checkNotDestroyed();
        byte[] nonce = new byte[NONCE_LENGTH];
        nonces.nextBytes(nonce);
        return seal(nonce, plain, off, len, aad, out, outOff);
    }

    /**
     * Seals with the given 12-byte nonce. The public methods pass a random one; known-answer tests pass a fixed one.
     * A nonce must never be used twice with one key.
     */
    int seal(byte[] nonce, byte[] plain, int off, int len, byte[] aad, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, plain.length);
        Objects.checkFromIndexSize(outOff, sealedLength(len), out.length);
        System.arraycopy(nonce, 0, out, outOff, NONCE_LENGTH);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            // Feed large messages in slices: the JDK reaches its AES-GCM intrinsic only once the method it calls
            // per update is JIT-compiled, which takes thousands of calls; one call per MiB meant tens of seconds at
            // ~30 MiB/s before that (see docs/design/crypto.md). The output is the same as a single doFinal.
            int n = NONCE_LENGTH;
            int pos = off;
            int end = off + len;
            while (end - pos > SLICE) {
                n += cipher.update(plain, pos, SLICE, out, outOff + n);
                pos += SLICE;
            }
            n += cipher.doFinal(plain, pos, end - pos, out, outOff + n);
            if (n != len + OVERHEAD) {
                throw new IllegalStateException("AES-GCM wrote " + n + " bytes instead of " + (len + OVERHEAD));
            }
            return n;
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed unexpectedly", e);
        }
    }

    /**
     * Opens {@code len} sealed bytes of {@code sealed} from {@code off}, checking them against {@code aad}; returns
     * the plaintext ({@code len - OVERHEAD} bytes). Throws {@link VaultCorruptException} if the bytes were changed in
     * any way, were sealed under another key or with other associated data, or are too short to be sealed.
     */
    public byte[] open(byte[] sealed, int off, int len, byte[] aad) {
        Objects.checkFromIndexSize(off, len, sealed.length);
        key.checkNotDestroyed();
        if (len < OVERHEAD) {
            throw new VaultCorruptException("sealed data of " + len + " bytes is too short (at least " + OVERHEAD
                    + " expected): failed authentication");
        }
        if (len - OVERHEAD > SLICE) {
            return openSliced(sealed, off, len, aad);
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(sealed, off, off + NONCE_LENGTH));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(sealed, off + NONCE_LENGTH, len - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw tamperedWith(len, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed unexpectedly", e);
        }
    }

    /**
     * AES-GCM decryption of a large message, in slices. The JDK's GCM decryption takes the whole message in one call
     * and stays at ~20–30 MB/s until that call is JIT-compiled, which takes hundreds of MiB of 1 MiB blobs (measured
     * in docs/design/crypto.md). So the plaintext is recovered with AES-CTR starting at GCM's first data counter
     * (nonce ‖ 2; GCM increments only the low 32 bits, which cannot wrap below 64 GiB), then the tag is recomputed
     * by GCM-encrypting that plaintext with the same key, nonce and AAD — which yields the same ciphertext, hence
     * the tag the message must carry — and compared in constant time. The plaintext is returned only if the tags
     * match, and zeroed otherwise: exactly GCM's verification, built from the JDK's own AES-CTR and AES-GCM.
     */
    private byte[] openSliced(byte[] sealed, int off, int len, byte[] aad) {
        int ctOff = off + NONCE_LENGTH;
        int ctLen = len - OVERHEAD;
        byte[] nonce = Arrays.copyOfRange(sealed, off, off + NONCE_LENGTH);
        byte[] plain = new byte[ctLen];
        try {
            byte[] counter = new byte[16];
            System.arraycopy(nonce, 0, counter, 0, NONCE_LENGTH);
            counter[15] = 2;
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
            for (int pos = 0; pos < ctLen; pos += SLICE) {
                ctr.update(sealed, ctOff + pos, Math.min(SLICE, ctLen - pos), plain, pos);
            }
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, nonce);
            if (aad != null) {
                gcm.updateAAD(aad);
            }
            byte[] scratch = new byte[SLICE + TAG_LENGTH];
            for (int pos = 0; pos < ctLen; pos += SLICE) {
                gcm.update(plain, pos, Math.min(SLICE, ctLen - pos), scratch, 0);
            }
            byte[] rest = gcm.doFinal(); // the ciphertext still buffered, then the tag
            byte[] tag = Arrays.copyOfRange(rest, rest.length - TAG_LENGTH, rest.length);
            if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(sealed, ctOff + ctLen, ctOff + ctLen + TAG_LENGTH))) {
                Arrays.fill(plain, (byte) 0);
                throw tamperedWith(len, null);
            }
            return plain;
        } catch (GeneralSecurityException e) {
            Arrays.fill(plain, (byte) 0);
            throw new IllegalStateException("AES failed unexpectedly", e);
        }
    }

    private static VaultCorruptException tamperedWith(int len, Exception cause) {
        return new VaultCorruptException("sealed data of " + len + " bytes failed authentication: it is damaged, "
                + "was tampered with, or belongs elsewhere", cause);
    }

    private static int sealedLength(int len) {
        if (len > Integer.MAX_VALUE - OVERHEAD) {
            throw new IllegalArgumentException("cannot seal " + len + " bytes: the result would exceed an array");
        }
        return len + OVERHEAD;
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * Byte.SIZE, nonce));
        return cipher;
    }

    @Override
    public String toString() {
        return "Sealer[AES-256-GCM]";
    }
}
