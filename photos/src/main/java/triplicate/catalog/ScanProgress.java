package triplicate.catalog;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a running scan, for a progress display; read from any thread. */
public final class ScanProgress {
    final AtomicLong filesSeen = new AtomicLong();
    final AtomicLong filesToRead = new AtomicLong();
    final AtomicLong bytesToRead = new AtomicLong();
    final AtomicLong filesRead = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    volatile boolean walking = true;

    /** Files found so far in the library. */
    public long filesSeen() {
        return filesSeen.get();
    }

    /** Files found new or changed so far, which are read (hashed and their metadata read). */
    public long filesToRead() {
        return filesToRead.get();
    }

    public long bytesToRead() {
        return bytesToRead.get();
    }

    public long filesRead() {
        return filesRead.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    /** Whether the library is still being walked (the totals to read may still grow). */
    public boolean walking() {
        return walking;
    }
}
