package triplicate.crypto;

import java.time.Instant;

/**
 * What a key file says about itself, readable without the password ({@link KeyFiles#describe}). Apart from
 * {@code id}, the values are informational and unauthenticated: editing them cannot unlock anything, but they are
 * only as trustworthy as the storage.
 *
 * @param id       the key file's name in a vault: the lowercase hex SHA-256 of its bytes (vault files are named by
 *                 the SHA-256 of their content, see {@link triplicate.core.Id}); not stored inside the file
 * @param created  when the key file was written
 * @param host     the host name it was written on, or {@code null}
 * @param username the user who wrote it, or {@code null}
 * @param kdf      how its password is stretched
 */
public record KeyInfo(String id, Instant created, String host, String username, KdfParams kdf) {
}
