/**
 * A vault in a folder of a local or mounted file system: {@link triplicate.backend.local.LocalBackend}. Owns the
 * folder layout, atomic write-once saves (temporary file, flush, hard link, folder flush) and the clean-up of
 * temporary files left by crashes. It moves opaque bytes: it must not know about packs, encryption, snapshots or
 * photos, and it does not retry (retries are a decorator over any backend).
 */
package triplicate.backend.local;
