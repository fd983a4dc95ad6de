package triplicate.core;

/** The vault uses a format version this build cannot read. */
public class UnsupportedVersionException extends TriplicateException {
    public UnsupportedVersionException(String message) {
        super(message);
    }
}
