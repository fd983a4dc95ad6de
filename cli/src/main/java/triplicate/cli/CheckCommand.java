package triplicate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.core.TriplicateException;
import triplicate.maintenance.CheckResult;
import triplicate.app.Vault;

@Command(name = "check", description = {"Check the vault's structure and, optionally, read back its data.",
    "Damage is traced to the snapshots and files it affects."})
final class CheckCommand extends BaseCommand {
    @Option(names = "--read-data", description = "Read and verify every byte of every pack.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "N%", description = "Read and verify a random N% of the packs.")
    String subset;

    @Override
    public Integer call() throws Exception {
        double fraction = readData ? 1.0 : 0.0;
        if (subset != null) {
            String s = subset.endsWith("%") ? subset.substring(0, subset.length() - 1) : subset;
            try {
                fraction = Double.parseDouble(s) / 100.0;
            } catch (NumberFormatException e) {
                fraction = -1;
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new TriplicateException("--read-data-subset wants a percentage between 0 and 100, e.g. 10%");
            }
        }
        try (Vault repo = openVault()) {
            CheckResult r = ctx.service().check(repo, fraction);
            if (json) {
                printJson(r);
            } else {
                ctx.out().printf("checked %d snapshot(s), %d tree(s), %d blob(s) in %d pack(s)%s%n", r.snapshots(),
                        r.trees(), r.blobs(), r.packs(), fraction > 0 ? "; read " + r.packsRead() + " pack(s), "
                        + Format.bytes(r.bytesRead()) : "");
                for (String w : r.warnings()) {
                    ctx.out().println("warning: " + w);
                }
                for (String e : r.errors()) {
                    ctx.out().println("error: " + e);
                }
                r.affected().forEach((snap, paths) -> {
                    ctx.out().println("snapshot " + snap.substring(0, 8) + " cannot restore:");
                    paths.forEach(p -> ctx.out().println("  " + p));
                });
                ctx.out().println(r.ok() ? "no errors were found" : r.errors().size() + " error(s) found");
            }
            return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
