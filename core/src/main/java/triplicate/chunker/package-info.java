/**
 * Content-defined chunking and photo-aware cut points: how a file is split into the blobs a vault stores.
 *
 * <ul>
 *   <li>{@link triplicate.chunker.Chunker}: FastCDC-style boundaries from a 64-bit gear hash whose table is derived
 *       from a per-vault secret seed ({@link triplicate.chunker.ChunkerParams}).</li>
 *   <li>{@link triplicate.chunker.FileChunker}: applies a chunker to a stream, with forced cuts that no chunk
 *       crosses.</li>
 *   <li>{@link triplicate.chunker.PhotoBoundaries}: finds where a photo's metadata ends and its image data begins
 *       (JPEG, ISOBMFF/HEIC, TIFF-based RAW), so that a metadata edit changes a small chunk and the image data
 *       still deduplicates.</li>
 * </ul>
 *
 * <p>This package does no I/O besides reading the channel it is handed (it never opens a file), holds no crypto
 * (chunk ids, keys and the derivation of the seed belong to {@code crypto} and {@code repository}) and knows
 * nothing of packs, indexes or backends. Everything here is immutable or confined to one caller; there is no static
 * mutable state.
 *
 * <p>The chunk boundaries are part of the vault format: for a given seed and parameters they must never change.
 * {@code ChunkerTest} pins them with golden vectors; changing them requires a format version bump.
 */
package triplicate.chunker;
