/**
 * Snapshots, trees and nodes: the values that describe a backed-up file tree, and their JSON encoding. Pure data;
 * no I/O and no crypto (the repository seals what this package encodes).
 */
package triplicate.snapshot;
