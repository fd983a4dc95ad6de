package triplicate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import triplicate.config.Libraries;

/** A command on a library and its targets: {@code --library DIR}, else $TRIPLICATE_LIBRARY, else found upward. */
abstract class InLibraryCommand extends LibraryCommand {
    @Option(names = "--library", paramLabel = "DIR", description = {"The library. Default: $TRIPLICATE_LIBRARY, else the"
        + " nearest folder at or above the current one that has a .triplicate folder."})
    Path library;

    Path library() {
        return Libraries.locate(library, ctx.env(), Path.of(""));
    }

    static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
