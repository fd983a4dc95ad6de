package triplicate.core;

/**
 * Refused before anything was read: the data a command needs is in a cold storage class and not thawed yet. The
 * message says how many packs and bytes, how long a thaw takes, what it costs, and the command that starts it.
 */
public class ThawNeededException extends TriplicateException {
    public ThawNeededException(String message) {
        super(message);
    }
}
