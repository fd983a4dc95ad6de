package triplicate.backend.testkit;

/**
 * The operations of a {@link triplicate.backend.Backend} that reach storage, as the test wrappers count and fault
 * them. {@code load} and {@code exists} are not listed: they are made of {@link #OPEN} and {@link #STAT}.
 */
public enum Operation {
    SAVE,
    OPEN,
    STAT,
    LIST,
    REMOVE
}
