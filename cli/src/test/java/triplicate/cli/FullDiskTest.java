package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vault on a disk that fills up during a backup: the backup fails with a message about the full disk, writes no
 * snapshot and leaves no temporary file; the vault still checks clean (packs already written are only warnings);
 * and once the source is small enough, the next backup succeeds and restores byte-identical.
 */
class FullDiskTest {
    private static final String PASSWORD = "full-disk secret 9d1e";

    @TempDir
    Path tmp;

    @Test
    void backupOntoAFullDiskFailsCleanlyAndTheVaultStaysUsable() throws IOException {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        Object mounted = SmallDisk.mount(disk, "2m");
        Assumptions.assumeTrue(mounted instanceof SmallDisk, () -> "no small disk to fill: " + mounted);
        try (SmallDisk ignored = (SmallDisk) mounted) {
            Path vault = disk.resolve("vault");
            Cli cli = new Cli(vault, PASSWORD);
            // 1 MiB packs of chunks up to 256 KiB: a pack that made it before the disk filled holds at most 1.25 MiB,
            // which leaves room for the small backup at the end (with 8 MiB chunks one pack could take the disk)
            cli.init("--pack-size", "1", "--chunk-sizes", "64,128,256");
            // other files on the drive, which the user deletes to make room, as the error message asks
            Path ballast = disk.resolve("other-files.bin");
            Files.write(ballast, new byte[700_000]);
            Path src = tmp.resolve("src");
            for (int i = 0; i < 10; i++) {
                TestFiles.writeRandom(src.resolve("raw-" + i + ".cr2"), i, 1_000_000);
            }

            Cli.Result full = cli.run("backup", src.toString());
            assertThat(full.code()).as(full.toString()).isNotIn(ExitCodes.OK, ExitCodes.INCOMPLETE);
            assertThat(full.err()).contains("disk is full");
            assertThat(list(vault.resolve("snapshots"))).as("no snapshot was written").isEmpty();
            assertThat(allNames(vault)).noneMatch(n -> n.startsWith(".tmp-") || n.startsWith("."));

            Cli.Result check = cli.expect(ExitCodes.OK, "check", "--read-data");
            assertThat(check.out()).contains("no errors were found");

            // make room and try again with less: the vault takes it (packs that completed before the disk filled
            // stay, are indexed from their headers and reused; how many completed depends on timing)
            Files.delete(ballast);
            for (int i = 1; i < 10; i++) {
                Files.delete(src.resolve("raw-" + i + ".cr2"));
            }
            try (FileChannel ch = FileChannel.open(src.resolve("raw-0.cr2"), StandardOpenOption.WRITE)) {
                ch.truncate(200_000);
            }
            cli.expect(ExitCodes.OK, "backup", src.toString());
            cli.expect(ExitCodes.OK, "check", "--read-data");
            Path out = tmp.resolve("restored");
            cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
            assertThat(TestFiles.content(out.resolve("src"))).isEqualTo(TestFiles.content(src));
            assertThat(allNames(vault)).noneMatch(n -> n.startsWith("."));
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static List<String> allNames(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
