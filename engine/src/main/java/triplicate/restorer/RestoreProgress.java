package triplicate.restorer;

import java.util.concurrent.atomic.LongAdder;

/** Live counters of a running restore. */
public final class RestoreProgress {
    final LongAdder files = new LongAdder();
    final LongAdder bytes = new LongAdder();
    volatile long bytesTotal;
    volatile long filesTotal;

    public long filesDone() {
        return files.sum();
    }

    public long bytesDone() {
        return bytes.sum();
    }

    public long bytesTotal() {
        return bytesTotal;
    }

    public long filesTotal() {
        return filesTotal;
    }
}
