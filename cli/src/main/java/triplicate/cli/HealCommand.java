package triplicate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.Vault;
import triplicate.app.VaultOpsService;
import triplicate.maintenance.Healer;

@Command(name = "heal", description = {"Read every pack of the vault and write anew every damaged piece of data"
    + " for which a verified source is found: an intact second copy in the vault, the library, the backed-up files"
    + " where they still are, or other vaults holding the same files. Damaged packs are then retired.",
    "Nothing is changed without a verified source. Exit 1 when something could not be healed."})
final class HealCommand extends BaseCommand {
    @Option(names = "--library", paramLabel = "DIR",
            description = "A library to take lost files from (also after it moved). Default: $TRIPLICATE_LIBRARY.")
    Path library;

    @Option(names = "--from", paramLabel = "URI", description = "Another vault holding the same files. Repeatable.")
    List<String> from = new ArrayList<>();

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "Password of the --from vaults. Else $TRIPLICATE_FROM_PASSWORD_FILE, $TRIPLICATE_FROM_PASSWORD, or a prompt.")
    Path fromPasswordFile;

    @Override
    public Integer call() throws Exception {
        List<Vault> others = new ArrayList<>();
        try (Vault vault = openVault()) {
            for (String f : from) {
                others.add(openSourceVault(f, fromPasswordFile));
            }
            VaultOpsService.HealReport r = ctx.ops().heal(vault, others, library(library));
            Healer.Result h = r.result();
            if (json) {
                printJson(r);
            } else if (h.damagedPacks() == 0 && h.damagedBlobs() == 0) {
                ctx.out().printf("read every pack in %.1f s: no pack is damaged%n", r.seconds());
                for (String e : r.remainingErrors()) {
                    ctx.out().println("error: " + e + " (heal does not repair this)");
                }
            } else {
                for (String e : r.checkErrors()) {
                    ctx.out().println("found: " + e);
                }
                for (Healer.HealedFile f : h.healed()) {
                    ctx.out().println("healed: snapshot " + f.snapshot() + ": " + f.path() + " (from " + f.source() + ")");
                }
                for (Healer.Unhealed u : h.unhealed()) {
                    ctx.out().println("not healed: snapshot " + u.snapshot() + ": " + u.path() + ": " + u.reason());
                }
                ctx.out().printf("%d damaged blob(s) in %d pack(s): %d written anew, %d dropped (no snapshot uses them);"
                        + " %d intact blob(s) moved out of damaged packs; %d pack(s) retired, %d kept; %.1f s%n",
                        h.damagedBlobs(), h.damagedPacks(), h.blobsHealed(), h.blobsDropped(), h.blobsRescued(),
                        h.packsRetired(), h.packsKept(), r.seconds());
                for (String e : r.remainingErrors()) {
                    ctx.out().println("still: " + e);
                }
                ctx.out().println(r.clean() ? "the vault is whole again" : "the vault is still damaged (see above)");
            }
            return r.clean() ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            for (Vault o : others) {
                o.close();
            }
        }
    }
}
