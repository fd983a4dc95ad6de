package triplicate.archiver;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a running backup, read by progress displays from another thread. */
public final class BackupProgress {
    final LongAdder filesDone = new LongAdder();
    final LongAdder bytesDone = new LongAdder();
    final LongAdder filesTotal = new LongAdder();
    final LongAdder bytesTotal = new LongAdder();
    final AtomicBoolean scanDone = new AtomicBoolean();
    final LongAdder warnings = new LongAdder();

    public long filesDone() {
        return filesDone.sum();
    }

    public long bytesDone() {
        return bytesDone.sum();
    }

    /** Files found so far by the scanner (final once {@link #scanDone()}). */
    public long filesTotal() {
        return filesTotal.sum();
    }

    public long bytesTotal() {
        return bytesTotal.sum();
    }

    public boolean scanDone() {
        return scanDone.get();
    }

    public long warnings() {
        return warnings.sum();
    }
}
