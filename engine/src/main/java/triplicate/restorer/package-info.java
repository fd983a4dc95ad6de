/**
 * Restores a snapshot (or one folder or file of it) into a target folder: never writes outside the target, refuses
 * unsafe names, authenticates every chunk, restores modes and times, resumes by skipping files already restored
 * intact, and restores everything still intact when some data is damaged, listing what is not. Restore drills
 * (restore chosen files into a temporary folder and compare their hashes with what the caller expects) build on it.
 */
package triplicate.restorer;
