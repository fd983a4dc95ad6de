package triplicate.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on the terminal (files, bytes, rate, ETA), redrawn twice a second. Does nothing when
 * not on a terminal or with --json, so scripts get clean output.
 */
final class Progress implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final PrintWriter err;
    private final long start = System.nanoTime();
    private int lastWidth;

    Progress(boolean enabled, PrintWriter err, LongSupplier files, LongSupplier filesTotal, LongSupplier bytes,
             LongSupplier bytesTotal) {
        this.err = err;
        if (!enabled) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "triplicate-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> draw(files.getAsLong(), filesTotal.getAsLong(), bytes.getAsLong(),
                bytesTotal.getAsLong()), 500, 500, TimeUnit.MILLISECONDS);
    }

    private synchronized void draw(long files, long filesTotal, long bytes, long bytesTotal) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = secs > 0 ? bytes / secs : 0;
        String eta = rate > 0 && bytesTotal > bytes
                ? Format.duration(Duration.ofSeconds((long) ((bytesTotal - bytes) / rate))) : "-";
        int pct = bytesTotal > 0 ? (int) Math.min(100, bytes * 100 / bytesTotal) : 0;
        int width = 20;
        int filled = pct * width / 100;
        String line = String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d files  %s/%s  %s  ETA %s",
                "#".repeat(filled), " ".repeat(width - filled), pct, files, filesTotal, Format.bytes(bytes),
                Format.bytes(bytesTotal), Format.rate(bytes, secs), eta);
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        err.flush();
        lastWidth = line.length();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
        }
    }
}
