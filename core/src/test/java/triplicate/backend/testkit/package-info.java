/**
 * The backend test kit, shared with every module through core's test-jar.
 * {@link triplicate.backend.testkit.BackendContractTest} is the {@link triplicate.backend.Backend} contract as
 * tests: every backend extends it. The wrappers ({@link triplicate.backend.testkit.FaultInjectingBackend},
 * {@link triplicate.backend.testkit.CorruptingBackend}, {@link triplicate.backend.testkit.CrashingBackend},
 * {@link triplicate.backend.testkit.RefusingDeletesBackend}, {@link triplicate.backend.testkit.CountingBackend})
 * decorate any backend to test that failures, damage and crashes lose nothing. The kit knows only the backend
 * contract: nothing of packs, encryption, snapshots or photos, and no concrete backend. It is test code only.
 */
package triplicate.backend.testkit;
