package triplicate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.TriplicateException;
import triplicate.policy.MediaClass;
import triplicate.policy.Policy;
import triplicate.policy.Site;

class ConfigFileTest {
    @TempDir
    Path lib;

    private static final Path FILE = Path.of("config.yaml");

    private static ConfigException error(String text) {
        try {
            ConfigFile.parse(FILE, text);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + text);
    }

    @Test
    void aFullConfigIsRead() {
        LibraryConfig c = ConfigFile.parse(FILE, """
                library:
                  media: nas
                  location: onsite
                policy:
                  copies: 4
                  media-kinds: 2
                  offsite: 2
                  max-verification-age-days: 30
                mirrors:
                  safety-net-days: 7
                targets:
                  - name: usb
                    kind: mirror
                    uri: /media/usb/photos
                    media: external-drive
                    location: onsite
                  - name: b2
                    kind: vault
                    uri: "s3://bucket/photos"
                    media: cloud
                    location: offsite
                    password-file: ~/.config/triplicate/b2.password
                """);
        assertThat(c.media()).isEqualTo(MediaClass.NAS);
        assertThat(c.policy()).isEqualTo(new Policy(4, 2, 2, Duration.ofDays(30)));
        assertThat(c.safetyNetDays()).isEqualTo(7);
        assertThat(c.targets()).containsExactly(
                new Target("usb", TargetKind.MIRROR, "/media/usb/photos", MediaClass.EXTERNAL_DRIVE, Site.ONSITE, null),
                new Target("b2", TargetKind.VAULT, "s3://bucket/photos", MediaClass.CLOUD, Site.OFFSITE,
                        "~/.config/triplicate/b2.password"));
    }

    @Test
    void emptyAndMissingFilesAreTheDefaults() {
        assertThat(ConfigFile.parse(FILE, "")).isEqualTo(LibraryConfig.defaults());
        assertThat(ConfigFile.parse(FILE, "# nothing yet\n")).isEqualTo(LibraryConfig.defaults());
        assertThat(ConfigFile.load(lib)).isEqualTo(LibraryConfig.defaults());
        assertThat(ConfigFile.parse(FILE, ConfigFile.template())).isEqualTo(LibraryConfig.defaults());
    }

