package triplicate.chunker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Test helpers: inputs, channels and chunk bookkeeping. */
final class Chunks {

    /** Small sizes so that property tests see many chunks quickly. */
    static final ChunkerParams SMALL = new ChunkerParams(1024, 4096, 16384, 0x5eedL);

    private Chunks() {
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Chunks {@code data} with {@link FileChunker}, reading through a channel that returns short reads. */
    static List<byte[]> chunk(Chunker chunker, byte[] data, long[] forcedCuts) {
        try (FileChunker fc = new FileChunker(chunker, new ShortReads(data, 1), forcedCuts)) {
            List<byte[]> out = new ArrayList<>();
            for (byte[] c; (c = fc.next()) != null; ) {
                out.add(c);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<Integer> lengths(List<byte[]> chunks) {
        return chunks.stream().map(c -> c.length).toList();
    }

    /** The end offsets of the chunks (the last one is the input's length). */
    static List<Long> boundaries(List<byte[]> chunks) {
        List<Long> out = new ArrayList<>();
        long pos = 0;
        for (byte[] c : chunks) {
            pos += c.length;
            out.add(pos);
        }
        return out;
    }

    static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The bytes of the chunks in {@code now} whose content is not among the chunks in {@code before}. */
    static long newBytes(List<byte[]> before, List<byte[]> now) {
        Set<ByteBuffer> known = new HashSet<>();
        before.forEach(c -> known.add(ByteBuffer.wrap(c)));
        long n = 0;
        for (byte[] c : now) {
            if (known.add(ByteBuffer.wrap(c))) {
                n += c.length;
            }
        }
        return n;
    }

    static byte[] insert(byte[] data, int at, byte[] extra) {
        byte[] out = Arrays.copyOf(data, data.length + extra.length);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(data, at, out, at + extra.length, data.length - at);
        return out;
    }

    /** A blocking channel over an array that returns reads of random lengths (at least 1 byte). */
    static final class ShortReads implements ReadableByteChannel {
        private final byte[] data;
        private final SplittableRandom random;
        private int pos;
        private boolean open = true;

        ShortReads(byte[] data, long seed) {
            this.data = data;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos == data.length) {
                return -1;
            }
            int max = Math.min(dst.remaining(), data.length - pos);
            int n = random.nextInt(4) == 0 ? 1 + random.nextInt(Math.min(max, 1000)) : max;
            dst.put(data, pos, n);
            pos += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** A read-only seekable channel over an array that counts the bytes read. */
    static final class SeekableBytes implements SeekableByteChannel {
        private final byte[] data;
        private long pos;
        private long bytesRead;
        private boolean open = true;

        SeekableBytes(byte[] data) {
            this.data = data;
        }

        long bytesRead() {
            return bytesRead;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - pos);
            dst.put(data, (int) pos, n);
            pos += n;
            bytesRead += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return pos;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            if (newPosition < 0) {
                throw new IllegalArgumentException();
            }
            pos = newPosition;
            return this;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
