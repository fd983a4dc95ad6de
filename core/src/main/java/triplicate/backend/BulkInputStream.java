package triplicate.backend;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream whose reading is all in {@link #read(byte[], int, int)}: the one-byte {@link #read()} reads
 * through it, so a stream that limits a range, maps errors or resumes after a failure writes that once. Streams
 * that backends return are read in blocks; the one-byte read is there for completeness, not speed.
 *
 * <p>Everything else is {@link InputStream}'s: {@code skip} reads and discards through the bulk read, marks are not
 * supported, {@code available} answers 0 and {@code close} does nothing, unless a subclass does better.
 */
public abstract class BulkInputStream extends InputStream {

    protected BulkInputStream() {
    }

    /** Reads one byte through {@link #read(byte[], int, int)}. */
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
