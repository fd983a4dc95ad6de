package triplicate.cli;

import java.io.PrintWriter;
import java.util.Map;
import triplicate.app.CatalogService;
import triplicate.app.ImportService;
import triplicate.app.LibraryServices;
import triplicate.app.VaultOpsService;
import triplicate.app.VaultService;

/** What every command gets: the use cases, the environment and the output streams. */
record Context(VaultService service, CatalogService catalogs, ImportService imports, LibraryServices library,
               VaultOpsService ops,
               Map<String, String> env,
               PrintWriter out, PrintWriter err) {
}
