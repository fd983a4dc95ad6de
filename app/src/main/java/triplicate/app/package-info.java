/**
 * Use cases over vaults, shared by the CLI (and later the daemon and the REST API): open or create a vault from a
 * location and a password, back up (with the catalog of a library), restore, check; and restore drills, heal, copy
 * between vaults and recovery ({@code VaultOpsService}). The composition root: the only place that picks concrete
 * backends and wires options.
 */
package triplicate.app;
