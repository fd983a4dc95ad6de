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
