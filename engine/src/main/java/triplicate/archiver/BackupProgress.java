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
    private final boolean countTotals;

    /** Counters with totals: the backup walks the source once more, ahead of the workers, to count it. */
    public BackupProgress() {
        this(true);
    }

    /**
     * @param countTotals whether to count the files and bytes to back up ahead of the workers (for a display of
     *                    the total and an ETA); without, {@link #filesTotal()} and {@link #bytesTotal()} stay 0 and
     *                    the source is walked only once
     */
    public BackupProgress(boolean countTotals) {
        this.countTotals = countTotals;
    }

    /** Whether totals are counted ahead (see {@link #BackupProgress(boolean)}). */
    public boolean countsTotals() {
        return countTotals;
    }

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
