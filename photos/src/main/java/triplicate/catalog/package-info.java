/**
 * The catalog: an embedded SQLite database of every file in the library (path, size, SHA-256, mtime, format), the
 * assets they form (a RAW with its JPEG twin and XMP sidecar, a HEIC with its Live Photo movie), their metadata,
 * shoots, and every known copy of every file with its last verification. The schema is versioned and migrated.
 * Links to vault snapshots by id only; never opens a vault.
 */
package triplicate.catalog;
