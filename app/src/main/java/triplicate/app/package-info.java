/**
 * Use cases shared by the CLI (and later the daemon and the REST API): vaults (open or create one from a location and
 * a password, back up with the catalog of a library, restore, check), a library's catalog (scan, find), importing
 * cards into the library, a library's targets (LibraryServices: target add/list/remove, mirror, status, verify, heal,
 * sync; see docs/config.md, docs/mirrors.md, docs/status.md), and restore drills, heal, copy between vaults and
 * recovery ({@code VaultOpsService}). The composition root: the only place that picks concrete backends and wires
 * options, that adapts the metadata reader and the catalog to the importer's own interfaces, and where the vault
 * side's VaultDrills is plugged in. Mirror mechanics (manifest, safety net, verified copies) are package-private here.
 */
package triplicate.app;
