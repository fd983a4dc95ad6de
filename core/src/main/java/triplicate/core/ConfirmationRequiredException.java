package triplicate.core;

/**
 * A command would do something drastic that the user must confirm explicitly (for forget: a policy that removes
 * every snapshot of a group needs {@code --force}). Nothing was changed.
 */
public class ConfirmationRequiredException extends TriplicateException {
    public ConfirmationRequiredException(String message) {
        super(message);
    }
}
