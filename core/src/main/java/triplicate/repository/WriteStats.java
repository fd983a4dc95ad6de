package triplicate.repository;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what this session added to the vault. Thread-safe. */
public final class WriteStats {
    private final LongAdder blobs = new LongAdder();
    private final LongAdder plainBytes = new LongAdder();
    private final LongAdder sealedBytes = new LongAdder();
    private final LongAdder packs = new LongAdder();
    private final LongAdder packBytes = new LongAdder();

    void blobAdded(long plain, long sealed) {
        blobs.increment();
        plainBytes.add(plain);
        sealedBytes.add(sealed);
    }

    void packWritten(long bytes) {
        packs.increment();
        packBytes.add(bytes);
    }

    public long blobsAdded() {
        return blobs.sum();
    }

    public long bytesAdded() {
        return plainBytes.sum();
    }

    public long bytesSealed() {
        return sealedBytes.sum();
    }

    public long packsWritten() {
        return packs.sum();
    }

    public long packBytesWritten() {
        return packBytes.sum();
    }
}
