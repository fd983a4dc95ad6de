/**
 * Decorators over any {@link triplicate.backend.Backend}: cross-cutting concerns (retries with backoff, later rate
 * limits and metrics) written once instead of in every backend. They know only the backend contract.
 */
package triplicate.backend.wrap;
