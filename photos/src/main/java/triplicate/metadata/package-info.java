/**
 * What a photo file says about itself: capture time (with sub-seconds and offset when known), camera, lens,
 * exposure, dimensions, orientation, GPS, and the XMP rating, label and keywords, read with metadata-extractor.
 * Reading never fails on malformed metadata: what cannot be read is absent and the reason is recorded.
 * Knows nothing of the catalog, the library layout or vaults.
 */
package triplicate.metadata;
