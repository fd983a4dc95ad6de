package triplicate.importer;

import java.util.concurrent.atomic.LongAdder;

/** Live counters of a running import, read by progress displays from another thread. */
public final class ImportProgress {
    final LongAdder filesTotal = new LongAdder();
    final LongAdder bytesTotal = new LongAdder();
    final LongAdder filesDone = new LongAdder();
    final LongAdder bytesDone = new LongAdder();
    final LongAdder imported = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder warnings = new LongAdder();

    /** Photos, videos and sidecars to import (known once the source is scanned). */
    public long filesTotal() {
        return filesTotal.sum();
    }

    /** Their bytes. */
    public long bytesTotal() {
        return bytesTotal.sum();
    }

    /** Files dealt with so far (imported, duplicate or failed). */
    public long filesDone() {
        return filesDone.sum();
    }

    /** Source bytes read so far. */
    public long bytesDone() {
        return bytesDone.sum();
    }

    public long imported() {
        return imported.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long warnings() {
        return warnings.sum();
    }
}
