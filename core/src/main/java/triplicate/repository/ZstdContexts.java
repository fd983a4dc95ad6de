package triplicate.repository;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reusable zstd contexts for one open vault. Creating a context allocates and initialises the compressor's tables
 * (hundreds of KiB), which costs more than compressing a small blob; so each call borrows one and gives it back.
 * Contexts hold native memory: {@link #close} frees them (the vault closes this when it closes). Thread-safe.
 */
final class ZstdContexts implements AutoCloseable {
    private final ConcurrentLinkedQueue<ZstdCompressCtx>[] compressors;
    private final int[] levels;
    private final ConcurrentLinkedQueue<ZstdDecompressCtx> decompressors = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** Pools for compressing at each of {@code levels}. */
    @SuppressWarnings("unchecked")
    ZstdContexts(int... levels) {
        this.levels = levels.clone();
        this.compressors = new ConcurrentLinkedQueue[levels.length];
        for (int i = 0; i < levels.length; i++) {
            compressors[i] = new ConcurrentLinkedQueue<>();
        }
    }

    private int slot(int level) {
        for (int i = 0; i < levels.length; i++) {
            if (levels[i] == level) {
                return i;
            }
        }
        throw new IllegalArgumentException("no pool for zstd level " + level);
    }

    /**
     * Compresses {@code srcLen} bytes of {@code src} from {@code srcOff} into {@code dst} at {@code level} (one
     * frame, with its content size, as {@code Zstd.compress} writes it); returns the compressed length, or -1 if
     * {@code dst} is too small.
     */
    int compress(int level, byte[] dst, byte[] src, int srcOff, int srcLen) {
        ConcurrentLinkedQueue<ZstdCompressCtx> pool = compressors[slot(level)];
        ZstdCompressCtx ctx = pool.poll();
        if (ctx == null) {
            ctx = new ZstdCompressCtx().setLevel(level).setContentSize(true);
        }
        try {
            return ctx.compressByteArray(dst, 0, dst.length, src, srcOff, srcLen);
        } catch (RuntimeException e) {
            // ZstdException: the output does not fit (the only failure possible with valid arguments)
            ctx.reset();
            ctx.setLevel(level).setContentSize(true);
            return -1;
        } finally {
            giveBack(pool, ctx);
        }
    }

    /** Decompresses {@code src} (one frame) into a new array of {@code rawLength} bytes, or shorter if it holds less. */
    byte[] decompress(byte[] src, int rawLength) {
        ZstdDecompressCtx ctx = decompressors.poll();
        if (ctx == null) {
            ctx = new ZstdDecompressCtx();
        }
        try {
            return ctx.decompress(src, rawLength);
        } catch (RuntimeException e) {
            ctx.reset();
            throw e;
        } finally {
            giveBack(decompressors, ctx);
        }
    }

    private <T extends java.io.Closeable> void giveBack(ConcurrentLinkedQueue<T> pool, T ctx) {
        pool.offer(ctx);
        if (closed && pool.remove(ctx)) {
            closeQuietly(ctx);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ConcurrentLinkedQueue<ZstdCompressCtx> pool : compressors) {
            for (ZstdCompressCtx c; (c = pool.poll()) != null; ) {
                closeQuietly(c);
            }
        }
        for (ZstdDecompressCtx d; (d = decompressors.poll()) != null; ) {
            closeQuietly(d);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (java.io.IOException | RuntimeException e) {
            // nothing to do: the memory is freed or was never allocated
        }
    }
}
