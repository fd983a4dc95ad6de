/**
 * Shared vocabulary of the vault: identifiers, file types and the errors every layer reports.
 * Knows nothing of backends, crypto or the file system.
 */
package triplicate.core;
