/**
 * Pack files: sealed blobs back to back, then a sealed header listing them, then the header's length. A pack is
 * self-describing, so the index can always be rebuilt from the packs alone.
 */
package triplicate.repository.pack;
