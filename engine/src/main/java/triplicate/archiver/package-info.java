/**
 * The backup pipeline: walks the source tree, recognises unchanged files from the parent snapshot (by path, and by
 * device + inode + size + mtime so renamed folders are not re-read), chunks, hashes, seals and packs the rest in
 * parallel with bounded memory, then writes trees and the snapshot. Also what else writes snapshots: one file saved as
 * a snapshot of its own, and snapshots copied from another vault. Knows the local file system and the repository;
 * knows nothing of the CLI.
 */
package triplicate.archiver;
