package triplicate.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpLocationTest {
    private static final Map<String, String> ENV = Map.of("USER", "alice");

    private static SftpLocation parse(String uri) {
        return SftpLocation.parse(URI.create(uri), ENV);
    }

    @Test
    void userHostPortAndAbsolutePath() {
        assertThat(parse("sftp://backup@nas.local:2222/volume1/backup/vault"))
                .isEqualTo(new SftpLocation("backup", "nas.local", 2222, "/volume1/backup/vault", 0));
        assertThat(parse("sftp://nas/photos/vault/")).isEqualTo(new SftpLocation("alice", "nas", 22, "/photos/vault", 0));
        assertThat(parse("sftp://nas//a//b")).extracting(SftpLocation::path).isEqualTo("/a/b");
        assertThat(parse("sftp://nas/My%20Photos/vault")).extracting(SftpLocation::path).isEqualTo("/My Photos/vault");
        // names java.net.URI does not take as host names, and an encoded user name
        assertThat(parse("sftp://backup@my_nas:2222/x")).isEqualTo(new SftpLocation("backup", "my_nas", 2222, "/x", 0));
        assertThat(parse("sftp://my_nas/x")).isEqualTo(new SftpLocation("alice", "my_nas", 22, "/x", 0));
        assertThat(parse("sftp://ann%40home@nas/x").user()).isEqualTo("ann@home");
        assertThatThrownBy(() -> parse("sftp://nas:99999/x")).hasMessageContaining("invalid port");
        assertThatThrownBy(() -> parse("sftp://nas:abc/x")).hasMessageContaining("invalid port");
    }

    @Test
    void slashTildeMeansTheLoginFolder() {
        assertThat(parse("sftp://nas/~/backups/vault").path()).isEqualTo("backups/vault");
        assertThat(parse("sftp://nas/~").path()).isEqualTo(".");
        assertThat(parse("sftp://nas/~/").path()).isEqualTo(".");
        assertThat(parse("sftp://nas/~x/vault").path()).as("only '~' alone is the login folder").isEqualTo("/~x/vault");
        assertThat(parse("sftp://bob@nas/~/vault")).hasToString("sftp://bob@nas:22/~/vault");
    }

    @Test
    void ipv6AddressesAndTheMessageForm() {
        SftpLocation v6 = parse("sftp://backup@[fd00::5]:2200/srv/vault");
        assertThat(v6.host()).isEqualTo("fd00::5");
        assertThat(v6).hasToString("sftp://backup@[fd00::5]:2200/srv/vault");
        assertThat(v6.knownHostsName()).isEqualTo("[fd00::5]:2200");
        assertThat(parse("sftp://nas/v").knownHostsName()).isEqualTo("nas");
        assertThat(parse("sftp://nas:2222/v").knownHostsName()).isEqualTo("[nas]:2222");
    }

    @Test
    void connectionsOption() {
        assertThat(parse("sftp://nas/v?connections=8").connections()).isEqualTo(8);
        assertThatThrownBy(() -> parse("sftp://nas/v?connections=0")).hasMessageContaining("from 1 to 10");
        assertThatThrownBy(() -> parse("sftp://nas/v?connections=99")).hasMessageContaining("from 1 to 10");
        assertThatThrownBy(() -> parse("sftp://nas/v?colour=red")).hasMessageContaining("unknown option \"colour\"");
    }

    @Test
    void aPasswordInTheUriIsRefusedAndNotRepeated() {
        assertThatThrownBy(() -> parse("sftp://alice:hunter2@nas/v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a password in the location is refused")
                .hasMessageContaining("sftp://alice:***@nas/v")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> parse("sftp://alice:@nas/v")).hasMessageContaining("password in the location");
    }

    @Test
    void malformedLocations() {
        assertThatThrownBy(() -> parse("sftp://nas")).hasMessageContaining("no folder given");
        assertThatThrownBy(() -> parse("sftp://nas/")).hasMessageContaining("no folder given");
        assertThatThrownBy(() -> parse("sftp:nas/v")).hasMessageContaining("sftp://[user@]host[:port]/path");
        assertThatThrownBy(() -> parse("sftp://nas/a/../b")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> parse("sftp://nas/v#x")).hasMessageContaining("fragment");
    }

    @Test
    void settingsComeFromTheEnvironment(@TempDir Path home) throws Exception {
        SftpLocation location = parse("sftp://nas/v");
        SftpSettings defaults = SftpSettings.from(location, Map.of("HOME", home.toString()));
        assertThat(defaults.knownHosts()).isEqualTo(home.resolve(".ssh/known_hosts"));
        assertThat(defaults.identities()).isEmpty();
        assertThat(defaults.connections()).isEqualTo(SftpSettings.DEFAULT_CONNECTIONS);
        assertThat(defaults.password()).isNull();

        java.nio.file.Files.createDirectories(home.resolve(".ssh"));
        java.nio.file.Files.writeString(home.resolve(".ssh/id_rsa"), "x");
        java.nio.file.Files.writeString(home.resolve(".ssh/id_ed25519"), "x");
        java.nio.file.Files.writeString(home.resolve("pw"), "s3cret\nignored\n");
        SftpSettings set = SftpSettings.from(parse("sftp://nas/v?connections=3"), Map.of("HOME", home.toString(),
                "TRIPLICATE_SFTP_PASSWORD_FILE", "~/pw", "TRIPLICATE_SFTP_PASSWORD", "other",
                "TRIPLICATE_SFTP_CONNECTIONS", "7", "TRIPLICATE_SFTP_KNOWN_HOSTS", "/etc/ssh/ssh_known_hosts"));
        assertThat(set.identities()).containsExactly(home.resolve(".ssh/id_ed25519"), home.resolve(".ssh/id_rsa"));
        assertThat(set.password()).as("the file wins, first line only").isEqualTo("s3cret");
        assertThat(set.connections()).as("the URI wins").isEqualTo(3);
        assertThat(set.knownHosts()).isEqualTo(Path.of("/etc/ssh/ssh_known_hosts"));
        assertThat(set.toString()).doesNotContain("s3cret").contains("TRIPLICATE_SFTP_PASSWORD_FILE");

        assertThatThrownBy(() -> SftpSettings.from(location, Map.of("TRIPLICATE_SFTP_IDENTITY", home.resolve("nope").toString())))
                .hasMessageContaining("TRIPLICATE_SFTP_IDENTITY");
        assertThatThrownBy(() -> SftpSettings.from(location, Map.of("TRIPLICATE_SFTP_TIMEOUT", "soon")))
                .hasMessageContaining("TRIPLICATE_SFTP_TIMEOUT");
    }
}
