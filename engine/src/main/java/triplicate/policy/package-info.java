/**
 * Pure retention decisions: which snapshots a forget policy keeps and why ({@link triplicate.policy.Retention}),
 * when a forgotten snapshot's recovery window has passed ({@link triplicate.policy.RecoveryWindow}), and the
 * parsing of the durations and tags those take. No I/O, no clock: every instant is handed in, so the same input
 * always gives the same decisions, which golden files pin.
 */
package triplicate.policy;
