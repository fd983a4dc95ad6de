package triplicate.chunker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits the bytes read from a channel into chunks with a {@link Chunker}, never letting a chunk span a forced cut.
 *
 * <p>Positions are counted from the channel's position when it is handed over (for a file channel at position 0,
 * they are file offsets). At each forced cut the current chunk ends, and content-defined chunking restarts fresh:
 * the boundaries after a cut depend only on the bytes after it. Forced cuts at 0, repeated, or beyond the end of
 * input have no effect.
 *
 * <p>Memory is bounded: one internal buffer, grown on demand to {@code 6 * avgSize} (up to {@code 2 * maxSize} for
 * input where boundaries are rare, such as long runs of one byte), reused for the whole input (small inputs use a
 * small buffer). A caller that chunks many files can hand the buffer of one chunker to the next
 * ({@link #buffer()}), so it is allocated once. {@link #next()} returns each chunk as a fresh array;
 * {@link #nextSlice()} returns it in place, without a copy. Reads are at most {@value #READ_SLICE} bytes each. The
 * channel must be blocking; short reads are fine.
 *
 * <p>Not thread-safe: one caller at a time. {@link #close()} closes the channel.
 */
public final class FileChunker implements AutoCloseable {

    private static final int INITIAL_BUFFER = 64 << 10;
    /**
     * The most bytes asked of the channel per read. The JDK reads into a heap array through a per-thread native
     * buffer as large as the largest read, which would otherwise reach {@code 2 * maxSize} per thread.
     */
    static final int READ_SLICE = 1 << 20;
    /**
     * How many average chunk sizes are read ahead of a cut. On random data a chunk is longer than 3 averages with
     * probability below 1/2000 (normalized chunking cuts 4 times more eagerly after the average), so the rare longer
     * one is cut after reading further, and a worker's buffer stays at 6 averages instead of twice the maximum.
     */
    static final int LOOKAHEAD_AVERAGES = 3;

    private final Chunker chunker;
    private final ReadableByteChannel in;
    private final long[] forcedCuts;
    private final int maxSize;
    private final int capacity;
    /** Bytes buffered ahead before a chunk is cut; more (up to maxSize) only when no boundary lies within them. */
    private final int lookahead;

    private byte[] buf;
    private ByteBuffer window;
    /** {@code buf[start .. end)} holds the unconsumed input, starting at {@link #position}. */
    private int start;
    private int end;
    private long position;
    private boolean eof;
    /** Index of the first forced cut that lies beyond {@link #position}. */
    private int nextCut;

    /**
     * @param chunker the content-defined chunker
     * @param in the input, read from its current position to its end
     * @param forcedCuts positions (non-negative, in ascending order) at which a chunk must end; copied
     * @throws IllegalArgumentException if {@code forcedCuts} is negative somewhere or not in ascending order
     */
    public FileChunker(Chunker chunker, ReadableByteChannel in, long[] forcedCuts) {
        this(chunker, in, forcedCuts, null);
    }

    /**
     * As {@link #FileChunker(Chunker, ReadableByteChannel, long[])}, starting with {@code buffer} (when not null) as
     * the internal buffer instead of allocating one: pass {@link #buffer()} of a previous chunker to reuse it. Its
     * content is ignored and overwritten.
     */
    public FileChunker(Chunker chunker, ReadableByteChannel in, long[] forcedCuts, byte[] buffer) {
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.in = Objects.requireNonNull(in, "in");
        this.forcedCuts = forcedCuts.clone();
        for (int i = 0; i < this.forcedCuts.length; i++) {
            if (this.forcedCuts[i] < 0 || (i > 0 && this.forcedCuts[i] < this.forcedCuts[i - 1])) {
                throw new IllegalArgumentException("forced cuts must be non-negative and ascending: "
                        + Arrays.toString(forcedCuts));
            }
        }
        this.maxSize = chunker.params().maxSize();
        this.capacity = 2 * maxSize;
        this.lookahead = Math.min(maxSize, LOOKAHEAD_AVERAGES * chunker.params().avgSize());
        this.buf = buffer != null && buffer.length > 0 ? buffer : new byte[Math.min(INITIAL_BUFFER, capacity)];
        this.window = ByteBuffer.wrap(buf);
    }

    /** The internal buffer (it grows as needed): hand it to the next chunker to avoid allocating another. */
    public byte[] buffer() {
        return buf;
    }

    /**
     * Returns the next chunk as a fresh array owned by the caller, or {@code null} at the end of input (an empty input
     * has no chunks).
     *
     * @throws IOException if reading the channel fails
     */
    public byte[] next() throws IOException {
        int n = nextSlice();
        return n < 0 ? null : Arrays.copyOfRange(buf, sliceOffset, sliceOffset + n);
    }

    private int sliceOffset;

    /**
     * Advances to the next chunk without copying it and returns its length, or {@code -1} at the end of input. The
     * chunk is {@code buffer()[sliceOffset() .. sliceOffset() + length)}; it stays valid until the next call of
     * {@link #next()} or {@link #nextSlice()} and must not be modified.
     *
     * @throws IOException if reading the channel fails
     */
    public int nextSlice() throws IOException {
        int want = lookahead;
        while (true) {
            fill(want);
            int avail = end - start;
            if (avail == 0) {
                return -1;
            }
            while (nextCut < forcedCuts.length && forcedCuts[nextCut] <= position) {
                nextCut++;
            }
            int len = avail;
            boolean last = eof;
            if (nextCut < forcedCuts.length && forcedCuts[nextCut] - position <= avail) {
                len = (int) (forcedCuts[nextCut] - position);
                last = true;
            }
            int n;
            if (last || len >= maxSize) {
                n = chunker.cut(buf, start, len, last);
            } else {
                // Fewer than maxSize bytes buffered: a boundary found before their end is the one the chunker would
                // find with all of them (see Chunker.cut), so most chunks need only `lookahead` bytes in memory.
                n = chunker.cut(buf, start, len, true);
                if (n == len) {
                    want = maxSize; // no boundary yet: look as far as a chunk can reach
                    continue;
                }
            }
            sliceOffset = start;
            start += n;
            position += n;
            return n;
        }
    }

    /** Where the chunk returned by the last {@link #nextSlice()} starts in {@link #buffer()}. */
    public int sliceOffset() {
        return sliceOffset;
    }

    /** The position of the next chunk: the number of bytes returned so far. */
    public long position() {
        return position;
    }

    /** Closes the channel. */
    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Reads until at least {@code want} bytes are buffered or the input ends. The buffer grows (dropping consumed
     * bytes) until it holds twice {@code want}; from then on, consumed bytes are dropped by moving the rest to the
     * front, which copies at most one byte per byte consumed.
     */
    private void fill(int want) throws IOException {
        while (!eof && end - start < want) {
            if (end == buf.length) {
                int avail = end - start;
                int preferred = (int) Math.min(capacity, 2L * want);
                if (buf.length < preferred) {
                    byte[] grown = new byte[Math.min(preferred, Math.max(2 * buf.length, avail + READ_SLICE))];
                    System.arraycopy(buf, start, grown, 0, avail);
                    buf = grown;
                    window = ByteBuffer.wrap(buf);
                } else {
                    System.arraycopy(buf, start, buf, 0, avail);
                }
                start = 0;
                end = avail;
            }
            window.limit(Math.min(buf.length, end + READ_SLICE)).position(end);
            int r = in.read(window);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
            }
        }
    }
}
