package triplicate.app;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a mirror run (or a verify) for a progress display; read from any thread. */
public final class MirrorProgress {
    final AtomicLong files = new AtomicLong();
    final AtomicLong filesTotal = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong bytesTotal = new AtomicLong();

    public long files() {
        return files.get();
    }

    public long filesTotal() {
        return filesTotal.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long bytesTotal() {
        return bytesTotal.get();
    }
}