    @Test
    void mistakesAreRejectedWithTheLineAndTheReason() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("policy:\n  copies: three\n", "config.yaml:2:11: copies must be a whole number"),
                Map.entry("policy:\n  copies: 0\n", "config.yaml:2:11: copies must be between 1 and 100 (not 0)"),
                Map.entry("policy:\n  copies: 2\n  offsite: 3\n",
                        "config.yaml:3:3: the policy wants more offsite copies than copies (2)"),
                Map.entry("polcy:\n  copies: 3\n", "config.yaml:1:1: 'polcy' is not a section (expected one of archive, library,"
                        + " mirrors, policy, targets)"),
                Map.entry("library:\n  media: ssd\n",
                        "config.yaml:2:10: media must be internal, external-drive, nas or cloud (not 'ssd')"),
                Map.entry("targets:\n  - name: usb\n    kind: mirror\n    uri: /m\n    media: nas\n    location: offsite\n"
                        + "  - name: usb\n    kind: vault\n    uri: /v\n    media: nas\n    location: onsite\n",
                        "config.yaml:7:5: a second target is named 'usb' (the first is on line 2)"),
                Map.entry("targets:\n  - name: usb\n    kind: mirror\n    media: nas\n    location: onsite\n",
                        "config.yaml:2:5: this target has no uri"),
                Map.entry("targets:\n  - name: usb\n    kind: copy\n    uri: /m\n    media: nas\n    location: onsite\n",
                        "config.yaml:3:11: kind must be mirror or vault (not 'copy')"),
                Map.entry("targets:\n  - name: nas\n    kind: mirror\n    uri: sftp://nas/photos\n    media: nas\n"
                        + "    location: onsite\n", "config.yaml:4:10: a mirror is a local folder (an external drive, a"
                        + " mounted NAS share), not sftp:…: mount the share and give its path, or make this target a vault"),
                Map.entry("targets:\n  - name: usb\n    kind: mirror\n    uri: /m\n    media: nas\n    location: onsite\n"
                        + "    password: hunter2\n", "config.yaml:7:5: 'password' is not a key of a target (expected one"
                        + " of kind, location, media, name, password-file, uri)"),
                Map.entry("library:\n  media: nas\n  media: cloud\n",
                        "config.yaml:3:3: 'media' appears twice (first on line 2)"),
                Map.entry("targets: usb\n", "config.yaml:1:1: targets must be a list (each item starting with '- name:')"),
                Map.entry("targets:\n  - name: library\n", "config.yaml:2:11: 'library' names the library itself in"
                        + " reports; choose another name (not 'library')"));
        cases.forEach((text, message) -> assertThat(error(text).getMessage()).as(text).isEqualTo(message));
    }

    @Test
    void syntaxErrorsHaveALineToo() {
        ConfigException e = error("policy:\n  copies: 3\n offsite: [1\n");
        assertThat(e.line()).isGreaterThanOrEqualTo(3);
        assertThat(e.getMessage()).startsWith("config.yaml:").contains("not valid YAML");
        ConfigException tab = error("policy:\n\tcopies: 3\n");
        assertThat(tab.getMessage()).startsWith("config.yaml:2:1: not valid YAML:").contains("TAB");
    }

    @Test
    void addAndRemoveKeepComments() throws IOException {
        Target usb = new Target("usb", TargetKind.MIRROR, "/media/usb/photos", MediaClass.EXTERNAL_DRIVE, Site.ONSITE, null);
        Target b2 = new Target("b2", TargetKind.VAULT, "s3://bucket/photos", MediaClass.CLOUD, Site.OFFSITE,
                "/home/me/b2 password.txt");
        LibraryConfig one = ConfigFile.addTarget(lib, usb);
        assertThat(one.targets()).containsExactly(usb);
        Path file = ConfigFile.pathOf(lib);
        String withComment = Files.readString(file).replace("  - name: usb", "  # my USB drive\n  - name: usb");
        Files.writeString(file, "# mine: do not lose\n" + withComment);
        assertThat(ConfigFile.addTarget(lib, b2).targets()).containsExactly(usb, b2);
        assertThatThrownBy(() -> ConfigFile.addTarget(lib, usb)).isInstanceOf(TriplicateException.class)
                .hasMessageContaining("already a target named 'usb'");
        assertThat(ConfigFile.load(lib).targets()).containsExactly(usb, b2);

        assertThat(ConfigFile.removeTarget(lib, "usb").targets()).containsExactly(b2);
        String after = Files.readString(file);
        assertThat(after).contains("# mine: do not lose").contains("# my USB drive").contains("password-file: \"/home/me/b2 password.txt\"")
                .doesNotContain("/media/usb");
        assertThat(ConfigFile.removeTarget(lib, "b2").targets()).isEmpty();
        assertThat(ConfigFile.addTarget(lib, b2).targets()).containsExactly(b2);
        assertThatThrownBy(() -> ConfigFile.removeTarget(lib, "nope")).hasMessageContaining("no target named 'nope'");
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString())).containsExactly("config.yaml");
    }

    @Test
    void addWorksOnHandWrittenFiles() throws IOException {
        Files.createDirectories(lib.resolve(".triplicate"));
        Target usb = new Target("usb", TargetKind.MIRROR, "/m", MediaClass.NAS, Site.ONSITE, null);
        Files.writeString(ConfigFile.pathOf(lib), "policy:\n    copies: 2\n");
        assertThat(ConfigFile.addTarget(lib, usb).targets()).containsExactly(usb);
        Files.writeString(ConfigFile.pathOf(lib), "targets: []\npolicy:\n  copies: 2\n");
        assertThat(ConfigFile.addTarget(lib, usb).targets()).containsExactly(usb);
        Files.writeString(ConfigFile.pathOf(lib), "targets:\n    -   name: a\n        kind: mirror\n        uri: /a\n"
                + "        media: nas\n        location: onsite\npolicy:\n  copies: 2\n");
        LibraryConfig c = ConfigFile.addTarget(lib, usb);
        assertThat(c.targets()).extracting(Target::name).containsExactly("a", "usb");
        assertThat(c.policy().copies()).isEqualTo(2);
        assertThat(ConfigFile.removeTarget(lib, "a").targets()).containsExactly(usb);
    }

    @Test
    void theLibraryIsFoundAboveTheCurrentFolder() throws IOException {
        Files.createDirectories(lib.resolve(".triplicate"));
        Path deep = Files.createDirectories(lib.resolve("2024/paris"));
        assertThat(Libraries.locate(null, Map.of(), deep)).isEqualTo(lib.toAbsolutePath().normalize());
        assertThat(Libraries.locate(deep, Map.of(), lib)).isEqualTo(deep.toAbsolutePath().normalize());
        assertThat(Libraries.locate(null, Map.of("TRIPLICATE_LIBRARY", deep.toString()), lib)).isEqualTo(deep);
        assertThatThrownBy(() -> Libraries.locate(null, Map.of(), lib.getRoot()))
                .hasMessageContaining("use --library DIR");
    }
}
