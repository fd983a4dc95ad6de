package triplicate.backend.sftp;

import java.io.IOException;

/**
 * The server could not be trusted (unknown or changed host key) or refused the login. Not transient: retrying the
 * same credentials against the same key will not help. The message says what to do and names no secret.
 */
final class SftpLoginException extends IOException {
    private static final long serialVersionUID = 1L;

    SftpLoginException(String message) {
        super(message);
    }
}
