package triplicate.backend.testkit;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.backend.wrap.ForwardingBackend;

/**
 * A backend that refuses every {@link #remove} with {@link AccessDeniedException}, as an append-only storage key
 * does (an S3 key without delete permission, rclone {@code --append-only}, restic's rest-server
 * {@code --append-only}). Everything else passes through. Tests use it to show that backups work without deletes
 * and that prune fails cleanly, leaving the vault intact.
 */
public final class RefusingDeletesBackend extends ForwardingBackend {
    public RefusingDeletesBackend(Backend inner) {
        super(inner);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        throw new AccessDeniedException(inner.location() + ": " + handle, null,
                "deletes are refused: this storage is append-only");
    }
}
