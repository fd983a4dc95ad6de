/**
 * Import from a source (a camera card with {@code DCIM/}, a phone dump, a plain folder) into the library: names
 * from a template, every copy written to a temporary file, synced, re-read and compared by hash before a rename
 * that never replaces a file makes it count. The source is never written to unless the user asks to erase verified
 * files. Callable per file, so watched folders can feed it.
 *
 * <p>Knows neither the metadata library nor the catalog: it declares what it needs, {@link
 * triplicate.importer.MetadataSource} (capture facts of a file) and {@link triplicate.importer.ImportLedger} (what
 * content the library holds; what was imported), and the composition root adapts them. Never opens a vault.
 */
package triplicate.importer;
