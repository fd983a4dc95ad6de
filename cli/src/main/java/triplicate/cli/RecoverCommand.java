package triplicate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.Vault;
import triplicate.app.VaultOpsService;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;

@Command(name = "recover", description = {"Recover a library and its catalog from a vault alone (a new computer):"
    + " restores the latest catalog saved in the vault and the library's snapshot saved with it into DIR, then checks"
    + " every file against the catalog's hash.",
    "DIR must be new or empty (or hold an interrupted recovery, which resumes). Exit 1 unless every file is intact."})
final class RecoverCommand extends BaseCommand {
    @Option(names = "--from", paramLabel = "URI", description = "The vault. Default: --vault, $TRIPLICATE_VAULT.")
    String from;

    @Option(names = "--library", required = true, paramLabel = "DIR", description = "Where to put the library.")
    Path library;

    @Option(names = "--catalog", paramLabel = "SNAPSHOT",
            description = "The catalog snapshot to recover (default: the latest one).")
    String catalog;

    @Override
    String vaultLocation() {
        return from != null ? from : super.vaultLocation();
    }

    @Override
    public Integer call() throws Exception {
        try (Vault vault = openVault()) {
            RestoreProgress progress = new RestoreProgress();
            VaultOpsService.RecoverReport r;
            try (Progress bar = new Progress(showProgress(), ctx.err(), progress::filesDone, progress::filesTotal,
                    progress::bytesDone, progress::bytesTotal)) {
                r = ctx.ops().recover(vault, library, catalog, progress);
            }
            if (json) {
                printJson(r);
            } else {
                RestoreResult x = r.restore();
                ctx.out().printf("restored the library %s (snapshot %s) into %s: %d file(s), %s%s%n", r.backedUpFrom(),
                        r.librarySnapshot().substring(0, 8), r.library(), x.files(), Format.bytes(x.bytes()),
                        x.filesAlreadyIntact() > 0 ? " (" + x.filesAlreadyIntact() + " already intact)" : "");
                if (r.catalogRestored()) {
                    ctx.out().printf("restored its catalog (snapshot %s)%n", r.catalogSnapshot().substring(0, 8));
                    ctx.out().printf("checked %d file(s) of the catalog: %d intact, %d missing, %d damaged (%.1f s)%n",
                            r.catalogFiles(), r.ok(), r.missing(), r.damaged(), r.seconds());
                }
                for (RestoreResult.Problem p : x.problems()) {
                    ctx.err().println("not restored: " + p.path() + ": " + p.message());
                }
                for (VaultOpsService.Finding f : r.problems()) {
                    ctx.err().println(f.result().toLowerCase(java.util.Locale.ROOT) + ": " + f.path() + ": " + f.detail());
                }
                if (!r.catalogRestored()) {
                    ctx.err().println("recovery incomplete: " + x.problems().size() + " path(s) could not be restored,"
                            + " so the catalog was not restored yet; run the same command again to resume (files"
                            + " restored intact are not read again)");
                }
                if (r.complete()) {
                    ctx.out().println("the library is recovered; point Triplicate at " + r.library());
                }
            }
            return r.complete() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
