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
}
