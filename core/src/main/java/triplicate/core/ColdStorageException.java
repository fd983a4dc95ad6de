package triplicate.core;

import java.io.IOException;

/**
 * A read of a file in a cold storage class (S3 Glacier Flexible Retrieval, Glacier Deep Archive, …) that was not
 * thawed: the storage refuses it until a thaw (restore request) is done, which takes minutes to days. Thrown by
 * backends; not transient: retrying does not help, so {@code RetryingBackend} passes it on at once. The message names
 * the file, its class, what to do, how long a thaw takes and what it costs.
 */
public class ColdStorageException extends IOException {
    private final String file;
    private final String storageClass;

    public ColdStorageException(String message, String file, String storageClass) {
        super(message);
        this.file = file;
        this.storageClass = storageClass;
    }

    /** The file that could not be read, as the backend names it ({@code data/NAME}). */
    public String file() {
        return file;
    }

    /** Its storage class, as the storage names it (null when unknown). */
    public String storageClass() {
        return storageClass;
    }

    /** {@code t} or the first of its causes that is a {@code ColdStorageException}, or null. */
    public static ColdStorageException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ColdStorageException cold) {
                return cold;
            }
        }
        return null;
    }
}
