/**
 * Keeping a vault honest and affordable: check (structure, and optionally every byte of data), statistics,
 * comparisons of snapshots, and retention: forgetting and undeleting snapshots ({@link triplicate.maintenance.SoftDelete})
 * and prune ({@link triplicate.maintenance.Pruner}), the only code that deletes from a vault, by the protocol of
 * docs/design/retention.md. Decisions of what to keep come from the pure {@code triplicate.policy} package.
 */
package triplicate.maintenance;
