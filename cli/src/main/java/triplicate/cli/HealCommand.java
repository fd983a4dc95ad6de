package triplicate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.TargetCheck;
import triplicate.app.TargetPasswords;
import triplicate.app.Vault;
import triplicate.app.VaultOpsService;
import triplicate.crypto.Password;
import triplicate.maintenance.Healer;

@Command(name = "heal", description = {"Repair damage: a damaged or missing mirror file (as the last 'verify' found)"
    + " is re-written from a healthy copy (the library, another mirror, a vault) whose content is checked first, the"
    + " damaged copy kept in the safety net; a vault's packs are all read and every damaged piece of data is written"
    + " anew from a verified source (an intact second copy in the vault, the library, the mirrors, the other vaults),"
    + " then the damaged packs are retired. Nothing is changed without a verified source.",
    "Exit 1 when something could not be healed, 3 when a target could not be reached."})
final class HealCommand extends InLibraryCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "One target. Default: every target.")
    String target;

    @Mixin
    VaultForm vaultForm;

    @Option(names = "--from", paramLabel = "URI", description = "With --vault: another vault holding the same files."
            + " Repeatable.")
    List<String> from = new ArrayList<>();

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "Password of the --from vaults. Else $TRIPLICATE_FROM_PASSWORD_FILE, $TRIPLICATE_FROM_PASSWORD, or a prompt.")
    Path fromPasswordFile;

    @Override
    public Integer call() throws Exception {
        // a vault can be healed without a library (from its own copies, the backed-up files, other vaults)
        Path lib;
        try {
            lib = library();
        } catch (triplicate.core.TriplicateException e) {
            if (target != null || vaultForm.vaultGiven(ctx) == null) {
                throw e;
            }
            lib = null;
        }
        String vault = lib == null ? vaultForm.vaultGiven(ctx) : vaultForm.location(ctx, lib, target, spec.commandLine());
        if (vault != null) {
            return healVault(vault, lib);
        }
        List<TargetCheck> checks = ctx.library().verify().heal(lib, target, new TargetPasswords(lib, ctx.env()));
        if (json) {
            printJson(Map.of("targets", checks));
        } else {
            for (TargetCheck c : checks) {
                if (c.outcome() != TargetCheck.Outcome.DONE) {
                    ctx.err().println(c.kind().label() + " " + c.target() + ": " + VerifyCommand.label(c.outcome()) + ": "
                            + c.message());
                    continue;
                }
                ctx.out().printf("%s %s: %d healed, %d could not be%n", c.kind().label(), c.target(), c.healed().size(),
                        c.damaged().size());
                c.healed().forEach(h -> ctx.out().println("  healed: " + h));
                c.damaged().forEach(h -> ctx.out().println("  not healed: " + h));
                if (c.message() != null) {
                    ctx.err().println("note: " + c.target() + ": " + c.message());
                }
                if (c.catalogWarning() != null) {
                    ctx.err().println("warning: " + c.target() + ": " + c.catalogWarning());
                }
            }
        }
        if (checks.stream().anyMatch(c -> !c.damaged().isEmpty())) {
            return ExitCodes.FAILURE;
        }
        return checks.stream().allMatch(c -> c.outcome() == TargetCheck.Outcome.DONE && c.catalogWarning() == null)
                ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    /** Heals a vault that is not one of the targets, from the library and the --from vaults. */
    private int healVault(String location, Path lib) throws java.io.IOException {
        List<Vault> others = new ArrayList<>();
        VaultOpsService.HealReport r;
        try (Password p = vaultForm.password(ctx, location); Vault vault = ctx.service().open(location, p)) {
            for (String f : from) {
                try (Password fp = new Passwords(ctx.env()).ofSecondVault(fromPasswordFile, f)) {
                    others.add(ctx.service().open(f, fp));
                }
            }
            r = ctx.ops().heal(vault, others, lib);
        } finally {
            for (Vault o : others) {
                o.close();
            }
        }
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
    }
}
