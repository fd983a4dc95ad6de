package triplicate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.ArchiveService;
import triplicate.app.TargetPasswords;

@Command(name = "unarchive", description = {"Bring an archived shoot back into the library (docs/archive.md).",
    "Restores every archived file from its archive snapshot, checks it against the SHA-256 recorded when it was"
        + " archived, and puts it at its path; a different file already there is never replaced. The files are live"
        + " in the catalog again. An interrupted unarchive is finished by running it again.",
    "Exit 0 when every file is back, 1 when some could not be (named; they stay archived)."})
final class UnarchiveCommand extends InLibraryCommand {
    @Parameters(index = "0", paramLabel = "SHOOT", description = "The archived shoot ('status' lists them).")
    String shoot;

    @Option(names = "--from", paramLabel = "TARGET", description = "The vault target to restore from. Default: the"
            + " first vault target of the config that holds an archive of the shoot.")
    String from;

    @Override
    public Integer call() throws Exception {
        ArchiveService.UnarchiveReport r = ctx.library().archive().unarchive(library(), shoot, from,
                new TargetPasswords(library(), ctx.env()));
        if (json) {
            printJson(r);
        } else {
            ctx.out().printf("shoot %s: %d of %d files back in the library (%d restored from %s, %d already there)%n",
                    r.shoot(), r.restored() + r.alreadyThere(), r.files(), r.restored(),
                    r.sources().isEmpty() ? "no vault" : String.join(", ", r.sources()), r.alreadyThere());
            r.problems().forEach(p -> ctx.err().println("error: " + p.path() + ": " + p.why()));
            if (r.stillArchived() > 0) {
                ctx.err().println(plural(r.stillArchived(), "file stays", "files stay") + " archived");
            }
        }
        return r.complete() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
