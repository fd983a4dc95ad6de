/**
 * Key material and sealing: the vault's {@link triplicate.crypto.MasterKey}, AES-256-GCM
 * {@link triplicate.crypto.Sealer sealing}, keyed blob ids ({@link triplicate.crypto.IdHasher}) and
 * password-wrapped {@link triplicate.crypto.KeyFiles key files} derived with Argon2id.
 *
 * <p>This package does no I/O: it turns bytes into bytes, and the caller decides where they are stored. Randomness
 * is passed in as a {@link java.security.SecureRandom}. Secrets ({@link triplicate.crypto.MasterKey},
 * {@link triplicate.crypto.Password}) are {@link java.lang.AutoCloseable} and zeroed on close; no class here logs,
 * prints or puts a secret into an exception message or {@code toString()}. It knows nothing of packs, snapshots,
 * backends or photos. The format it writes is specified in {@code docs/design/crypto.md}.
 */
package triplicate.crypto;
