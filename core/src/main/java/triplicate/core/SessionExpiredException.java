package triplicate.core;

/**
 * A long operation (a backup) lost its marker in the vault's {@code locks/} folder: it was paused or cut off for
 * longer than a prune waits for a live process, and a prune took it for a crashed one. A backup then does not keep
 * its snapshot, since the prune may have deleted data the snapshot would name; running it again is safe.
 */
public class SessionExpiredException extends TriplicateException {
    public SessionExpiredException(String message) {
        super(message);
    }
}
