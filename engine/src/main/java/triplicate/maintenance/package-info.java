/**
 * Keeping a vault honest and affordable: check (structure, and optionally every byte of data), heal (damaged data
 * written anew from verified sources, damaged packs retired, as docs/design/vault-format.md "Healing" allows),
 * statistics, comparisons of snapshots, and retention: forgetting and undeleting snapshots
 * ({@link triplicate.maintenance.SoftDelete}) and prune ({@link triplicate.maintenance.Pruner}), by the protocol of
 * docs/design/retention.md. Prune and heal are the only code that deletes from a vault. Decisions of what to keep
 * come from the pure {@code triplicate.policy} package.
 */
package triplicate.maintenance;
