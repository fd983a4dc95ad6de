package triplicate.core;

/** Stored bytes failed authentication or do not parse: the named file is damaged or was tampered with. */
public class VaultCorruptException extends TriplicateException {
    public VaultCorruptException(String message) {
        super(message);
    }

    public VaultCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
