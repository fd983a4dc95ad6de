package triplicate.backend.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import triplicate.backend.Backend;
import triplicate.backend.ColdState;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.StorageHint;
import triplicate.backend.ThawTier;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.ColdStorageException;
import triplicate.core.FileType;

/**
 * Simulates the thaw semantics of S3's archive classes (GLACIER, DEEP_ARCHIVE) over any backend, as S3 documents
 * them, since no S3 server that runs here (S3Proxy) refuses reads of archived objects: a pack saved with
 * {@link StorageHint#MAY_BE_COLD} is archived; reading it fails with {@link ColdStorageException} (S3: 403
 * InvalidObjectState) until a thaw was requested ({@link #requestThaw}, S3: RestoreObject) and {@code thawDelay} has
 * passed on {@code clock} (S3: {@code x-amz-restore: ongoing-request="true"} until then); a second request while one
 * is under way or done is not a new one (S3: 409 RestoreAlreadyInProgress, or 200). {@code stat}, {@code list} and
 * {@code remove} work on archived files, as in S3. Everything else passes through.
 *
 * <p>Its state (which packs are archived, when their thaw is done) lives in files under {@code stateDir}, so that
 * several CLI runs in one test see the same storage.
 */
public final class ColdStorageBackend extends ForwardingBackend {
    private final Path stateDir;
    private final String storageClass;
    private final InstantSource clock;
    private final Duration thawDelay;
    private final AtomicInteger thawRequests = new AtomicInteger();

    public ColdStorageBackend(Backend inner, Path stateDir, String storageClass, InstantSource clock,
                              Duration thawDelay) throws IOException {
        super(inner);
        this.stateDir = Files.createDirectories(stateDir);
        this.storageClass = storageClass;
        this.clock = clock;
        this.thawDelay = thawDelay;
    }

    /**
     * Makes every thaw requested in {@code stateDir} done now, as hours passing would: how tests finish a thaw
     * without waiting on the wall clock.
     */
    public static void finishThaws(Path stateDir) throws IOException {
        try (var files = Files.list(stateDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".thaw")).toList()) {
                Files.writeString(f, Instant.EPOCH.toString());
            }
        }
    }

    /** How many new thaw requests this instance sent. */
    public int thawRequests() {
        return thawRequests.get();
    }

    private Path marker(Handle h, String kind) {
        return stateDir.resolve(h.type().folder() + "-" + h.name() + "." + kind);
    }

    /** Whether the file is archived (saved as may-be-cold). */
    public boolean archived(Handle h) {
        return Files.exists(marker(h, "cold"));
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        inner.save(handle, source);
        if (handle.type() == FileType.PACK && source.storageHint() == StorageHint.MAY_BE_COLD) {
            Files.writeString(marker(handle, "cold"), storageClass);
        }
    }

    @Override
    public boolean mayHoldColdFiles() {
        return true;
    }

    @Override
    public ColdState coldState(Handle handle) throws IOException {
        inner.stat(handle); // a HEAD: fails for a missing file
        if (!archived(handle)) {
            return ColdState.HOT;
        }
        Path thaw = marker(handle, "thaw");
        if (!Files.exists(thaw)) {
            return new ColdState(ColdState.Status.COLD, storageClass, null);
        }
        Instant ready = Instant.parse(Files.readString(thaw, StandardCharsets.US_ASCII).trim());
        return clock.instant().isBefore(ready) ? new ColdState(ColdState.Status.THAWING, storageClass, null)
                : new ColdState(ColdState.Status.THAWED, storageClass, ready.plus(Duration.ofDays(1)));
    }

    @Override
    public boolean requestThaw(Handle handle, int days, ThawTier tier) throws IOException {
        ColdState s = coldState(handle);
        if (s.status() == ColdState.Status.HOT) {
            throw new IOException(location() + ": " + handle + " is not in an archive class; it needs no thaw");
        }
        if (s.status() != ColdState.Status.COLD) {
            return false;
        }
        Files.writeString(marker(handle, "thaw"), clock.instant().plus(thawDelay).toString());
        thawRequests.incrementAndGet();
        return true;
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        if (archived(handle) && !coldState(handle).readable()) {
            throw new ColdStorageException(location() + ": " + handle + " is in storage class " + storageClass
                    + " and is not thawed (simulated archive): run `triplicate thaw SNAPSHOT` first",
                    handle.toString(), storageClass);
        }
        return inner.open(handle, offset, length);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        inner.remove(handle);
        Files.deleteIfExists(marker(handle, "cold"));
        Files.deleteIfExists(marker(handle, "thaw"));
    }
}
