/**
 * Keeping a vault honest: check (structure, and optionally every byte of data), statistics, and comparisons of
 * snapshots. Reads through the repository; never modifies a vault.
 */
package triplicate.maintenance;
