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
 * <p>Memory is bounded: one internal buffer, grown on demand up to {@code 2 * maxSize}, reused for the whole input
 * (small inputs use a small buffer). Each chunk is returned as a fresh array. The channel must be blocking; short
 * reads are fine.
 *
 * <p>Not thread-safe: one caller at a time. {@link #close()} closes the channel.
 */
public final class FileChunker implements AutoCloseable {

    private static final int INITIAL_BUFFER = 64 << 10;

    private final Chunker chunker;
    private final ReadableByteChannel in;
    private final long[] forcedCuts;
    private final int maxSize;
    private final int capacity;

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
        this.buf = new byte[Math.min(INITIAL_BUFFER, capacity)];
        this.window = ByteBuffer.wrap(buf);
    }

    /**
     * Returns the next chunk as a fresh array owned by the caller, or {@code null} at the end of input (an empty input
     * has no chunks).
     *
     * @throws IOException if reading the channel fails
     */
    public byte[] next() throws IOException {
        fill();
        int avail = end - start;
        if (avail == 0) {
            return null;
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
        int n = chunker.cut(buf, start, len, last);
        byte[] chunk = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        position += n;
        return chunk;
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

    /** Reads until at least {@code maxSize} bytes are buffered or the input ends. */
    private void fill() throws IOException {
        while (!eof && end - start < maxSize) {
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, Math.min(2 * buf.length, capacity));
                    window = ByteBuffer.wrap(buf);
                }
            }
            window.limit(buf.length).position(end);
            int r = in.read(window);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
            }
        }
    }
}
