package triplicate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.ThawService;
import triplicate.app.Vault;

@Command(name = "thaw", description = {"Thaw the cold data packs a restore needs (S3 GLACIER / DEEP_ARCHIVE vaults).",
    "Sends a restore request for every pack the restore of SNAPSHOT (or --include PATH) reads that is cold; packs",
    "thawed or being thawed are counted, not requested again. Run it again to see the progress; once every pack is",
    "thawed, restore works. See docs/backends/cold-storage.md."})
final class ThawCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or 'latest'.")
    String snapshot;

    @Option(names = {"-i", "--include"}, paramLabel = "PATH",
            description = "Thaw only what restoring this folder or file needs.")
    String include;

    @Option(names = "--days", paramLabel = "N", defaultValue = "7",
            description = "How long the thawed copies stay readable (1-30 days, billed as hot storage; default 7).")
    int days;

    @Option(names = "--tier", paramLabel = "TIER", defaultValue = "standard",
            description = "expedited (GLACIER only: minutes), standard (hours) or bulk (cheapest, slowest).")
    String tier;

    @Override
    public Integer call() throws Exception {
        try (Vault vault = openVault()) {
            var id = vault.resolveSnapshot(snapshot);
            ThawService.Report r = ThawService.thaw(vault, id, include, days, tier);
            if (json) {
                printJson(r);
            } else {
                ctx.out().printf("the restore of %s%s needs %d pack(s), %s%n", id.shortHex(),
                        include == null ? "" : " (" + include + ")", r.packs(), Format.bytes(r.bytes()));
                if (r.requested() > 0) {
                    ctx.out().printf("thaw requested now: %d pack(s), %s, %s tier, kept %d day(s)%n", r.requested(),
                            Format.bytes(r.requestedBytes()), r.tier(), r.days());
                    ctx.out().printf("expected wait: %s%n", r.expectedWait());
                    ctx.out().printf("indicative cost: %s%n", r.indicativeCost());
                }
                ctx.out().printf("being thawed: %d, thawed: %d, never cold: %d%n", r.thawing(), r.thawed(), r.hot());
                ctx.out().println(r.ready() ? "every pack is readable: restore can run now"
                        : "not ready yet: run this again later to see the progress, then restore");
            }
            return ExitCodes.OK;
        }
    }
}
