package triplicate.cli;

import java.io.IOException;
import java.net.URI;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Set;
import triplicate.backend.Backend;
import triplicate.backend.BackendProvider;
import triplicate.backend.Backends;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.FileType;
import triplicate.backend.testkit.FaultInjectingBackend;
import triplicate.backend.testkit.FaultInjectingBackend.Failure;
import triplicate.backend.testkit.Operation;
import triplicate.backend.wrap.RetryingBackend;

/**
 * Test-only scheme {@code faulty:LOCATION}: the backend at LOCATION with faults injected between it and the
 * retrying decorator, so the CLI runs exactly as in production (Backends wraps this in a RetryingBackend) over a
 * backend that fails. The faults come from the environment the CLI is given:
 *
 * <ul>
 *   <li>{@code TRIPLICATE_TEST_FAULT_RATE=P}: each call fails transiently with probability P (saves: half of those
 *       after the file was stored, as when an answer is lost);</li>
 *   <li>{@code TRIPLICATE_TEST_FAIL_SAVE=N}: the Nth save of this process fails for good;</li>
 *   <li>{@code TRIPLICATE_TEST_GONE_AFTER_OPENS=N}: after N opens (reads), the storage is gone: every open, list
 *       and save fails for good, as when a drive is unplugged or a server goes away mid-run;</li>
 *   <li>{@code TRIPLICATE_TEST_FAULT_SEED}: seeds the random faults;</li>
 *   <li>{@code TRIPLICATE_TEST_REFUSE_DELETES=1}: every removal is refused, as with an append-only credential.</li>
 * </ul>
 */
public final class FaultyBackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("faulty");
    }

    @Override
    public Backend open(URI location) throws IOException {
        return open(location, System.getenv());
    }

    @Override
    public Backend open(URI location, Map<String, String> env) throws IOException {
        return faulty(Backends.open(location.getRawSchemeSpecificPart(), env), env);
    }

    @Override
    public Backend create(URI location, Map<String, String> env) throws IOException {
        return faulty(Backends.create(location.getRawSchemeSpecificPart(), env), env);
    }

    private static Backend faulty(Backend backend, Map<String, String> env) {
        Backend inner = backend instanceof RetryingBackend r ? r.inner() : backend;
        FaultInjectingBackend.Builder b = FaultInjectingBackend.wrap(inner)
                .seed(Long.parseLong(env.getOrDefault("TRIPLICATE_TEST_FAULT_SEED", "1")));
        if (env.containsKey("TRIPLICATE_TEST_FAIL_SAVE")) {
            b.failNth(Operation.SAVE, Long.parseLong(env.get("TRIPLICATE_TEST_FAIL_SAVE")), Failure.PERMANENT);
        }
        double rate = Double.parseDouble(env.getOrDefault("TRIPLICATE_TEST_FAULT_RATE", "0"));
        if (rate > 0) {
            b.failRandomly(Operation.SAVE, rate / 2, Failure.TRANSIENT);
            b.failRandomly(Operation.SAVE, rate / (2 - rate), Failure.LOST_RESPONSE); // rate/2 of all saves
            for (Operation op : new Operation[] {Operation.OPEN, Operation.STAT, Operation.LIST, Operation.REMOVE}) {
                b.failRandomly(op, rate, Failure.TRANSIENT);
            }
        }
        Backend built = b.build();
        if ("1".equals(env.get("TRIPLICATE_TEST_REFUSE_DELETES"))) {
            built = new triplicate.backend.testkit.RefusingDeletesBackend(built);
        }
        if (env.containsKey("TRIPLICATE_TEST_GONE_AFTER_OPENS")) {
            return new Vanishing(built, Long.parseLong(env.get("TRIPLICATE_TEST_GONE_AFTER_OPENS")));
        }
        return built;
    }

    /** A backend that is gone after some opens. */
    private static final class Vanishing extends ForwardingBackend {
        private final long opens;
        private final AtomicLong count = new AtomicLong();

        Vanishing(Backend inner, long opens) {
            super(inner);
            this.opens = opens;
        }

        private void check(String what) throws IOException {
            if (count.get() >= opens) {
                throw new IOException(inner.location() + ": injected: the storage is gone (" + what + ")");
            }
        }

        @Override
        public InputStream open(Handle handle, long offset, long length) throws IOException {
            check("open " + handle);
            count.incrementAndGet();
            return inner.open(handle, offset, length);
        }

        @Override
        public List<FileInfo> list(FileType type) throws IOException {
            check("list " + type);
            return inner.list(type);
        }

        @Override
        public void save(Handle handle, Source source) throws IOException {
            check("save " + handle);
            inner.save(handle, source);
        }
    }
}
