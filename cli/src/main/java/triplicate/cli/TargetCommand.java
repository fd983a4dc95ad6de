package triplicate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.TargetService;
import triplicate.config.LibraryConfig;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.policy.MediaClass;
import triplicate.policy.Site;

/** {@code triplicate target …}: the targets in the library's config. */
@Command(name = "target", description = "The places that hold copies of the library (mirrors and vaults), as the"
        + " library's config (.triplicate/config.yaml) lists them.",
        subcommands = {TargetCommand.Add.class, TargetCommand.ListTargets.class, TargetCommand.Remove.class})
final class TargetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", description = {"Add a target to the config (comments in the file are kept).",
        "A mirror's folder is made a mirror now if the drive is there (else at the first 'mirror NAME --init');"
            + " a vault must exist ('triplicate init --vault URI')."})
    static final class Add extends InLibraryCommand {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Its name: letters, digits, '.', '_', '-'.")
        String name;

        @Option(names = "--kind", required = true, paramLabel = "mirror|vault", description = "mirror: plain files in a"
                + " local folder; vault: encrypted snapshots.")
        String kind;

        @Option(names = "--uri", required = true, paramLabel = "URI", description = "A mirror: an absolute folder path."
                + " A vault: a folder, sftp://, s3://, rclone: (as --vault takes).")
        String uri;

        @Option(names = "--media", required = true, paramLabel = "CLASS", description = "internal, external-drive, nas"
                + " or cloud.")
        String media;

        @Option(names = "--location", required = true, paramLabel = "onsite|offsite", description = "Where it is.")
        String location;

        @Option(names = "--password-file", paramLabel = "FILE", description = "A vault's password file (relative to the"
                + " library, or ~/…). Default: $TRIPLICATE_PASSWORD_FILE, $TRIPLICATE_PASSWORD.")
        String passwordFile;

        @Override
        public Integer call() {
            TargetKind k = TargetKind.ofLabel(kind);
            MediaClass m = MediaClass.ofLabel(media);
            Site s = Site.ofLabel(location);
            if (k == null || m == null || s == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), k == null ? "--kind is mirror or vault"
                        : m == null ? "--media is internal, external-drive, nas or cloud" : "--location is onsite or offsite");
            }
            if (passwordFile != null && k == TargetKind.MIRROR) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a mirror has no password: --password-file"
                        + " is for vaults");
            }
            TargetService.Added a = ctx.library().targets().add(library(), new Target(name, k, uri, m, s, passwordFile));
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("config", a.file().toString());
                o.put("target", target(a.config().target(name).orElseThrow()));
                o.put("mirrorNote", a.mirrorNote());
                printJson(o);
            } else {
                ctx.out().printf("added %s %s (%s, %s, %s) to %s%n", k.label(), name, uri, m.label(), s.label(), a.file());
                if (a.mirrorNote() != null) {
                    ctx.err().println("note: the mirror's folder is not set up yet: " + a.mirrorNote()
                            + "; run 'triplicate mirror " + name + " --init' when the drive is there");
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List the targets; for mirrors, whether their folder can be reached now.")
    static final class ListTargets extends InLibraryCommand {
        @Override
        public Integer call() {
            List<TargetService.Entry> entries = ctx.library().targets().list(library());
            if (json) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (TargetService.Entry e : entries) {
                    Map<String, Object> o = target(e.target());
                    o.put("reachable", e.reachable());
                    o.put("why", e.why());
                    out.add(o);
                }
                printJson(out);
                return ExitCodes.OK;
            }
            if (entries.isEmpty()) {
                ctx.out().println("no targets: add one with 'triplicate target add NAME --kind mirror|vault --uri URI"
                        + " --media CLASS --location onsite|offsite'");
                return ExitCodes.OK;
            }
            ctx.out().printf("%-16s  %-6s  %-14s  %-7s  %-11s  %s%n", "NAME", "KIND", "MEDIA", "SITE", "REACHABLE", "URI");
            for (TargetService.Entry e : entries) {
                Target t = e.target();
                ctx.out().printf("%-16s  %-6s  %-14s  %-7s  %-11s  %s%n", t.name(), t.kind().label(), t.media().label(),
                        t.location().label(), e.reachable() == null ? "-" : e.reachable() ? "yes" : "no", t.uri());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Remove a target from the config. Its files are left where they are.")
    static final class Remove extends InLibraryCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            LibraryConfig c = ctx.library().targets().remove(library(), name);
            if (json) {
                printJson(Map.of("removed", name, "targets", c.targets().size()));
            } else {
                ctx.out().printf("removed %s (its files are left where they are); %d target(s) left%n", name,
                        c.targets().size());
            }
            return ExitCodes.OK;
        }
    }

    static Map<String, Object> target(Target t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", t.name());
        o.put("kind", t.kind().label());
        o.put("uri", t.uri());
        o.put("media", t.media().label());
        o.put("location", t.location().label());
        o.put("passwordFile", t.passwordFile());
        return o;
    }
}
