/**
 * The 3-2-1 rule as pure decisions: given a policy, the places that may hold copies (the library and the targets)
 * and what is known of each copy of an asset's files, whether the asset is safe enough, and why not. No I/O, no
 * clock of its own (the caller passes "now"), no catalog, no vault: records in, decisions with reasons out.
 *
 * <p>Retention decisions too: which snapshots a forget policy keeps and why ({@link triplicate.policy.Retention}),
 * when a forgotten snapshot's recovery window has passed ({@link triplicate.policy.RecoveryWindow}), and the
 * parsing of the durations and tags those take; golden files pin them.
 */
package triplicate.policy;
