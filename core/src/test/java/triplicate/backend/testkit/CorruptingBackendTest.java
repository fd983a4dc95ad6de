package triplicate.backend.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.CorruptingBackend.Damage;
import triplicate.core.FileType;

class CorruptingBackendTest {
    private final MemoryBackend inner = new MemoryBackend("c");
    private final Handle damaged = new Handle(FileType.PACK, "11".repeat(32));
    private final Handle intact = new Handle(FileType.PACK, "22".repeat(32));
    private final byte[] data = new byte[5000];

    CorruptingBackendTest() throws IOException {
        new Random(3).nextBytes(data);
        inner.save(damaged, Source.of(data));
        inner.save(intact, Source.of(data));
    }

    @Test
    void aFlippedBitIsTheSameOnEveryReadAndInEveryRange() throws IOException {
        CorruptingBackend corrupting = new CorruptingBackend(inner, damaged::equals, Damage.FLIP_BIT, 9);

        byte[] read = corrupting.load(damaged);

        assertThat(differingBits(read, data)).isEqualTo(1);
        assertThat(corrupting.load(damaged)).isEqualTo(read);
        for (int offset = 0; offset < data.length; offset += 617) {
            try (InputStream in = corrupting.open(damaged, offset, 700)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(read, offset, Math.min(offset + 700, data.length)));
            }
        }
        assertThat(corrupting.load(intact)).isEqualTo(data);
        assertThat(inner.load(damaged)).isEqualTo(data);
        assertThat(corrupting.stat(damaged).size()).isEqualTo(data.length);
    }

    @Test
    void theDamageFollowsTheSeed() throws IOException {
        byte[] a = new CorruptingBackend(inner, h -> true, Damage.FLIP_BIT, 1).load(damaged);
        byte[] b = new CorruptingBackend(inner, h -> true, Damage.FLIP_BIT, 1).load(damaged);
        byte[] c = new CorruptingBackend(inner, h -> true, Damage.FLIP_BIT, 2).load(damaged);

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void aTruncatedFileIsShorterEverywhere() throws IOException {
        CorruptingBackend corrupting = new CorruptingBackend(inner, damaged::equals, Damage.TRUNCATE, 9);

        assertThat(corrupting.load(damaged)).isEqualTo(Arrays.copyOf(data, 2500));
        assertThat(corrupting.stat(damaged)).isEqualTo(new FileInfo(damaged.name(), 2500));
        assertThat(corrupting.list(FileType.PACK)).containsExactlyInAnyOrder(
                new FileInfo(damaged.name(), 2500), new FileInfo(intact.name(), 5000));
        try (InputStream in = corrupting.open(damaged, 2400, 500)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 2400, 2500));
        }
        try (InputStream in = corrupting.open(damaged, 3000, -1)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void damageInPlaceFlipsOneStoredBit() throws IOException {
        long offset = CorruptingBackend.damageInPlace(inner, damaged, Damage.FLIP_BIT, 5);

        byte[] stored = inner.load(damaged);
        assertThat(differingBits(stored, data)).isEqualTo(1);
        assertThat(stored[(int) offset]).isNotEqualTo(data[(int) offset]);
    }

    @Test
    void damageInPlaceTruncates() throws IOException {
        long length = CorruptingBackend.damageInPlace(inner, damaged, Damage.TRUNCATE, 5);

        assertThat(length).isEqualTo(2500);
        assertThat(inner.load(damaged)).isEqualTo(Arrays.copyOf(data, 2500));
    }

    private static int differingBits(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return bits;
    }

    @Nested
    class Contract extends BackendContractTest {
        @Override
        protected Backend newBackend() {
            return new CorruptingBackend(new MemoryBackend("intact"), h -> false, Damage.FLIP_BIT, 1);
        }
    }
}
