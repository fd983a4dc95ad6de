package triplicate.importer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import triplicate.core.TriplicateException;

/**
 * The importer's workspace in the library, {@code .triplicate/import-tmp/}: copies are written there and renamed
 * into place once verified, so no half-written file ever carries a library name. Opening it takes a lock (one import
 * into a library at a time) and deletes what an interrupted import left. Nothing else of {@code .triplicate/} is
 * touched.
 */
final class Staging implements AutoCloseable {
    static final String DIR = ".triplicate/import-tmp";
    private static final String LOCK = "lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong counter = new AtomicLong();

    private Staging(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens the workspace of {@code library}, creating it; fails if another import holds it. */
    static Staging open(Path library) throws IOException {
        Path dir = library.resolve(DIR);
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new TriplicateException("another import into " + library + " is running; wait for it to finish");
        }
        Staging s = new Staging(dir, ch, lock);
        try {
            s.clean();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Deletes every leftover of an interrupted import. */
    private void clean() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().equals(LOCK) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A name for a new temporary file (not created). */
    Path newTemp() {
        return dir.resolve(counter.incrementAndGet() + ".part");
    }

    /** Writes and syncs 1 MiB and deletes it: fails as writing photos would (a full or read-only disk). */
    void probe() throws IOException {
        Path p = newTemp();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(1 << 20);
            while (zeros.hasRemaining()) {
                ch.write(zeros);
            }
            ch.force(true);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
