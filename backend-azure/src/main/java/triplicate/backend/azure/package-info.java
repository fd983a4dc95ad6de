/**
 * The {@code azure://} backend: a vault in a container of Azure Blob Storage (or of Azurite, its emulator) through
 * the Azure Storage Blob SDK over the JDK's HTTP client. It moves opaque, already-encrypted files and knows nothing of
 * packs or snapshots beyond the access tier a data file may get. Found by URI scheme through
 * {@link triplicate.backend.BackendProvider}; see docs/backends/azure.md.
 */
package triplicate.backend.azure;
