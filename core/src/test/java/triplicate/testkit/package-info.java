/**
 * Test helpers shared by every module through core's test-jar that are not about one layer, such as
 * {@link triplicate.testkit.FakeClock}, {@link triplicate.testkit.RealServers} and
 * {@link triplicate.testkit.ChildProcessServer} (a real server run as a child process). Test code only: production
 * code must never depend on it.
 */
package triplicate.testkit;
