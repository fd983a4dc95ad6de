/**
 * Use cases shared by the CLI (and later the daemon and the REST API): vaults (open or create one from a location and
 * a password, back up with the catalog of a library, restore, check), a library's catalog (scan, find), importing
 * cards into the library, and restore drills, heal, copy between vaults and recovery ({@code VaultOpsService}). The
 * composition root: the only place that picks concrete backends and wires options, and that adapts the metadata
 * reader and the catalog to the importer's own interfaces.
 */
package triplicate.app;
