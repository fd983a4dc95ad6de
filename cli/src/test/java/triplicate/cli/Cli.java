package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import triplicate.backend.local.LocalBackend;
import triplicate.chunker.ChunkerParams;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;

/**
 * Runs {@code triplicate} commands in-process through {@link Main#run}, with an environment of its own (never the
 * real one). Every run checks that the password appears nowhere in what the command printed.
 */
final class Cli {
    /** What a command printed and returned. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }

        /** What the command printed, read as JSON (for {@code --json}). */
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Map<String, String> env = new HashMap<>();
    private final String password;

    /** A CLI for the vault {@code vault} with password {@code password} (given through TRIPLICATE_PASSWORD). */
    Cli(Path vault, String password) {
        this.password = password;
        env.put("TRIPLICATE_VAULT", vault.toString());
        env.put("TRIPLICATE_PASSWORD", password);
        env.put("TRIPLICATE_NO_PROGRESS", "1");
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), new HashMap<>(env));
        Result r = new Result(code, out.toString(), err.toString());
        assertNoSecret(r, password);
        return r;
    }

    /** Runs and asserts the exit code, showing the output if it differs. */
    Result expect(int code, String... args) {
        Result r = run(args);
        assertThat(r.code()).as("exit code of %s%n%s", String.join(" ", args), r).isEqualTo(code);
        return r;
    }

    /** {@code init} with cheap key derivation (hidden options meant for tests). */
    Result init(String... more) {
        String[] args = new String[3 + 2 + more.length];
        args[0] = "init";
        args[1] = "--kdf-memory";
        args[2] = "1";
        args[3] = "--kdf-iterations";
        args[4] = "1";
        System.arraycopy(more, 0, args, 5, more.length);
        return expect(ExitCodes.OK, args);
    }

    static void assertNoSecret(Result r, String secret) {
        assertThat(r.all()).as("the password must never be printed").doesNotContain(secret);
    }

    /**
     * Creates the vault with the repository API instead of {@code init}: 64 KiB packs and 1–16 KiB chunks (the CLI
     * allows no packs under 1 MiB), so a small library spreads over many packs.
     */
    void initWithSmallPacks() throws IOException {
        try (Password p = Password.of(password.toCharArray());
             Repository ignored = Repository.init(LocalBackend.create(Path.of(env.get("TRIPLICATE_VAULT"))), p,
                     RepositoryOptions.defaults("test", "test").withKdf(KdfParams.forTests()).withPackSize(64 * 1024)
                             .withChunkerSizes(new ChunkerParams(1024, 4096, 16 * 1024, 0)))) {
            // created
        }
    }

    /** Opens the vault with the repository API, as a second process (or an attacker with the password) would. */
    Repository openRepository() throws IOException {
        try (Password p = Password.of(password.toCharArray())) {
            return Repository.open(LocalBackend.open(Path.of(env.get("TRIPLICATE_VAULT"))), p,
                    RepositoryOptions.defaults("test", "test").withKdf(KdfParams.forTests()));
        }
    }
}
