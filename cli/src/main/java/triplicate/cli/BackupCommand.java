package triplicate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.archiver.BackupProgress;
import triplicate.archiver.BackupResult;
import triplicate.core.Id;
import triplicate.app.Vault;
import triplicate.app.VaultService;
import triplicate.snapshot.Snapshot;

@Command(name = "backup", description = "Back up files and folders into a new snapshot.")
final class BackupCommand extends BaseCommand {
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files and folders to back up.")
    List<Path> paths;

    @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB",
            description = "Skip matching names (or full paths, if the pattern has a '/'). Repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag the snapshot. Repeatable.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--parent", paramLabel = "SNAPSHOT", description = "Compare with this snapshot instead of the latest one of the same paths.")
    String parent;

    @Option(names = "--force", description = "Read every file again, even unchanged ones.")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String t : tags) {
            try {
                triplicate.policy.Tags.check(t);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        try (Vault repo = openVault()) {
            Id parentId = parent == null ? null : repo.resolveSnapshot(parent);
            // totals are counted (one more walk of the source) only for the progress display
            BackupProgress progress = new BackupProgress(showProgress());
            BackupResult r;
            List<VaultService.CatalogSaved> catalogs = new ArrayList<>();
            try (Progress bar = new Progress(showProgress(), ctx.err(), progress::filesDone, progress::filesTotal,
                    progress::bytesDone, progress::bytesTotal)) {
                r = ctx.service().backup(repo, paths, ctx.service().backupOptions(excludes, tags, parentId, force),
                        progress, catalogs::add);
            }
            Snapshot s = r.snapshot();
            Snapshot.Summary m = s.summary();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("snapshot", r.id().hex());
                o.put("summary", m);
                o.put("warnings", s.warnings());
                List<Map<String, Object>> cs = new ArrayList<>();
                for (VaultService.CatalogSaved c : catalogs) {
                    Map<String, Object> co = new LinkedHashMap<>();
                    co.put("library", c.library().toString());
                    co.put("snapshot", c.snapshot() == null ? null : c.snapshot().hex());
                    co.put("problem", c.problem());
                    cs.add(co);
                }
                o.put("catalogs", cs);
                printJson(o);
            } else {
                ctx.out().printf("snapshot %s saved%n", r.id().shortHex());
                ctx.out().printf("files: %d new, %d changed, %d unchanged; %d folders%n", m.filesNew(), m.filesChanged(),
                        m.filesUnmodified(), m.dirs());
                ctx.out().printf("read %s of %s in %.1f s (%s); added %s to the vault (%s stored)%n",
                        Format.bytes(m.bytesRead()), Format.bytes(m.bytesTotal()), m.seconds(),
                        Format.rate(m.bytesRead(), m.seconds()), Format.bytes(m.bytesAdded()), Format.bytes(m.bytesStored()));
                for (Snapshot.Warning w : s.warnings()) {
                    ctx.err().println("warning: " + w.path() + ": " + w.message());
                }
                for (VaultService.CatalogSaved c : catalogs) {
                    if (c.snapshot() != null) {
                        ctx.out().printf("catalog of %s saved as snapshot %s%n", c.library(), c.snapshot().shortHex());
                    }
                }
            }
            boolean catalogsSaved = true;
            for (VaultService.CatalogSaved c : catalogs) {
                if (c.snapshot() == null) {
                    ctx.err().println("warning: the catalog of " + c.library() + " could not be saved into the vault: "
                            + c.problem());
                    catalogsSaved = false;
                }
            }
            if (!r.complete()) {
                ctx.err().println("backup incomplete: " + s.warnings().size() + " file(s) could not be read fully (see warnings)");
                return ExitCodes.INCOMPLETE;
            }
            if (!catalogsSaved) {
                ctx.err().println("backup incomplete: the snapshot was saved, but not the catalog (see warnings)");
                return ExitCodes.INCOMPLETE;
            }
            return ExitCodes.OK;
        }
    }
}
