package triplicate.repository;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.core.FileType;
import triplicate.core.SessionExpiredException;

/**
 * A heartbeat marker in the vault's {@code locks/} folder that says "this process is working here" for as long as
 * it runs: a backup (so prune keeps what it may reuse), a restore or a check (so prune does not delete a pack they
 * are about to read), or a prune itself (the maintenance lock). It is saved when the session starts and replaced
 * every heartbeat by its next generation: the new one is saved first, then the old one removed, so the owner is
 * always listed. A process that dies leaves a marker that no longer advances; a prune that watches it not advance
 * for longer than its patience takes it for dead and removes it ({@link LockFolder}).
 *
 * <p>If this process was paused (a laptop asleep) for longer than that, a prune records it as dead
 * ({@code locks/dead-OWNER}) before it removes its markers and goes on deleting. Every refresh and
 * {@link #ensureAlive} look for that record; once it is there the session counts as expired and
 * {@link #ensureAlive} fails, so a backup does not save a snapshot that may name data the prune deleted meanwhile.
 * (The record, not a missing marker, is the signal: a removal whose answer was lost and retried also finds the
 * marker missing.)
 *
 * <p>Storage that refuses deletes (an append-only credential) keeps the older generations; that is harmless (a
 * prune with full rights removes them with the dead owner). Thread-safe.
 */
public final class Session implements AutoCloseable {
    private final Backend backend;
    private final LockFolder locks;
    private final ScheduledExecutorService timer;
    private final Object refreshLock = new Object();
    private volatile LockFolder.MarkerInfo current;
    private volatile boolean expired;
    private volatile boolean closed;

    private Session(Backend backend, LockFolder locks, LockFolder.MarkerInfo first, Duration heartbeat) {
        this.backend = backend;
        this.locks = locks;
        this.current = first;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "triplicate-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, heartbeat.toMillis());
        timer.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Saves the first marker and starts refreshing it every {@code heartbeat}. */
    static Session start(Backend backend, LockFolder locks, LockFolder.MarkerInfo first, Duration heartbeat)
            throws IOException {
        locks.saveMarker(first);
        return new Session(backend, locks, first, heartbeat);
    }

    /** The owner id in the marker's name. */
    public String owner() {
        return current.owner();
    }

    /** The marker as it is now. */
    public LockFolder.MarkerName marker() {
        return current.name();
    }

    /** Whether a prune took this session for dead and removed its marker. */
    public boolean expired() {
        return expired;
    }

    /**
     * Checks that the marker is still there (no prune took this session for dead). Throws
     * {@link SessionExpiredException} otherwise. A backup calls it before and after saving its snapshot.
     */
    public void ensureAlive() throws IOException {
        if (!expired && locks.isDead(current.owner())) {
            expired = true;
        }
        if (expired) {
            throw new SessionExpiredException("this " + current.activity() + " was paused or cut off from the vault"
                    + " for longer than a prune waits for a process that is still alive, and a prune took it for a"
                    + " crashed one (see locks/" + LockFolder.DEAD + "-" + current.owner() + ")");
        }
    }

    /** Saves the next generation, then removes the current one. */
    void refresh() throws IOException {
        synchronized (refreshLock) {
            if (closed) {
                return;
            }
            LockFolder.MarkerInfo old = current;
            LockFolder.MarkerInfo next = old.next();
            locks.saveMarker(next);
            current = next;
            if (locks.isDead(old.owner())) {
                expired = true; // a prune took this process for dead
            }
            try {
                backend.remove(new Handle(FileType.LOCK, old.name().fileName()));
            } catch (NoSuchFileException | AccessDeniedException e) {
                // removed by a prune (which wrote the dead record checked above), or our own earlier attempt whose
                // answer was lost; or append-only storage, where the old generation stays, which is harmless
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (IOException | RuntimeException e) {
            // the next heartbeat tries again; if none gets through for long, a prune may take this session for
            // dead, which ensureAlive then reports
        }
    }

    /** Stops refreshing and removes the marker (best effort: a marker left behind expires). */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (refreshLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                backend.remove(new Handle(FileType.LOCK, current.name().fileName()));
            } catch (IOException | RuntimeException e) {
                // gone already, or append-only storage: a prune removes it once it has stopped advancing
            }
        }
    }
}
