/**
 * Test helpers shared by every module through core's test-jar that are not about one layer, such as
 * {@link triplicate.testkit.FakeClock}. Test code only: production code must never depend on it.
 */
package triplicate.testkit;
