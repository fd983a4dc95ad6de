package triplicate.core;

/** The location holds no vault (no config file). */
public class VaultNotFoundException extends TriplicateException {
    public VaultNotFoundException(String message) {
        super(message);
    }
}
