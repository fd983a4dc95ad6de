package triplicate.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static triplicate.chunker.Chunks.SMALL;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FileChunkerTest {

    private final Chunker chunker = new Chunker(SMALL);

    @Test
    void anEmptyInputHasNoChunks() throws IOException {
        try (FileChunker fc = new FileChunker(chunker, Channels.newChannel(new ByteArrayInputStream(new byte[0])),
                new long[] {0, 5})) {
            assertThat(fc.next()).isNull();
            assertThat(fc.next()).isNull();
            assertThat(fc.position()).isZero();
        }
    }

    @Test
    void theChunksAreThoseOfTheChunkerWhateverTheReadSizes() {
        SplittableRandom seeds = new SplittableRandom(11);
        for (int trial = 0; trial < 30; trial++) {
            byte[] data = Chunks.random(seeds.nextLong(), seeds.nextInt(150_000));
            List<Integer> expected = new ArrayList<>();
            for (int off = 0; off < data.length; ) {
                int n = chunker.cut(data, off, data.length - off, true);
                expected.add(n);
                off += n;
            }
            List<byte[]> chunks = Chunks.chunk(chunker, data, new long[0]);
            assertThat(Chunks.lengths(chunks)).isEqualTo(expected);
            assertThat(Chunks.concat(chunks)).isEqualTo(data);
        }
    }

    @Test
    void forcedCutsAreRespectedAndChunkingRestartsFreshAfterEach() {
        SplittableRandom seeds = new SplittableRandom(12);
        for (int trial = 0; trial < 40; trial++) {
            byte[] data = Chunks.random(seeds.nextLong(), 20_000 + seeds.nextInt(150_000));
            long[] cuts = seeds.longs(seeds.nextInt(8), 0, data.length + 100).sorted().toArray();
            List<byte[]> chunks = Chunks.chunk(chunker, data, cuts);

            assertThat(Chunks.concat(chunks)).isEqualTo(data);
            List<Long> boundaries = Chunks.boundaries(chunks);
            for (long c : cuts) {
                if (c > 0 && c < data.length) {
                    assertThat(boundaries).as("cut at %d", c).contains(c);
                }
            }
            // each segment between cuts is chunked exactly as if it were a file of its own
            List<Integer> expected = new ArrayList<>();
            long from = 0;
            for (long c : appendEnd(cuts, data.length)) {
                if (c > from && c <= data.length) {
                    byte[] segment = Arrays.copyOfRange(data, (int) from, (int) c);
                    expected.addAll(Chunks.lengths(Chunks.chunk(chunker, segment, new long[0])));
                    from = c;
                }
            }
            assertThat(Chunks.lengths(chunks)).isEqualTo(expected);
        }
    }

    @Test
    void positionCountsTheBytesReturned() throws IOException {
        byte[] data = Chunks.random(13, 100_000);
        try (FileChunker fc = new FileChunker(chunker, new Chunks.ShortReads(data, 2), new long[] {50_000})) {
            long pos = 0;
            for (byte[] c; (c = fc.next()) != null; ) {
                pos += c.length;
                assertThat(fc.position()).isEqualTo(pos);
            }
            assertThat(pos).isEqualTo(data.length);
        }
    }

    @Test
    void largeInputsNeedOnlyABoundedBuffer() throws IOException {
        // the input is produced on the fly and never held whole: a 16 MiB stream through a 2 * maxSize buffer
        long total = 16L << 20;
        ReadableByteChannel endless = new ReadableByteChannel() {
            private final SplittableRandom random = new SplittableRandom(14);
            private long left = total;

            @Override
            public int read(ByteBuffer dst) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(dst.remaining(), left), 1 + random.nextInt(70_000));
                byte[] b = new byte[n];
                random.nextBytes(b);
                dst.put(b);
                left -= n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try (FileChunker fc = new FileChunker(chunker, endless, new long[] {total / 2})) {
            long sum = 0;
            int count = 0;
            for (byte[] c; (c = fc.next()) != null; count++) {
                sum += c.length;
                assertThat(c.length).isLessThanOrEqualTo(SMALL.maxSize());
            }
            assertThat(sum).isEqualTo(total);
            assertThat(count).isGreaterThan((int) (total / SMALL.maxSize()));
        }
    }

    /** The reference: the chunker over the whole input held in memory, restarting at each forced cut. */
    private List<Integer> reference(byte[] data, long[] cuts) {
        List<Integer> expected = new ArrayList<>();
        long[] ends = appendEnd(Arrays.stream(cuts).filter(c -> c > 0 && c < data.length).distinct().toArray(),
                data.length);
        int off = 0;
        for (long e : ends) {
            while (off < e) {
                int n = chunker.cut(data, off, (int) e - off, true);
                expected.add(n);
                off += n;
            }
        }
        return expected;
    }

    /** Random bytes with runs of one byte value (no boundary can fall inside a long run). */
    private static byte[] withRuns(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = Chunks.random(seed, n);
        for (int runs = r.nextInt(6); runs > 0; runs--) {
            int at = r.nextInt(n);
            Arrays.fill(b, at, Math.min(n, at + r.nextInt(3 * SMALL.maxSize())), (byte) r.nextInt(256));
        }
        return b;
    }

    @Test
    void chunksLongerThanTheLookaheadAndRunsOfOneByteAreCutAsByTheChunker() {
        SplittableRandom seeds = new SplittableRandom(16);
        for (int trial = 0; trial < 60; trial++) {
            byte[] data = trial % 10 == 0 ? new byte[seeds.nextInt(100_000)] : withRuns(seeds.nextLong(), seeds.nextInt(200_000));
            long[] cuts = seeds.longs(seeds.nextInt(4), 0, data.length + 100).sorted().toArray();
            List<byte[]> chunks = Chunks.chunk(chunker, data, cuts);
            assertThat(Chunks.lengths(chunks)).as("trial %d", trial).isEqualTo(reference(data, cuts));
            assertThat(Chunks.concat(chunks)).isEqualTo(data);
        }
    }

    @Test
    void slicesAreTheChunksAndABufferCanServeOneFileAfterAnother() throws IOException {
        SplittableRandom seeds = new SplittableRandom(17);
        byte[] buffer = null;
        for (int trial = 0; trial < 20; trial++) {
            byte[] data = withRuns(seeds.nextLong(), seeds.nextInt(120_000));
            long[] cuts = seeds.longs(seeds.nextInt(3), 0, data.length).sorted().toArray();
            List<Integer> lengths = new ArrayList<>();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            try (FileChunker fc = new FileChunker(chunker, new Chunks.ShortReads(data, trial), cuts, buffer)) {
                for (int n; (n = fc.nextSlice()) >= 0; ) {
                    lengths.add(n);
                    all.write(fc.buffer(), fc.sliceOffset(), n);
                }
                buffer = fc.buffer();
            }
            assertThat(lengths).isEqualTo(reference(data, cuts));
            assertThat(all.toByteArray()).isEqualTo(data);
            assertThat(buffer.length).isLessThanOrEqualTo(2 * SMALL.maxSize());
        }
    }

    @Test
    void onRandomDataTheBufferStaysAtTwiceTheLookaheadNotTwiceTheMaximum() throws IOException {
        ChunkerParams defaults = ChunkerParams.defaults(19);
        byte[] data = Chunks.random(18, 40 << 20);
        try (FileChunker fc = new FileChunker(new Chunker(defaults), new Chunks.ShortReads(data, 5), new long[0])) {
            long sum = 0;
            for (int n; (n = fc.nextSlice()) >= 0; ) {
                sum += n;
            }
            assertThat(sum).isEqualTo(data.length);
            assertThat(fc.buffer().length).isLessThanOrEqualTo(2 * FileChunker.LOOKAHEAD_AVERAGES * defaults.avgSize())
                    .isLessThan(2 * defaults.maxSize());
        }
    }

    @Test
    void forcedCutsMustBeAscendingAndNonNegative() {
        ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(new byte[10]));
        assertThatThrownBy(() -> new FileChunker(chunker, in, new long[] {5, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileChunker(chunker, in, new long[] {-1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCutsArrayIsCopied() throws IOException {
        byte[] data = Chunks.random(15, 30_000);
        long[] cuts = {10_000};
        try (FileChunker fc = new FileChunker(chunker, new Chunks.ShortReads(data, 3), cuts)) {
            cuts[0] = 20_000;
            long pos = 0;
            List<Long> ends = new ArrayList<>();
            for (byte[] c; (c = fc.next()) != null; ) {
                ends.add(pos += c.length);
            }
            assertThat(ends).contains(10_000L);
        }
    }

    @Test
    void closeClosesTheChannel() throws IOException {
        Chunks.ShortReads in = new Chunks.ShortReads(new byte[10], 4);
        new FileChunker(chunker, in, new long[0]).close();
        assertThat(in.isOpen()).isFalse();
    }

    private static long[] appendEnd(long[] cuts, long end) {
        long[] out = Arrays.copyOf(cuts, cuts.length + 1);
        out[cuts.length] = end;
        return out;
    }
}
