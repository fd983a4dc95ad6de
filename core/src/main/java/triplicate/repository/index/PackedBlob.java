package triplicate.repository.index;

import triplicate.core.BlobType;
import triplicate.core.Id;

/**
 * Where one blob is stored: in pack {@code pack} at {@code offset}, {@code length} sealed bytes, which open to
 * {@code rawLength} plaintext bytes (after decompression when {@code compressed}).
 */
public record PackedBlob(Id id, BlobType type, Id pack, long offset, int length, int rawLength, boolean compressed) {
}
