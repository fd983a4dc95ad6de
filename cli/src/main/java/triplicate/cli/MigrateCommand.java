package triplicate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import triplicate.app.Vault;
import triplicate.app.VaultService;

@Command(name = "migrate", description = {"Upgrade the vault to the format this version writes (format 1 to 2).",
    "Format 2 is needed by forget and prune. Upgrade once every computer that backs up into the vault runs this",
    "version: older versions refuse to open a format 2 vault (they would back up without announcing it to prune)."})
final class MigrateCommand extends BaseCommand {
    @Override
    public Integer call() throws Exception {
        try (Vault repo = openVault()) {
            int before = service().migrate(repo);
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("from", before);
                o.put("to", VaultService.FORMAT_VERSION);
                printJson(o);
            } else if (before == VaultService.FORMAT_VERSION) {
                ctx.out().println("the vault is in format " + before + " already");
            } else {
                ctx.out().println("upgraded the vault from format " + before + " to " + VaultService.FORMAT_VERSION);
            }
            return ExitCodes.OK;
        }
    }
}
