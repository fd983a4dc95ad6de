package triplicate.cli;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import triplicate.snapshot.Json;

/** Options and helpers shared by the commands that work on a library's catalog (no vault, no password). */
abstract class LibraryCommand implements Callable<Integer> {
    Context ctx;

    @Option(names = "--json", description = "Print the result as JSON (a stable interface for scripts).")
    boolean json;

    void printJson(Object value) {
        ctx.out().println(new String(Json.encode(value), StandardCharsets.UTF_8));
    }

    boolean showProgress() {
        return !json && Terminal.isInteractive() && !ctx.env().containsKey("TRIPLICATE_NO_PROGRESS");
    }
}
