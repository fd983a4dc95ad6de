package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    private static byte[] counting(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i + 1);
        }
        return b;
    }

    @Test
    void fromBytesCopiesAndToBytesReturnsACopy() {
        byte[] raw = counting(64);
        try (MasterKey key = MasterKey.fromBytes(raw)) {
            Arrays.fill(raw, (byte) 0);

            byte[] copy = key.toBytes();
            assertThat(copy).isEqualTo(counting(64));
            copy[0] = 99;
            assertThat(key.toBytes()).isEqualTo(counting(64));
        }
    }

    @Test
    void theFirstHalfSealsAndTheSecondHalfHashesIds() {
        try (MasterKey key = MasterKey.fromBytes(counting(64))) {
            assertThat(key.sealKeyForTest().getEncoded()).isEqualTo(Arrays.copyOfRange(counting(64), 0, 32));
            assertThat(key.idKeyForTest().getEncoded()).isEqualTo(Arrays.copyOfRange(counting(64), 32, 64));
        }
    }

    @Test
    void onlySixtyFourBytesMakeAKey() {
        assertThatThrownBy(() -> MasterKey.fromBytes(new byte[32]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a master key has 64 bytes, not 32");
    }

    @Test
    void generateDrawsSixtyFourBytes() {
        try (MasterKey a = MasterKey.generate(new SecureRandom()); MasterKey b = MasterKey.generate(new SecureRandom())) {
            assertThat(a.toBytes()).hasSize(64).isNotEqualTo(b.toBytes());
        }
        try (MasterKey a = MasterKey.generate(FixedRandoms.seeded(1));
                MasterKey b = MasterKey.generate(FixedRandoms.seeded(1))) {
            assertThat(a.toBytes()).isEqualTo(b.toBytes());
        }
    }

    @Test
    void closeZeroesTheKeyAndLaterUseFails() {
        MasterKey key = MasterKey.fromBytes(counting(64));
        byte[] sealHalf = key.sealKeyForTest().liveBytesForTest();
        byte[] idHalf = key.idKeyForTest().liveBytesForTest();
        assertThat(key.isDestroyed()).isFalse();

        key.close();

        assertThat(sealHalf).containsOnly(0);
        assertThat(idHalf).containsOnly(0);
        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(key::toBytes).isInstanceOf(IllegalStateException.class)
                .hasMessage("the master key was closed");
        assertThatThrownBy(key::sealer).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> key.sealer(new SecureRandom())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(key::newIdHasher).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> key.sealKeyForTest().getEncoded()).isInstanceOf(IllegalStateException.class);
        key.destroy(); // idempotent
        assertThat(key.toString()).isEqualTo("MasterKey[destroyed]");
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        try (MasterKey key = MasterKey.fromBytes(counting(64))) {
            assertThat(key.toString()).isEqualTo("MasterKey[64 bytes]");
            assertThat(key.sealKeyForTest().toString()).doesNotContain("1, 2");
        }
    }

    @Test
    void keysAreNotSerializable() {
        try (MasterKey key = MasterKey.fromBytes(counting(64))) {
            assertThatThrownBy(() -> new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())
                    .writeObject(key.sealKeyForTest()))
                    .isInstanceOf(java.io.NotSerializableException.class);
        }
    }
}
