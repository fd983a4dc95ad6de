package triplicate.backend.mem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;

/**
 * A backend that keeps its files in memory: real code, not a mock, so tests and benchmarks exercise the same
 * contract as disk and network backends. Bytes are copied on the way in and on the way out, so neither the caller
 * of {@link #save} nor a reader can change what is stored. Thread-safe; files live as long as this object.
 *
 * <p>After {@link #close()} every operation fails; the files are dropped.
 */
public final class MemoryBackend implements Backend {
    /** Files larger than this cannot be held in one array. */
    private static final long MAX_SIZE = Integer.MAX_VALUE - 16;

    private final String location;
    private final Map<FileType, ConcurrentHashMap<String, byte[]>> files = new EnumMap<>(FileType.class);
    private volatile boolean closed;

    /** An empty backend whose {@link #location()} is {@code memory:<name>}. */
    public MemoryBackend(String name) {
        this.location = "memory:" + name;
        for (FileType type : FileType.values()) {
            files.put(type, new ConcurrentHashMap<>());
        }
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        ConcurrentHashMap<String, byte[]> folder = folder(handle);
        if (folder.containsKey(handle.name())) {
            throw alreadyExists(handle);
        }
        byte[] bytes = read(handle, source);
        if (folder.putIfAbsent(handle.name(), bytes) != null) {
            throw alreadyExists(handle);
        }
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " for " + handle);
        }
        byte[] bytes = get(handle);
        int from = (int) Math.min(offset, bytes.length);
        int count = (int) (length < 0 ? bytes.length - from : Math.min(length, bytes.length - from));
        // the array is never modified after save, and the stream only hands out copies of it
        return new ByteArrayInputStream(bytes, from, count);
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        return new FileInfo(handle.name(), get(handle).length);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        ensureOpen();
        List<FileInfo> result = new ArrayList<>();
        files.get(type).forEach((name, bytes) -> result.add(new FileInfo(name, bytes.length)));
        return result;
    }

    @Override
    public void remove(Handle handle) throws IOException {
        if (folder(handle).remove(handle.name()) == null) {
            throw missing(handle);
        }
    }

    @Override
    public void close() {
        closed = true;
        files.values().forEach(Map::clear);
    }

    @Override
    public String toString() {
        return location;
    }

    private byte[] read(Handle handle, Source source) throws IOException {
        long length = source.length();
        if (length > MAX_SIZE) {
            throw new IOException(location + ": cannot save " + handle + ": " + length + " bytes is too large to keep in memory");
        }
        byte[] inMemory = source.bytesIfInMemory();
        byte[] bytes;
        if (inMemory != null) {
            bytes = inMemory.clone();
        } else {
            try (InputStream in = source.open()) {
                bytes = in.readNBytes((int) length);
                if (bytes.length == length && in.read() >= 0) {
                    throw new IOException(location + ": cannot save " + handle + ": the source holds more than the "
                            + length + " bytes it announced");
                }
            }
        }
        if (bytes.length != length) {
            throw new IOException(location + ": cannot save " + handle + ": the source delivered " + bytes.length
                    + " bytes, not the " + length + " it announced");
        }
        return bytes;
    }

    private byte[] get(Handle handle) throws IOException {
        byte[] bytes = folder(handle).get(handle.name());
        if (bytes == null) {
            throw missing(handle);
        }
        return bytes;
    }

    private ConcurrentHashMap<String, byte[]> folder(Handle handle) throws IOException {
        ensureOpen();
        if (handle.type() == FileType.CONFIG && !handle.name().equals("config")) {
            throw new IllegalArgumentException("the config file is named \"config\", not \"" + handle.name() + "\"");
        }
        return files.get(handle.type());
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(location + " is closed");
        }
    }

    private FileAlreadyExistsException alreadyExists(Handle handle) {
        return new FileAlreadyExistsException(location + ": " + handle, null, "already exists (files are write-once)");
    }

    private NoSuchFileException missing(Handle handle) {
        return new NoSuchFileException(location + ": " + handle);
    }
}
