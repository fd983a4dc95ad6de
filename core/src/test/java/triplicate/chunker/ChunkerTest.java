package triplicate.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static triplicate.chunker.Chunks.SMALL;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    /**
     * GOLDEN VECTOR. The first gear table entries for seed 0x5eed (SplitMix64). Changing them changes every chunk
     * boundary in every vault: that is a vault format version bump, not a test update.
     */
    @Test
    void gearTableGoldenVector() {
        Chunker chunker = new Chunker(ChunkerParams.defaults(0x5eedL));
        assertThat(new long[] {chunker.gear(0), chunker.gear(1), chunker.gear(2), chunker.gear(3)})
                .containsExactly(GOLDEN_GEAR);
    }

    private static final long[] GOLDEN_GEAR = {
        0x09F1FD9D03F0A9B4L, 0x553274161BBF8475L, 0x5D5BCA4696B343B3L, 0x70D29B6C7D22528DL};

    /** The table is plain SplitMix64: seed 0 gives its published first outputs. */
    @Test
    void gearTableIsSplitMix64() {
        assertThat(Chunker.gearTable(0)).startsWith(0xE220A8397B1DCDAFL, 0x6E789E6AA1B965F4L);
    }

    /**
     * GOLDEN VECTOR. Chunk lengths of 32 MiB from {@code new SplittableRandom(42)} with seed 0x5eed and the default
     * parameters. Changing this list (by changing the algorithm, the gear table or the defaults) changes the
     * boundaries of existing vaults: that is a vault format version bump, not a test update.
     */
    @Test
    void chunkLengthsGoldenVector() {
        byte[] data = new byte[32 << 20];
        new SplittableRandom(42).nextBytes(data);
        Chunker chunker = new Chunker(ChunkerParams.defaults(0x5eedL));
        List<Integer> lengths = new ArrayList<>();
        for (int off = 0; off < data.length; ) {
            int n = chunker.cut(data, off, data.length - off, true);
            lengths.add(n);
            off += n;
        }
        assertThat(lengths).containsExactly(GOLDEN_LENGTHS);
    }

    private static final Integer[] GOLDEN_LENGTHS = {
        1571400, 1120767, 1093540, 1085812, 635224, 1439150, 1661778, 1265191,
        873698, 1611518, 1109044, 1090729, 1490132, 1176202, 1734915, 1374809,
        2478168, 1512154, 927232, 1234424, 1094603, 1602392, 973949, 1083939,
        1132419, 1127450, 53793};

    @Test
    void chunksConcatenateBackToTheInput() {
        SplittableRandom seeds = new SplittableRandom(1);
        Chunker chunker = new Chunker(SMALL);
        for (int trial = 0; trial < 50; trial++) {
            byte[] data = Chunks.random(seeds.nextLong(), seeds.nextInt(200_000));
            assertThat(Chunks.concat(Chunks.chunk(chunker, data, new long[0]))).isEqualTo(data);
        }
    }

    @Test
    void everyChunkButTheLastIsWithinMinAndMax() {
        SplittableRandom seeds = new SplittableRandom(2);
        for (int trial = 0; trial < 30; trial++) {
            Chunker chunker = new Chunker(new ChunkerParams(1024, 4096, 16384, seeds.nextLong()));
            byte[] data = trial % 3 == 0
                    ? new byte[100_000 + seeds.nextInt(100_000)] // no boundaries at all: every chunk is maxSize
                    : Chunks.random(seeds.nextLong(), 100_000 + seeds.nextInt(100_000));
            List<Integer> lengths = Chunks.lengths(Chunks.chunk(chunker, data, new long[0]));
            assertThat(lengths.subList(0, lengths.size() - 1)).allSatisfy(n -> assertThat(n).isBetween(1024, 16384));
            assertThat(lengths.getLast()).isBetween(1, 16384);
        }
    }

    @Test
    void averageChunkSizeIsNearAvgSizeOnRandomData() {
        Chunker chunker = new Chunker(SMALL);
        byte[] data = Chunks.random(3, 8 << 20);
        List<Integer> lengths = Chunks.lengths(Chunks.chunk(chunker, data, new long[0]));
        double mean = (double) data.length / lengths.size();
        assertThat(mean).isBetween(0.8 * SMALL.avgSize(), 1.6 * SMALL.avgSize());
    }

    @Test
    void insertingAFewBytesNearTheStartMovesOnlyTheFirstBoundaries() {
        SplittableRandom seeds = new SplittableRandom(4);
        Chunker chunker = new Chunker(SMALL);
        for (int trial = 0; trial < 40; trial++) {
            byte[] data = Chunks.random(seeds.nextLong(), 300_000);
            int at = seeds.nextInt(SMALL.minSize() - Chunker.WINDOW);
            byte[] extra = Chunks.random(seeds.nextLong(), 1 + seeds.nextInt(16));
            List<Long> before = Chunks.boundaries(Chunks.chunk(chunker, data, new long[0]));
            List<Long> after = Chunks.boundaries(Chunks.chunk(chunker, Chunks.insert(data, at, extra), new long[0]));

            List<Long> expectedTail = before.subList(2, before.size()).stream().map(b -> b + extra.length).toList();
            assertThat(after.size()).isBetween(before.size() - 1, before.size() + 1);
            assertThat(after.subList(after.size() - expectedTail.size(), after.size()))
                    .as("trial %d: all but the first two boundaries just move by %d", trial, extra.length)
                    .isEqualTo(expectedTail);
        }
    }

    @Test
    void theBytesBeforeMinSizeMinus64AreNotLookedAt() {
        Chunker chunker = new Chunker(SMALL);
        SplittableRandom seeds = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            byte[] data = Chunks.random(seeds.nextLong(), 50_000);
            byte[] other = data.clone();
            byte[] noise = Chunks.random(seeds.nextLong(), SMALL.minSize() - Chunker.WINDOW);
            System.arraycopy(noise, 0, other, 0, noise.length);
            assertThat(chunker.cut(other, 0, other.length, false)).isEqualTo(chunker.cut(data, 0, data.length, false));
        }
    }

    @Test
    void whetherAPositionIsABoundaryDependsOnlyOnTheSixtyFourBytesBeforeIt() {
        Chunker chunker = new Chunker(SMALL);
        SplittableRandom seeds = new SplittableRandom(6);
        int same = 0;
        for (int trial = 0; trial < 200; trial++) {
            byte[] data = Chunks.random(seeds.nextLong(), 50_000);
            int first = chunker.cut(data, 0, data.length, false);
            // new bytes everywhere but in the 64 before the boundary: it is still a boundary (maybe not the first)
            byte[] other = Chunks.random(seeds.nextLong(), data.length);
            System.arraycopy(data, first - Chunker.WINDOW, other, first - Chunker.WINDOW, Chunker.WINDOW);
            int cut = chunker.cut(other, 0, other.length, false);
            assertThat(cut).isLessThanOrEqualTo(first);
            same += cut == first ? 1 : 0;
        }
        assertThat(same).as("trials where no earlier boundary appeared").isGreaterThan(5);
    }

    @Test
    void cutHonoursItsContract() {
        Chunker chunker = new Chunker(SMALL);
        byte[] data = Chunks.random(7, 100_000);
        assertThat(chunker.cut(data, 0, 0, true)).isZero();
        assertThat(chunker.cut(data, 10, SMALL.minSize(), true)).isEqualTo(SMALL.minSize());
        assertThat(chunker.cut(data, 10, 5, true)).isEqualTo(5);
        assertThatThrownBy(() -> chunker.cut(data, 0, SMALL.maxSize() - 1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chunker.cut(data, 99_000, SMALL.maxSize(), false))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(chunker.cut(new byte[SMALL.maxSize() * 2], 0, SMALL.maxSize() * 2, false))
                .isEqualTo(SMALL.maxSize());
        // with enough bytes, knowing where the input ends changes nothing before the end
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < 200; i++) {
            int off = r.nextInt(1000);
            int open = chunker.cut(data, off, SMALL.maxSize() + r.nextInt(1000), false);
            int len = SMALL.minSize() + r.nextInt(SMALL.maxSize());
            int closed = chunker.cut(data, off, len, true);
            if (open < len) {
                assertThat(closed).isEqualTo(open);
            } else {
                assertThat(closed).isEqualTo(len);
            }
        }
    }

    @Test
    void theSeedChangesTheBoundaries() {
        byte[] data = Chunks.random(9, 200_000);
        List<Long> a = Chunks.boundaries(Chunks.chunk(new Chunker(SMALL), data, new long[0]));
        List<Long> b = Chunks.boundaries(Chunks.chunk(
                new Chunker(new ChunkerParams(SMALL.minSize(), SMALL.avgSize(), SMALL.maxSize(), 0x5eedL + 1)),
                data, new long[0]));
        assertThat(a.subList(0, a.size() - 1)).doesNotContainAnyElementsOf(b.subList(0, 3));
    }

    @Test
    void oneChunkerServesManyThreads() throws Exception {
        Chunker chunker = new Chunker(SMALL);
        byte[] data = Chunks.random(10, 1 << 20);
        List<Long> expected = Chunks.boundaries(Chunks.chunk(chunker, data, new long[0]));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> Chunks.boundaries(Chunks.chunk(chunker, data, new long[0]))));
            }
            for (Future<List<Long>> f : results) {
                assertThat(f.get()).isEqualTo(expected);
            }
        }
    }

    @Test
    void paramsAreValidated() {
        assertThatThrownBy(() -> new ChunkerParams(63, 128, 256, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkerParams(4096, 4096, 8192, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkerParams(1024, 4096, 4096, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkerParams(1024, 3000, 8192, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkerParams(1024, 4096, (1 << 28) + 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChunkerParams(64, 128, 129, 0).avgSize()).isEqualTo(128);
        ChunkerParams d = ChunkerParams.defaults(0x5eedL);
        assertThat(d.seed()).isEqualTo(0x5eedL);
        assertThat(d.minSize()).isLessThan(d.avgSize());
        assertThat(d.toString()).doesNotContain("5eed").doesNotContain(Long.toString(0x5eedL));
    }
}
