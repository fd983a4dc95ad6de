package triplicate.core;

/** No key file of the vault opens with the given password. */
public class WrongPasswordException extends TriplicateException {
    public WrongPasswordException(String message) {
        super(message);
    }
}
