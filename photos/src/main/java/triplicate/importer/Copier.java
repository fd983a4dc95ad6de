package triplicate.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * One worker's copying and hashing, with its own buffer (not thread-safe: one per thread). The source is read once:
 * what is read is hashed and written in the same pass. Failures say whose they are: a {@link SourceFailure} is the
 * source's (a card pulled out), a {@link LibraryFailure} the library's (a full or read-only disk).
 */
final class Copier {
    /** Large enough that a file is a few system calls, small enough for a bounded heap with several workers. */
    static final int BUFFER = 1 << 20;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final MessageDigest sha256;
    private final SourceOpener opener;

    Copier(SourceOpener opener) {
        this.opener = opener;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens source files; replaced in tests by sources that fail. */
    @FunctionalInterface
    interface SourceOpener {
        SourceOpener FILES = p -> FileChannel.open(p, StandardOpenOption.READ);

        SeekableByteChannel open(Path file) throws IOException;
    }

    /** A source read failed. */
    static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A library write or read failed. */
    static final class LibraryFailure extends IOException {
        LibraryFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** What a read pass saw. */
    record Read(long size, String sha256, boolean jpegEndMarker) {
    }

    /**
     * A copy written to a temporary file, still open: {@link #seal} syncs it, {@link #abandon} deletes it.
     */
    final class Written implements AutoCloseable {
        final Path temp;
        final Read read;
        private final FileChannel out;
        private boolean closed;

        private Written(Path temp, Read read, FileChannel out) {
            this.temp = temp;
            this.read = read;
            this.out = out;
        }

        /** Gives the copy the source's modification time and syncs data and metadata to the disk. */
        void seal(FileTime mtime) throws LibraryFailure {
            try {
                Files.setLastModifiedTime(temp, mtime);
                out.force(true);
                closed = true;
                out.close();
            } catch (IOException e) {
                throw new LibraryFailure(e);
            }
        }

        /** Closes and deletes the temporary file. */
        void abandon() {
            close();
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // the next import's start deletes it
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    out.close();
                } catch (IOException e) {
                    // nothing was promised about this file
                }
            }
        }
    }

    /** Copies {@code source} into the new file {@code temp}, hashing what it reads. */
    Written copy(Path source, Path temp, LongConsumer progress) throws IOException {
        FileChannel out;
        try {
            out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LibraryFailure(e);
        }
        Written w = null;
        try (SeekableByteChannel in = openSource(source)) {
            Read r = pass(in, out, progress, true);
            w = new Written(temp, r, out);
            return w;
        } finally {
            if (w == null) {
                try {
                    out.close();
                } catch (IOException e) {
                    // already failing
                }
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // the next import's start deletes it
                }
            }
        }
    }

    /** Hashes a source file (read only). */
    Read hashSource(Path source, LongConsumer progress) throws IOException {
        try (SeekableByteChannel in = openSource(source)) {
            return pass(in, null, progress, true);
        }
    }

    /** Hashes a file of the library (read only). */
    Read hashLibrary(Path file) throws LibraryFailure {
        try (SeekableByteChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return pass(in, null, n -> { }, false);
        } catch (LibraryFailure e) {
            throw e;
        } catch (IOException e) {
            throw new LibraryFailure(e);
        }
    }

    private SeekableByteChannel openSource(Path source) throws SourceFailure {
        try {
            return opener.open(source);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    /** Reads {@code in} to its end, hashing, and writing to {@code out} if not null. */
    private Read pass(SeekableByteChannel in, FileChannel out, LongConsumer progress, boolean fromSource)
            throws IOException {
        sha256.reset();
        long size = 0;
        int lastByte = -1;
        int beforeLast = -1;
        int previousChunkEnd = -1;
        while (true) {
            buffer.clear();
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw fromSource ? new SourceFailure(e) : new LibraryFailure(e);
            }
            if (n < 0) {
                break;
            }
            if (n == 0) {
                continue;
            }
            buffer.flip();
            // the last two bytes before any trailing 0x00/0xFF padding, to see a JPEG's end-of-image marker
            int j = buffer.limit() - 1;
            while (j >= 0 && (buffer.get(j) == 0 || buffer.get(j) == (byte) 0xFF)) {
                j--;
            }
            if (j >= 0) {
                lastByte = buffer.get(j) & 0xFF;
                beforeLast = j > 0 ? buffer.get(j - 1) & 0xFF : previousChunkEnd;
            }
            previousChunkEnd = buffer.get(buffer.limit() - 1) & 0xFF;
            sha256.update(buffer);
            if (out != null) {
                buffer.rewind();
                try {
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                } catch (IOException e) {
                    throw new LibraryFailure(e);
                }
            }
            size += n;
            progress.accept(n);
        }
        return new Read(size, HexFormat.of().formatHex(sha256.digest()), lastByte == 0xD9 && beforeLast == 0xFF);
    }
}
