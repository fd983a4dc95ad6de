/**
 * The {@code s3://} backend: a vault in a bucket of AWS S3 or of any S3-compatible service (Backblaze B2, Google
 * Cloud Storage's XML API, MinIO, Wasabi, …) through the AWS SDK v2 over Apache HttpClient. It moves opaque,
 * already-encrypted files and knows nothing of packs or snapshots beyond the storage class a data file may get.
 * Found by URI scheme through {@link triplicate.backend.BackendProvider}; see docs/backends/s3.md.
 */
package triplicate.backend.s3;
