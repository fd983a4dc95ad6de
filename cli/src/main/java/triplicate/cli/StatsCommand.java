package triplicate.cli;

import picocli.CommandLine.Command;
import triplicate.maintenance.VaultStats;
import triplicate.app.Vault;

@Command(name = "stats", description = "Show how much the vault holds and what it costs on storage.")
final class StatsCommand extends BaseCommand {
    @Override
    public Integer call() throws Exception {
        try (Vault repo = openVault()) {
            VaultStats.Stats s = ctx.service().stats(repo);
            if (json) {
                printJson(s);
            } else {
                ctx.out().printf("snapshots:            %d%n", s.snapshots());
                ctx.out().printf("files (all snapshots): %d, %s if all restored%n", s.files(), Format.bytes(s.restoreSize()));
                ctx.out().printf("unique data:          %s in %d chunks (%d trees)%n", Format.bytes(s.uniqueBytes()), s.dataBlobs(), s.treeBlobs());
                ctx.out().printf("stored:               %s (%d packs, %s)%n", Format.bytes(s.storedBytes()), s.packs(), Format.bytes(s.packBytes()));
                ctx.out().printf("ratio:                %.2fx smaller than all snapshots restored%n", s.dedupRatio());
            }
            return ExitCodes.OK;
        }
    }
}
