package triplicate.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.Vault;
import triplicate.app.VaultOpsService;
import triplicate.archiver.SnapshotCopier;

@Command(name = "copy", description = {"Copy snapshots from one vault into another (each with its own password):"
    + " time, host, paths and tags are kept; data the destination has is not stored again; with a library's snapshot"
    + " comes the catalog saved with it.",
    "The destination is --to (or --vault, or $TRIPLICATE_VAULT) with the usual password options."})
final class CopyCommand extends BaseCommand {
    @Parameters(paramLabel = "SNAPSHOT", arity = "1..*", description = "Snapshots of the source: id, unique prefix, or 'latest'.")
    List<String> snapshots;

    @Option(names = "--from", required = true, paramLabel = "URI", description = "The vault to copy from.")
    String from;

    @Option(names = "--to", paramLabel = "URI", description = "The vault to copy into. Default: --vault, $TRIPLICATE_VAULT.")
    String to;

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "Password of the source. Else $TRIPLICATE_FROM_PASSWORD_FILE, $TRIPLICATE_FROM_PASSWORD, or a prompt.")
    Path fromPasswordFile;

    @Override
    String vaultLocation() {
        return to != null ? to : super.vaultLocation();
    }

    @Override
    public Integer call() throws Exception {
        try (Vault source = openSourceVault(from, fromPasswordFile); Vault dest = openVault()) {
            VaultOpsService.CopyReport r = ctx.ops().copy(source, dest, snapshots);
            if (json) {
                printJson(r);
            } else {
                for (SnapshotCopier.Copied c : r.snapshots()) {
                    if (c.alreadyThere()) {
                        ctx.out().printf("snapshot %s is already in %s as %s%n", c.source().shortHex(), r.to(),
                                c.copy().shortHex());
                    } else {
                        ctx.out().printf("snapshot %s copied as %s: %d file(s), %d unchanged since the last copy;"
                                + " %s added%n", c.source().shortHex(), c.copy().shortHex(), c.files(),
                                c.filesReused(), Format.bytes(c.bytesAdded()));
                    }
                }
                ctx.out().printf("%s in %.1f s%n", r.sameChunks() ? "chunks copied as they are (same chunker)"
                        : "files cut again by the destination's chunker", r.seconds());
            }
            return ExitCodes.OK;
        }
    }
}
