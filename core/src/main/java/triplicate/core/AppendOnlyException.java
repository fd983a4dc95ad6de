package triplicate.core;

/**
 * The storage refused a delete: the vault is reached with an append-only credential (a key that may add files but
 * not delete them). Backups work with such a credential; forget, prune and undelete do not.
 */
public class AppendOnlyException extends TriplicateException {
    public AppendOnlyException(String message, Throwable cause) {
        super(message, cause);
    }
}
