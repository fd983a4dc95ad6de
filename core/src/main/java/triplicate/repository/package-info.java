/**
 * A vault on top of one {@link triplicate.backend.Backend}: config, keys, packs of sealed blobs, index files and
 * snapshots. Owns the on-disk format (docs/design/vault-format.md); knows nothing of the file system being backed
 * up, the CLI or photos.
 */
package triplicate.repository;
