package triplicate.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.app.Vault;

@Command(name = "restore", description = {"Restore a snapshot, or one folder or file of it, into a folder.",
    "Every chunk is authenticated; files already restored intact are skipped, so an interrupted restore resumes."})
final class RestoreCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or 'latest'.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Where to restore to.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATH",
            description = "Restore only this folder or file (a path inside the snapshot, or an original path).")
    String include;

    @Override
    public Integer call() throws Exception {
        try (Vault repo = openVault()) {
            var id = repo.resolveSnapshot(snapshot);
            RestoreProgress progress = new RestoreProgress();
            long t0 = System.nanoTime();
            RestoreResult r;
            try (Progress bar = new Progress(showProgress(), ctx.err(), progress::filesDone, progress::filesTotal,
                    progress::bytesDone, progress::bytesTotal)) {
                r = ctx.service().restore(repo, id, include, target, progress);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("snapshot", id.hex());
                o.put("target", target.toAbsolutePath().toString());
                o.put("result", r);
                printJson(o);
            } else {
                ctx.out().printf("restored %d file(s), %s, %d folder(s), %d symlink(s) to %s in %.1f s%s%n", r.files(),
                        Format.bytes(r.bytes()), r.dirs(), r.symlinks(), target, secs,
                        r.filesAlreadyIntact() > 0 ? " (" + r.filesAlreadyIntact() + " already intact, skipped)" : "");
            }
            for (RestoreResult.Problem p : r.problems()) {
                ctx.err().println("not restored: " + p.path() + ": " + p.message());
            }
            if (!r.complete()) {
                ctx.err().println("restore incomplete: " + r.problems().size() + " path(s) could not be restored;"
                        + " everything else was restored intact");
                return ExitCodes.FAILURE;
            }
            return ExitCodes.OK;
        }
    }
}
