package triplicate.backend.rclone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rclone:} location grammar, the masking of secrets in it, and how rclone is found and started. */
class RcloneLocationTest {
    @TempDir
    Path tmp;

    private static RcloneLocation parse(String location) {
        return RcloneLocation.parse(URI.create(location));
    }

    @Test
    void remotesAndPathsAreTakenAsRcloneTakesThem() {
        RcloneLocation drive = parse("rclone:gdrive:Backups/Photos/vault");
        assertThat(drive.remote()).isEqualTo("gdrive:Backups/Photos/vault");
        assertThat(drive.remoteName()).isEqualTo("gdrive");
        assertThat(drive.shown()).isEqualTo("rclone:gdrive:Backups/Photos/vault");
        assertThat(drive.connections()).isEqualTo(4);
        assertThat(drive.timeout()).isEqualTo(Duration.ofMinutes(5));

        assertThat(parse("rclone:onedrive:").remote()).isEqualTo("onedrive:");
        assertThat(parse("rclone:my-nas_2:/volume1/backup").remote()).isEqualTo("my-nas_2:/volume1/backup");
        RcloneLocation onTheFly = parse("rclone::local:/mnt/backup/vault");
        assertThat(onTheFly.remote()).isEqualTo(":local:/mnt/backup/vault");
        assertThat(onTheFly.remoteName()).isEqualTo(":local");
        assertThat(parse("rclone:crypt,password2=x:vault").remoteName()).isEqualTo("crypt");
        assertThat(parse("RCLONE:gdrive:vault").remote()).isEqualTo("gdrive:vault");
    }

    @Test
    void percentEscapesAreDecodedAndPlusStaysPlus() {
        RcloneLocation l = parse("rclone:gdrive:My%20Photos/%C3%A9t%C3%A9+2024/100%25%20%23vault");
        assertThat(l.remote()).isEqualTo("gdrive:My Photos/été+2024/100% #vault");
        assertThat(l.shown()).isEqualTo("rclone:gdrive:My Photos/été+2024/100% #vault");
        assertThat(parse("rclone:gdrive:a%3Fb?connections=2").remote()).isEqualTo("gdrive:a?b");
    }

    @Test
    void optionsAreReadAndChecked() {
        RcloneLocation l = parse("rclone:dropbox:vault?connections=8&timeout=60");
        assertThat(l.connections()).isEqualTo(8);
        assertThat(l.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(l.shown()).isEqualTo("rclone:dropbox:vault");

        assertThatThrownBy(() -> parse("rclone:dropbox:vault?connections=0")).hasMessageContaining("from 1 to 32");
        assertThatThrownBy(() -> parse("rclone:dropbox:vault?connections=many")).hasMessageContaining("connections");
        assertThatThrownBy(() -> parse("rclone:dropbox:vault?timeout=1&timeout=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("rclone:dropbox:vault?speed=fast"))
                .hasMessageContaining("unknown option \"speed\"").hasMessageContaining("connections, timeout");
        assertThatThrownBy(() -> parse("rclone:dropbox:vault?token=abc123secret"))
                .hasMessageContaining("credentials do not belong").hasMessageContaining("rclone config")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abc123secret"));
    }

    @Test
    void malformedLocationsSayHowToWriteThem() {
        for (String bad : List.of("rclone://gdrive/vault", "rclone:/mnt/backup", "rclone:vault")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rclone:REMOTE:PATH");
        }
        assertThatThrownBy(() -> parse("rclone:gdrive:a#b")).hasMessageContaining("%23");
        assertThatThrownBy(() -> parse("rclone:gdrive:a%5Db")).hasMessageContaining("']'");
        assertThatThrownBy(() -> parse("rclone:%3A:vault")).hasMessageContaining("no remote name");
        assertThatThrownBy(() -> parse("s3://bucket/x")).hasMessageContaining("not an rclone: location");
    }

    @Test
    void secretsInAConnectionStringAreMasked() {
        RcloneLocation l = parse("rclone::s3,provider=AWS,access_key_id=AKIAEXAMPLE,secret_access_key=%22s3cr/t,x%22,"
                + "session_token='tok':bucket/vault");
        assertThat(l.shown()).isEqualTo("rclone::s3,provider=AWS,access_key_id=***,secret_access_key=***,"
                + "session_token=***:bucket/vault");
        assertThat(RcloneLocation.secrets(l.remote())).contains("AKIAEXAMPLE", "\"s3cr/t,x\"", "s3cr/t,x", "tok");
        assertThat(RcloneLocation.masked("sftp,host=nas,user=me,pass=hunter2:/backup"))
                .isEqualTo("sftp,host=nas,user=me,pass=***:/backup");
    }

    @Test
    void rcloneIsFoundOnThePathOrWhereTheVariableSays() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path program = bin.resolve("rclone");
        Files.writeString(program, "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        Path other = Files.copy(program, tmp.resolve("my-rclone"));

        assertThat(RcloneLauncher.from(Map.of("PATH", tmp + ":" + bin)).program()).isEqualTo(program);
        assertThat(RcloneLauncher.from(Map.of("PATH", bin.toString(), "TRIPLICATE_RCLONE", other.toString())).program())
                .isEqualTo(other);
        assertThatThrownBy(() -> RcloneLauncher.from(Map.of("PATH", tmp.toString())))
                .hasMessageContaining("rclone is not installed").hasMessageContaining("apt-get install rclone");
    }

    @Test
    void rcloneGetsTheEnvironmentButNotTriplicatesVariablesAndOurFlagsComeLast() throws IOException {
        Path program = tmp.resolve("rclone");
        Files.writeString(program, "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        RcloneLauncher launcher = RcloneLauncher.from(Map.of("TRIPLICATE_RCLONE", program.toString(),
                "TRIPLICATE_PASSWORD", "vault-password", "RCLONE_CONFIG", "/etc/rclone.conf",
                "RCLONE_CONFIG_PASS", "config-password", "RCLONE_RC_ADDR", "0.0.0.0:5572", "RCLONE_TRANSFERS", "8",
                "HOME", "/home/ann"));
        assertThat(launcher.environment()).containsOnlyKeys("RCLONE_CONFIG", "RCLONE_CONFIG_PASS", "RCLONE_TRANSFERS",
                "HOME");
        assertThat(launcher.secrets()).containsExactly("config-password");
        assertThat(launcher.command()).startsWith(program.toString(), "rcd")
                .contains("--rc-addr=127.0.0.1:0", "--rc-serve", "--rc-no-auth=false", "--ask-password=false",
                        "--dry-run=false", "--log-file=")
                .noneMatch(arg -> arg.startsWith("--rc-pass") || arg.startsWith("--rc-user"));
    }
}
