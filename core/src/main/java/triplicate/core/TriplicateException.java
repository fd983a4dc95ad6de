package triplicate.core;

/** Base of the errors Triplicate reports to users: the message says what happened and, where known, what to do. */
public class TriplicateException extends RuntimeException {
    public TriplicateException(String message) {
        super(message);
    }

    public TriplicateException(String message, Throwable cause) {
        super(message, cause);
    }
}
