package triplicate.chunker;

import java.util.Objects;

/**
 * FastCDC-style content-defined chunking with a 64-bit gear hash.
 *
 * <p>The boundary test at chunk length {@code L} (for {@code minSize <= L <= maxSize}) is
 * {@code (fp & mask) == 0}, where {@code fp} is the gear hash {@code fp = (fp << 1) + gear[b]} over the 64 bytes
 * ending at {@code L} and {@code mask} selects the top bits of {@code fp} (the bits that depend on all 64 bytes):
 * <ul>
 *   <li>normalized chunking, FastCDC level 2: {@code log2(avgSize) + 2} bits while {@code L <= avgSize} (a cut is
 *       4 times less likely than on average) and {@code log2(avgSize) - 2} bits after (4 times more likely), which
 *       concentrates the sizes around {@code avgSize};</li>
 *   <li>the first {@code minSize - 64} bytes of a chunk are not hashed at all; hashing starts 64 bytes before
 *       {@code minSize} so that whether a position is a boundary depends only on the 64 bytes before it and on its
 *       distance from the chunk's start, never on older bytes.</li>
 * </ul>
 *
 * <p>The 256-entry gear table is derived from {@link ChunkerParams#seed()} with SplitMix64, so each vault has its own
 * boundaries. The boundaries for a given seed and parameters are part of the vault format and must never change.
 *
 * <p>Immutable and thread-safe: one instance may serve any number of threads.
 */
public final class Chunker {

    /** The number of bytes the gear hash depends on (the width of {@code fp} in bits). */
    static final int WINDOW = 64;

    private final ChunkerParams params;
    private final long[] gear;
    private final long maskS;
    private final long maskL;
    private final int minSize;
    private final int avgSize;
    private final int maxSize;

    public Chunker(ChunkerParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.gear = gearTable(params.seed());
        int bits = Integer.numberOfTrailingZeros(params.avgSize());
        this.maskS = topBits(bits + 2);
        this.maskL = topBits(bits - 2);
        this.minSize = params.minSize();
        this.avgSize = params.avgSize();
        this.maxSize = params.maxSize();
    }

    public ChunkerParams params() {
        return params;
    }

    /**
     * Returns the length of the chunk that starts at {@code buf[off]}: the first content-defined boundary in
     * {@code buf[off + minSize - 1 .. off + min(len, maxSize) - 1]}, or else {@code min(len, maxSize)}.
     *
     * <p>Contract: the bytes {@code buf[off .. off + len)} are the input from the chunk's start on.
     * <ul>
     *   <li>If {@code eof} is {@code false}, more input follows and {@code len} must be at least {@code maxSize}
     *       (so that the result does not depend on how the input was buffered); otherwise this throws
     *       {@link IllegalArgumentException}. The result is then in {@code [minSize, maxSize]}.</li>
     *   <li>If {@code eof} is {@code true}, the input (or the segment up to a forced cut) ends after these {@code len}
     *       bytes: the result is {@code len} when {@code len <= minSize} or no boundary comes before the end, and is
     *       otherwise in {@code [minSize, min(len, maxSize)]}. It is 0 only when {@code len} is 0.</li>
     * </ul>
     * A boundary depends only on the bytes before it: passing more bytes, or fewer with {@code eof}, does not move a
     * boundary that lies within both inputs. So however the caller buffers, a stream is chunked the same way.
     * Does not allocate and does not modify {@code buf}.
     *
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not lie within {@code buf}
     * @throws IllegalArgumentException if {@code !eof && len < maxSize}
     */
    public int cut(byte[] buf, int off, int len, boolean eof) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!eof && len < maxSize) {
            throw new IllegalArgumentException("before the end of input, pass at least maxSize (" + maxSize
                    + ") bytes, not " + len);
        }
        if (len <= minSize) {
            return len;
        }
        final int end = off + Math.min(len, maxSize);
        final int normal = off + Math.min(len, avgSize);
        final long[] g = gear;
        final long ms = maskS;
        final long ml = maskL;
        long fp = 0;
        int i = off + minSize - WINDOW;
        // warm up: after these 63 bytes and the first one below, fp covers exactly the 64 bytes before minSize
        for (final int first = off + minSize - 1; i < first; i++) {
            fp = (fp << 1) + g[buf[i] & 0xff];
        }
        for (; i < normal; i++) {
            fp = (fp << 1) + g[buf[i] & 0xff];
            if ((fp & ms) == 0) {
                return i + 1 - off;
            }
        }
        for (; i < end; i++) {
            fp = (fp << 1) + g[buf[i] & 0xff];
            if ((fp & ml) == 0) {
                return i + 1 - off;
            }
        }
        return end - off;
    }

    /** A mask of the top {@code n} bits of a long. */
    private static long topBits(int n) {
        return -1L << (Long.SIZE - n);
    }

    /** The gear table for {@code seed}: the first 256 outputs of SplitMix64 seeded with {@code seed}. */
    static long[] gearTable(long seed) {
        long[] table = new long[256];
        long state = seed;
        for (int i = 0; i < table.length; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }

    /** Entry {@code i} of this chunker's gear table (for golden tests). */
    long gear(int i) {
        return gear[i];
    }

    @Override
    public String toString() {
        return "Chunker[" + params + "]";
    }
}
