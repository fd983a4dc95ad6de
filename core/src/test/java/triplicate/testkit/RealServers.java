package triplicate.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one way a test that needs a real server (S3Proxy, sshd, Azurite, rclone, an external client such as the AWS
 * CLI) gives up when that server cannot be had. On a developer's machine the test is skipped with the reason, which
 * is also printed to stderr so it shows in the build log. Where the environment variable
 * {@value #REQUIRE} is {@code 1} (CI sets it), the test fails instead: CI installs and starts every server, so a
 * skip there means the tests did not run against the real thing and must not pass as green.
 */
public final class RealServers {
    /** Environment variable that turns "skip: no server" into a failure. */
    public static final String REQUIRE = "TRIPLICATE_REQUIRE_SERVERS";

    private RealServers() {
    }

    /** Whether a missing server fails the test rather than skipping it. */
    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE));
    }

    /**
     * Gives up on the calling test: skips it, or fails it when servers are {@linkplain #required() required}.
     *
     * @param server what is missing, e.g. {@code "S3 server"}
     * @param reason why, and how to get it
     */
    public static void unavailable(String server, String reason) {
        String message = "no " + server + ": " + reason;
        if (required()) {
            Assertions.fail(message + " (" + REQUIRE + "=1: every real-server test must run)");
        }
        System.err.println("SKIPPED (" + message + ")");
        Assumptions.abort(message);
    }

    /** {@link #unavailable} unless {@code condition} holds. */
    public static void assume(boolean condition, String server, String reason) {
        if (!condition) {
            unavailable(server, reason);
        }
    }
}
