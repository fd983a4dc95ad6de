package triplicate.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes to save, readable as many times as a backend needs (retries re-open it). {@link #length()} is exact.
 */
public interface Source {
    long length();

    /** A fresh stream over all the bytes, from the start. */
    InputStream open() throws IOException;

    /** The bytes as one array if they are already in memory, else {@code null}; lets backends skip a copy. */
    default byte[] bytesIfInMemory() {
        return null;
    }

    /**
     * The bytes as a heap buffer (from its position to its limit, {@link #length()} bytes) if they are already in
     * memory, else {@code null}; lets backends skip a copy when the bytes are part of a larger array. The caller
     * must not modify the bytes. By default, {@link #bytesIfInMemory()} wrapped.
     */
    default java.nio.ByteBuffer bufferIfInMemory() {
        byte[] b = bytesIfInMemory();
        return b == null ? null : java.nio.ByteBuffer.wrap(b).asReadOnlyBuffer();
    }

    /**
     * How often the file will be read, so a backend with storage classes can place it (see {@link StorageHint}); not
     * part of the file's identity. {@link StorageHint#HOT} unless the source says otherwise. A wrapper that replaces a
     * source with one of its own (to count or limit its bytes) must pass this on.
     */
    default StorageHint storageHint() {
        return StorageHint.HOT;
    }

    /** This source with another {@link #storageHint()}. */
    default Source withStorageHint(StorageHint hint) {
        Source self = this;
        return new Source() {
            @Override
            public long length() {
                return self.length();
            }

            @Override
            public InputStream open() throws IOException {
                return self.open();
            }

            @Override
            public byte[] bytesIfInMemory() {
                return self.bytesIfInMemory();
            }

            @Override
            public java.nio.ByteBuffer bufferIfInMemory() {
                return self.bufferIfInMemory();
            }

            @Override
            public StorageHint storageHint() {
                return hint;
            }
        };
    }

    static Source of(byte[] bytes) {
        return new Source() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public byte[] bytesIfInMemory() {
                return bytes;
            }
        };
    }

    static Source of(Path file) throws IOException {
        long size = Files.size(file);
        return new Source() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    /**
     * Reads exactly {@code size} bytes of a source being saved, from {@code in} (where {@code before} bytes of the
     * {@code total} it announced were read already); a source that ends early fails, its message starting with
     * {@code saving} (such as "LOCATION: cannot save HANDLE").
     */
    static byte[] readAnnounced(java.io.InputStream in, int size, String saving, long before, long total)
            throws java.io.IOException {
        byte[] b = in.readNBytes(size);
        if (b.length != size) {
            throw new java.io.IOException(saving + ": the source ended after " + (before + b.length) + " of the "
                    + total + " bytes it announced");
        }
        return b;
    }

    /** {@link #readAnnounced} of a whole source of {@code size} bytes: one that holds more fails too. */
    static byte[] readAnnounced(java.io.InputStream in, int size, String saving) throws java.io.IOException {
        byte[] b = readAnnounced(in, size, saving, 0, size);
        if (in.read() >= 0) {
            throw new java.io.IOException(saving + ": the source holds more than the " + size + " bytes it announced");
        }
        return b;
    }
}
