package triplicate.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.maintenance.TreeWalker;
import triplicate.app.Vault;
import triplicate.snapshot.Node;

@Command(name = "ls", description = "List the files of a snapshot (all of it, or under PATH).")
final class LsCommand extends BaseCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or 'latest'.")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A path inside the snapshot.")
    String path;

    @Option(names = {"-r", "--recursive"}, negatable = true, defaultValue = "true", description = "Descend into folders (default).")
    boolean recursive;

    @Override
    public Integer call() throws Exception {
        try (Vault repo = openVault()) {
            var id = repo.resolveSnapshot(snapshot);
            List<TreeWalker.Entry> entries = ctx.service().ls(repo, id, path, recursive);
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (TreeWalker.Entry e : entries) {
                    Node n = e.node();
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("path", e.path());
                    o.put("type", n.type().json());
                    o.put("size", n.size());
                    o.put("mode", Integer.toOctalString(n.mode()));
                    o.put("mtime", Instant.ofEpochSecond(0, n.mtimeNanos()).toString());
                    rows.add(o);
                }
                printJson(rows);
            } else {
                for (TreeWalker.Entry e : entries) {
                    Node n = e.node();
                    String type = switch (n.type()) {
                        case DIR -> "d";
                        case SYMLINK -> "l";
                        case FILE -> "-";
                        case OTHER -> "?";
                    };
                    ctx.out().printf("%s%04o %10s  %s  %s%s%n", type, n.mode(), n.type() == triplicate.snapshot.NodeType.FILE ? Format.bytes(n.size()) : "",
                            TIME.format(Instant.ofEpochSecond(0, n.mtimeNanos())), e.path(),
                            n.linkTarget() != null ? " -> " + n.linkTarget() : "");
                }
            }
            return ExitCodes.OK;
        }
    }
}
