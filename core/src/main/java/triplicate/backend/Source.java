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
