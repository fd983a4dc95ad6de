package triplicate.core;

/** Another prune (or undelete) holds the vault's maintenance lock and is alive. */
public class VaultBusyException extends TriplicateException {
    public VaultBusyException(String message) {
        super(message);
    }
}
