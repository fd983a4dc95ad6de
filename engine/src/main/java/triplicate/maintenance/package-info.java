/**
 * Keeping a vault honest: check (structure, and optionally every byte of data), heal (damaged data written anew from
 * verified sources, damaged packs retired), statistics, and comparisons of snapshots. Works through the repository;
 * only heal modifies a vault, and then only as docs/design/vault-format.md ("Healing") allows.
 */
package triplicate.maintenance;
