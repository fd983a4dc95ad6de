package triplicate.crypto;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A raw symmetric key whose bytes are zeroed by {@link #destroy()}, unlike {@link javax.crypto.spec.SecretKeySpec}.
 * {@link #getEncoded()} hands a copy to the JDK provider, which expands it into its own key schedule.
 */
final class DestroyableKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final byte[] key;
    private volatile boolean destroyed;

    /** Copies {@code len} bytes of {@code raw} from {@code off}. */
    DestroyableKey(String algorithm, byte[] raw, int off, int len) {
        this.algorithm = algorithm;
        this.key = Arrays.copyOfRange(raw, off, off + len);
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /** A copy of the key bytes; throws {@link IllegalStateException} once destroyed. */
    @Override
    public byte[] getEncoded() {
        checkNotDestroyed();
        return key.clone();
    }

    /** Copies the key bytes into {@code dst} at {@code off}. */
    void copyTo(byte[] dst, int off) {
        checkNotDestroyed();
        System.arraycopy(key, 0, dst, off, key.length);
    }

    void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("the master key was closed");
        }
    }

    /** The live key array, for tests that check it is zeroed. */
    byte[] liveBytesForTest() {
        return key;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Key bytes never leave the process through Java serialization. */
    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("a key is not serializable");
    }

    @Override
    public String toString() {
        return "DestroyableKey[" + algorithm + ", " + key.length + " bytes" + (destroyed ? ", destroyed" : "") + "]";
    }
}
