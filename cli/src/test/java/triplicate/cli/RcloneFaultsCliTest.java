package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import triplicate.backend.rclone.RcloneRemote;

/**
 * Backups through rclone while things go wrong: 10% of all backend calls fail transiently (half of the failed saves
 * after the file was stored, as when an answer is lost), through the test-only {@code faulty:} scheme, and during one
 * backup the rclone process itself is killed ({@code kill -9}). Every backup completes, {@code check --read-data}
 * passes, and every snapshot restores byte for byte. The CLI runs as in production: Backends wraps the
 * (fault-injected) rclone backend in RetryingBackend, and the backend starts a new rclone for the next call.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ResourceLock(RcloneCliTest.RCLONE_PROCESSES)
class RcloneFaultsCliTest {
    @TempDir
    Path tmp;

    @Test
    void backupsCompleteThroughFaultsAndAKilledRclone() throws Exception {
        RcloneRemote remote = RcloneRemote.create(Files.createDirectories(tmp.resolve("rclone")));
        Path vault = remote.root().resolve("vault");
        FaultScenario scenario = new FaultScenario(tmp, remote.location(vault), remote.env());
        scenario.firstBackup();
        // the second backup's rclone is killed once a few of its packs are stored
        Path data = vault.resolve("data");
        CompletableFuture<Cli.Result> second = scenario.secondBackupUnderWay(() -> packs(data), 10,
                "rclone was killed");
        Optional<ProcessHandle> rclone = rcloneChild();
        assertThat(rclone).as("the backup's rclone process").isPresent();
        rclone.get().destroyForcibly();
        rclone.get().onExit().get(10, TimeUnit.SECONDS);
        Cli.Result r = second.get(3, TimeUnit.MINUTES);
        assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(rcloneChild()).as("the CLI stopped the rclone it started again").isEmpty();
        scenario.secondBackupCompleted(r);
        scenario.thirdBackupCheckAndRestores();
        for (Path f : CliTesting.filesUnder(data)) {
            String name = f.getFileName().toString();
            if (!name.startsWith(".")) {
                assertThat(CliTesting.sha256(f)).as("pack %s is complete", name).isEqualTo(name);
            }
        }
    }

    /** The rclone this JVM's CLI started (the lock keeps other rclone tests of this module from running meanwhile). */
    private static Optional<ProcessHandle> rcloneChild() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/rclone") || c.equals("rclone")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[0].equals("rcd")).orElse(false))
                .filter(ProcessHandle::isAlive)
                .findFirst();
    }

    private static long packs(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return 0;
        }
        return CliTesting.filesUnder(data).stream()
                .filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
    }
}
