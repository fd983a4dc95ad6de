package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pack buffers in memory: one per upload in flight plus the one being filled, within a share of the heap. */
class PackBufferCountTest {
    private static final long MIB = 1 << 20;
    private static final long PACK = 16 * MIB + 64 * 1024;

    @Test
    void aLargeHeapGetsOneBufferPerUploadPlusTheOneBeingFilled() {
        assertThat(Repository.packBufferCount(4, PACK, 1024 * MIB)).isEqualTo(5);
        assertThat(Repository.packBufferCount(2, PACK, 1024 * MIB)).isEqualTo(3);
    }

    @Test
    void theLaunchersHeapCapsThePacksInMemoryWhateverTheConnections() {
        int count = Repository.packBufferCount(16, PACK, 136 * MIB);
        assertThat(count).isEqualTo(3);
        assertThat(count * PACK).isLessThanOrEqualTo(136 * MIB * Repository.PACK_HEAP_SHARE / 100);
    }

    @Test
    void neverFewerThanTwoSoFillingAndUploadingOverlap() {
        assertThat(Repository.packBufferCount(4, PACK, 32 * MIB)).isEqualTo(2);
        assertThat(Repository.packBufferCount(1, PACK, 32 * MIB)).isEqualTo(2);
    }
}
