package triplicate.catalog;

import triplicate.core.TriplicateException;

/** Another process (a scan, an import) holds the catalog's write lock for longer than the busy timeout. */
public final class CatalogBusyException extends TriplicateException {
    public CatalogBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
