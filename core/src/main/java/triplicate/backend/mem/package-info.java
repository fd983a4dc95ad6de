/**
 * {@link triplicate.backend.mem.MemoryBackend}: a complete backend in memory, used by tests, benchmarks and
 * dry runs. It is real code held to the same contract test as every other backend, not a mock. It must not know
 * about packs, encryption, snapshots or photos.
 */
package triplicate.backend.mem;
