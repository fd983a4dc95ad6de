package triplicate.backend.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.util.List;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;

/**
 * A backend that refuses every {@link #remove} with {@link AccessDeniedException}, as an append-only storage key
 * does (an S3 key without delete permission, rclone {@code --append-only}, restic's rest-server
 * {@code --append-only}). Everything else passes through. Tests use it to show that backups work without deletes
 * and that prune fails cleanly, leaving the vault intact.
 */
public final class RefusingDeletesBackend implements Backend {
    private final Backend inner;

    public RefusingDeletesBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public void remove(Handle handle) throws IOException {
        throw new AccessDeniedException(inner.location() + ": " + handle, null,
                "deletes are refused: this storage is append-only");
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        inner.save(handle, source);
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        return inner.open(handle, offset, length);
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        return inner.stat(handle);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        return inner.list(type);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return "append-only " + inner;
    }
}
