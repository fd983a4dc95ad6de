/**
 * Decorators over any {@link triplicate.backend.Backend}: cross-cutting concerns (retries with backoff, rate limits,
 * later metrics) written once instead of in every backend. Each extends
 * {@link triplicate.backend.wrap.ForwardingBackend}, which passes every call through, and overrides only what it
 * changes. They know only the backend contract.
 */
package triplicate.backend.wrap;
