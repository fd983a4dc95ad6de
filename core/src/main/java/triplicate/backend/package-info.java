/**
 * The storage contract: a {@link triplicate.backend.Backend} moves opaque, already-encrypted files addressed by
 * {@link triplicate.backend.Handle}. Backends know nothing of packs, snapshots or photos. Cross-cutting concerns
 * (retries, rate limits, fault injection) are decorators over one backend. Implementations are found by URI scheme
 * through {@link triplicate.backend.BackendProvider} (ServiceLoader). A stream a backend or a decorator
 * returns can extend {@link triplicate.backend.BulkInputStream} and write only its bulk read. A network backend reads
 * its location's query options through {@link triplicate.backend.LocationOptions}, and opens through
 * {@link triplicate.backend.Backends#prepare}, so that a failed connection or check leaves nothing open;
 * object stores compute their {@code Content-MD5} with {@link triplicate.backend.ContentMd5}.
 */
package triplicate.backend;
