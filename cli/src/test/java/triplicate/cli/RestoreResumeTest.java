package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills restore processes with SIGKILL (kill -9) midway and runs the restore again: it must complete, recognise the
 * files the killed run finished as intact (and skip them), leave no temporary files, and produce byte-identical
 * files. A restored file whose bytes were changed afterwards (same size, same modification time) is not intact:
 * it is written again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RestoreResumeTest {
    private static final String TEMP_PREFIX = ".triplicate-restore-";
    private static final long MiB = 1024 * 1024;
    private static final String BIG = "photos/big/CLIP_0001.MOV";

    @TempDir
    static Path shared;
    private static Path source;
    private static Map<String, String> env;
    private static Map<String, String> expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void backUpASourceTree() throws IOException {
        Random random = new Random(4242);
        source = shared.resolve("photos");
        CliTesting.writeRandomTree(source, random, 20 * MiB);
        CliTesting.writeRandomFile(shared.resolve(BIG), random, (int) (24 * MiB));
        env = Map.of("TRIPLICATE_VAULT", shared.resolve("vault").toString(), "TRIPLICATE_PASSWORD", "resume me",
                "TRIPLICATE_NO_PROGRESS", "1");
        CliTesting.Result init = CliTesting.run(env, "init", "--kdf-memory", "1", "--kdf-iterations", "1",
                "--pack-size", "4", "--chunk-sizes", "64,256,1024");
        assertThat(init.code()).as(init.toString()).isZero();
        CliTesting.Result backup = CliTesting.run(env, "backup", source.toString());
        assertThat(backup.code()).as(backup.toString()).isZero();
        expected = CliTesting.hashes(source);
    }

    @Test
    void aKilledRestoreResumesSkippingTheFilesItFinished() throws Exception {
        Random random = new Random(77);
        Path target = tmp.resolve("target");
        int total = expected.size();
        int killAt = 1 + random.nextInt(total / 3);
        Killed killed = restoreAndKill(target, List.of(),
                t -> finishedFiles(t).size() >= killAt);
        List<Path> finished = finishedFiles(target);
        int temps = tempFiles(target).size();
        log("killed the restore after %d of %d files were finished (wanted %d); %d temporary file(s) left; %.1f s",
                finished.size(), total, killAt, temps, killed.seconds());
        assertThat(finished).as("the kill came midway").isNotEmpty().hasSizeLessThan(total);

        JsonNode result = restoreInProcess(target);
        assertThat(result.get("filesAlreadyIntact").asLong()).as("files the killed run finished, skipped")
                .isEqualTo(finished.size());
        assertThat(result.get("files").asLong()).isEqualTo(total);
        assertThat(tempFiles(target)).as("temporary files after the resumed restore").isEmpty();
        assertThat(CliTesting.hashes(target.resolve("photos"))).isEqualTo(expected);

        // a finished file altered afterwards (same size, same time) is not intact; a deleted one is missing
        List<Path> files = finishedFiles(target);
        Path altered = files.stream().filter(p -> sizeOf(p) > 1).findFirst().orElseThrow();
        Path deleted = files.get(files.size() - 1);
        FileTime mtime = Files.getLastModifiedTime(altered);
        try (RandomAccessFile raf = new RandomAccessFile(altered.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x5a);
        }
        Files.setLastModifiedTime(altered, mtime);
        Files.delete(deleted);
        assertThat(CliTesting.hashes(target.resolve("photos"))).isNotEqualTo(expected);

        JsonNode again = restoreInProcess(target);
        assertThat(again.get("filesAlreadyIntact").asLong()).as("intact files: all but the altered and the deleted one")
                .isEqualTo(total - 2);
        assertThat(CliTesting.hashes(target.resolve("photos"))).isEqualTo(expected);
        assertThat(tempFiles(target)).isEmpty();
    }

    @Test
    void aKilledRestoreOfOneFileLeavesNoTemporaryFileOnceResumed() throws Exception {
        Path target = tmp.resolve("one");
        Path big = target.resolve(BIG);
        restoreAndKill(target, List.of("--include", BIG), t -> !tempFiles(t).isEmpty());
        assertThat(big).as("no half file under the real name").doesNotExist();
        log("killed the restore of %s with %d temporary file(s) beside it", BIG, tempFiles(target).size());
        assertThat(tempFiles(target)).isNotEmpty();

        CliTesting.Result r = CliTesting.run(env, "restore", "latest", "--target", target.toString(), "--include", BIG);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(CliTesting.sha256(big)).isEqualTo(expected.get(BIG.substring("photos/".length())));
        assertThat(tempFiles(target)).as("temporary files after the resumed restore").isEmpty();
    }

    private record Killed(double seconds) {
    }

    /**
     * Starts a restore of the latest snapshot into {@code target} in a separate JVM and kills it (SIGKILL) as soon as
     * {@code killWhen} holds. Tries again (with a fresh target) if the restore finished first, which only a very fast
     * machine could make happen.
     */
    private Killed restoreAndKill(Path target, List<String> extra, Predicate<Path> killWhen) throws Exception {
        for (int attempt = 1; attempt <= 3; attempt++) {
            CliTesting.deleteTree(target);
            String[] args = new String[4 + extra.size()];
            args[0] = "restore";
            args[1] = "latest";
            args[2] = "--target";
            args[3] = target.toString();
            for (int i = 0; i < extra.size(); i++) {
                args[4 + i] = extra.get(i);
            }
            Path out = tmp.resolve("restore-" + attempt + ".out");
            long t0 = System.nanoTime();
            Process p = CliTesting.start(env, out, args);
            try {
                while (p.isAlive()) {
                    if (killWhen.test(target)) {
                        p.destroyForcibly();
                        break;
                    }
                    Thread.sleep(1);
                }
                assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            if (p.exitValue() != 0) {
                return new Killed((System.nanoTime() - t0) / 1e9);
            }
            log("attempt %d: the restore finished before the kill; trying again%n%s", attempt, Files.readString(out));
        }
        return fail("could not kill a restore midway in 3 attempts");
    }

    private JsonNode restoreInProcess(Path target) throws IOException {
        CliTesting.Result r = CliTesting.run(env, "restore", "latest", "--target", target.toString(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out()).get("result");
    }

    /** Files under their real name (complete: a restore renames a file into place only when it is whole). */
    private static List<Path> finishedFiles(Path target) {
        return files(target, p -> !p.getFileName().toString().startsWith(TEMP_PREFIX));
    }

    private static List<Path> tempFiles(Path target) {
        return files(target, p -> p.getFileName().toString().startsWith(TEMP_PREFIX));
    }

    private static List<Path> files(Path target, Predicate<Path> filter) {
        try {
            return CliTesting.filesUnder(target).stream().filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("[restore-resume] " + format + "%n", args);
    }
}
