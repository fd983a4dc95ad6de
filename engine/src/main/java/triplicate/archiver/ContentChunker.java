package triplicate.archiver;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import triplicate.chunker.Chunker;
import triplicate.chunker.FileChunker;
import triplicate.chunker.PhotoBoundaries;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;

/**
 * Cuts a local file into one vault's chunks exactly as a backup into that vault does (the photo-aware cut points,
 * then the vault's content-defined chunker) and hands each chunk, with its blob id in that vault, to a
 * {@link Sink}. A chunk whose id equals a blob id of the vault <em>is</em> that blob's content: the id is the
 * vault's keyed hash of it. That is how {@code heal} verifies a replacement for a damaged blob and how {@code copy}
 * moves files between vaults whose chunkers differ.
 *
 * <p>Not thread-safe: one file at a time. Holds one chunking buffer (up to twice the largest chunk) from file to
 * file.
 */
public final class ContentChunker {
    /** Receives each chunk in order; {@code buf} is reused after {@link #accept} returns. */
    public interface Sink {
        void accept(Id id, byte[] buf, int off, int len) throws IOException;
    }

    private final Chunker chunker;
    private final IdHasher hasher;
    private byte[] buffer;

    public ContentChunker(Repository repo) {
        this.chunker = new Chunker(repo.config().chunkerParams());
        this.hasher = repo.newIdHasher();
    }

    /** Chunks {@code file} from its start to its end; returns the bytes read. */
    public long chunk(Path file, Sink sink) throws IOException {
        long read = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] cuts = PhotoBoundaries.cuts(ch, ch.size());
            ch.position(0);
            try (FileChunker fc = new FileChunker(chunker, ch, cuts, buffer)) {
                try {
                    int n;
                    while ((n = fc.nextSlice()) >= 0) {
                        byte[] buf = fc.buffer();
                        int off = fc.sliceOffset();
                        sink.accept(hasher.id(buf, off, n), buf, off, n);
                        read += n;
                    }
                } finally {
                    buffer = fc.buffer();
                }
            }
        }
        return read;
    }

    /** The vault's blob id of {@code len} bytes of {@code buf} from {@code off}. */
    public Id id(byte[] buf, int off, int len) {
        return hasher.id(buf, off, len);
    }
}
