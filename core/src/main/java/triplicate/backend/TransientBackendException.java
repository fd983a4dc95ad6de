package triplicate.backend;

import java.io.IOException;

/** A failure that may succeed when retried (time-out, reset connection, throttling, server error). */
public class TransientBackendException extends IOException {
    public TransientBackendException(String message) {
        super(message);
    }

    public TransientBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
