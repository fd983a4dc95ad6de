package triplicate.cli;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import triplicate.backend.Backend;
import triplicate.backend.BackendProvider;
import triplicate.backend.sftp.SftpBackend;
import triplicate.backend.testkit.FaultInjectingBackend;
import triplicate.backend.testkit.FaultInjectingBackend.Failure;
import triplicate.backend.testkit.Operation;
import triplicate.backend.wrap.RetryingBackend;

/**
 * Test-only scheme {@code faulty+sftp://…}: the real {@link SftpBackend} for the same {@code sftp://} location, with
 * faults injected between it and the {@link RetryingBackend} the sftp provider would put around it. Each call fails
 * transiently with probability {@code TRIPLICATE_TEST_FAULT_RATE} (and a save or remove takes effect but loses its
 * answer with a quarter of that), seeded by {@code TRIPLICATE_TEST_FAULT_SEED}; retries wait 50 ms to 2 s, so a
 * restarting server is waited for. Registered in this module's test resources only.
 */
public final class FaultySftpProvider implements BackendProvider {
    static final String SCHEME = "faulty+sftp";

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    @Override
    public Backend open(URI location) throws IOException {
        return open(location, System.getenv());
    }

    @Override
    public Backend open(URI location, Map<String, String> env) throws IOException {
        return wrap(SftpBackend.open(sftp(location), env), env);
    }

    @Override
    public Backend create(URI location, Map<String, String> env) throws IOException {
        return wrap(SftpBackend.create(sftp(location), env), env);
    }

    private static URI sftp(URI location) {
        return URI.create("sftp" + location.toString().substring(SCHEME.length()));
    }

    private static Backend wrap(SftpBackend real, Map<String, String> env) {
        double rate = Double.parseDouble(env.getOrDefault("TRIPLICATE_TEST_FAULT_RATE", "0.1"));
        long seed = Long.parseLong(env.getOrDefault("TRIPLICATE_TEST_FAULT_SEED", "1"));
        FaultInjectingBackend.Builder faults = FaultInjectingBackend.wrap(real).seed(seed);
        for (Operation op : Operation.values()) {
            faults.failRandomly(op, rate, Failure.TRANSIENT);
        }
        faults.failRandomly(Operation.SAVE, rate / 4, Failure.LOST_RESPONSE);
        faults.failRandomly(Operation.REMOVE, rate / 4, Failure.LOST_RESPONSE);
        RetryingBackend.Policy patient = new RetryingBackend.Policy(12, Duration.ofMillis(50), Duration.ofSeconds(2), 2);
        return new RetryingBackend(faults.build(), patient, d -> Thread.sleep(d), new Random(seed));
    }
}
