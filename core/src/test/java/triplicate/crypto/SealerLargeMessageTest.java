package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import triplicate.core.VaultCorruptException;

/**
 * Messages larger than one slice are opened with AES-CTR plus a recomputed GCM tag (see {@link Sealer}). These
 * properties hold it to the standard: it accepts exactly what the JDK's one-shot AES-GCM accepts, returns the same
 * plaintext, and rejects every change.
 */
class SealerLargeMessageTest {
    private static final int[] SIZES = {Sealer.SLICE + 1, Sealer.SLICE + 15, Sealer.SLICE + 16, 2 * Sealer.SLICE,
        2 * Sealer.SLICE + 7, 3 * Sealer.SLICE - 1, 1 << 20, (1 << 20) + 13};

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** The JDK's one-shot AES-GCM decryption, the reference. */
    private static byte[] jdkOpen(byte[] aesKey, byte[] sealed, byte[] aad) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 0, 12)));
        c.updateAAD(aad);
        return c.doFinal(sealed, 12, sealed.length - 12);
    }

    @Test
    void opensExactlyWhatTheJdkOpensForEverySizeAroundSliceBoundaries() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        byte[] raw = random(r, MasterKey.LENGTH);
        try (MasterKey key = MasterKey.fromBytes(raw)) {
            Sealer sealer = key.sealer();
            for (int size : SIZES) {
                byte[] plain = random(r, size);
                byte[] aad = random(r, 33);
                byte[] sealed = sealer.seal(plain, 0, size, aad);
                assertThat(jdkOpen(Arrays.copyOf(raw, 32), sealed, aad)).as("size %d, reference", size).isEqualTo(plain);
                assertThat(sealer.open(sealed, 0, sealed.length, aad)).as("size %d", size).isEqualTo(plain);
                byte[] padded = new byte[sealed.length + 10];
                System.arraycopy(sealed, 0, padded, 5, sealed.length);
                assertThat(sealer.open(padded, 5, sealed.length, aad)).as("size %d at an offset", size).isEqualTo(plain);
            }
        }
    }

    @Test
    void rejectsAnyFlippedBitWrongAadOrOtherKey() {
        SplittableRandom r = new SplittableRandom(12);
        try (MasterKey key = MasterKey.fromBytes(random(r, MasterKey.LENGTH));
             MasterKey other = MasterKey.fromBytes(random(r, MasterKey.LENGTH))) {
            Sealer sealer = key.sealer();
            int size = 3 * Sealer.SLICE + 100;
            byte[] plain = random(r, size);
            byte[] aad = {1, 2, 3};
            byte[] sealed = sealer.seal(plain, 0, size, aad);
            int[] positions = {0, 11, 12, 13, 12 + Sealer.SLICE, 12 + 2 * Sealer.SLICE + 5, sealed.length - 17,
                sealed.length - 16, sealed.length - 1};
            for (int pos : positions) {
                for (int bit = 0; bit < 8; bit += 7) {
                    byte[] t = sealed.clone();
                    t[pos] ^= (byte) (1 << bit);
                    assertThatThrownBy(() -> sealer.open(t, 0, t.length, aad)).as("flip at %d", pos)
                            .isInstanceOf(VaultCorruptException.class).hasMessageContaining("failed authentication");
                }
            }
            for (int i = 0; i < 50; i++) {
                byte[] t = sealed.clone();
                t[r.nextInt(t.length)] ^= (byte) (1 + r.nextInt(255));
                assertThatThrownBy(() -> sealer.open(t, 0, t.length, aad)).isInstanceOf(VaultCorruptException.class);
            }
            assertThatThrownBy(() -> sealer.open(sealed, 0, sealed.length, new byte[] {1, 2, 4}))
                    .isInstanceOf(VaultCorruptException.class);
            assertThatThrownBy(() -> other.sealer().open(sealed, 0, sealed.length, aad))
                    .isInstanceOf(VaultCorruptException.class);
            byte[] truncated = Arrays.copyOf(sealed, sealed.length - 1);
            assertThatThrownBy(() -> sealer.open(truncated, 0, truncated.length, aad))
                    .isInstanceOf(VaultCorruptException.class);
        }
    }
}
