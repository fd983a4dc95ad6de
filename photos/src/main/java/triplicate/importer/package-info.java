/**
 * Import from a source (a camera card with {@code DCIM/}, a phone dump, a plain folder) into the library: names
 * from a template, every copy written to a temporary file, synced, re-read and compared by hash before an atomic
 * rename makes it count. The source is never written to unless the user asks to erase verified files.
 * Callable per file, so watched folders can feed it.
 */
package triplicate.importer;
