package triplicate.backend.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import triplicate.backend.BulkInputStream;

/**
 * Reads at most {@code length} bytes of a file channel starting at {@code offset}, with positional reads; closes
 * the channel when closed. Read errors name the file.
 */
final class RangeInputStream extends BulkInputStream {
    private final FileChannel channel;
    private final String file;
    private long position;
    private long remaining;

    RangeInputStream(FileChannel channel, long offset, long length, String file) {
        this.channel = channel;
        this.position = offset;
        this.remaining = length;
        this.file = file;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int wanted = (int) Math.min(len, remaining);
        int n;
        try {
            n = channel.read(ByteBuffer.wrap(b, off, wanted), position);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (n < 0) {
            remaining = 0;
            return -1;
        }
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long size = channel.size();
        long skipped = Math.max(0, Math.min(n, Math.min(remaining, size - position)));
        position += skipped;
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.min(remaining, channel.size() - position)));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
