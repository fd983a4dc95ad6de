package triplicate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --eject-when-verified} does with the tools a machine has, and what it says. */
class EjectorTest {
    @TempDir
    Path mountPoint;

    /** Answers commands from a table (a missing entry: the program is not installed) and records them. */
    private static final class Fake implements Ejector.Commands {
        final Map<String, Result> answers;
        final List<String> ran = new ArrayList<>();

        Fake(Map<String, Result> answers) {
            this.answers = answers;
        }

        @Override
        public Result run(List<String> command) {
            String line = String.join(" ", command);
            ran.add(line);
            return answers.entrySet().stream().filter(e -> line.startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    private Ejector.Commands.Result ok(String out) {
        return new Ejector.Commands.Result(0, out);
    }

    @Test
    void aFolderOnTheSystemDiskIsNotEjected() throws IOException {
        Fake f = new Fake(Map.of("findmnt", ok("/ /dev/vda1")));
        Ejector.Result r = new Ejector(f).eject(Path.of("/home/me/card-copy"));
        assertThat(r.ejected()).isFalse();
        assertThat(r.message()).isEqualTo("not ejected: /home/me/card-copy is not on a removable volume of its own"
                + " (it is on /, /dev/vda1)");
        assertThat(f.ran).hasSize(1);
    }

    @Test
    void udisksUnmountsAndPowersOff() throws IOException {
        Fake f = new Fake(Map.of("findmnt", ok(mountPoint + " /dev/sdb1"), "udisksctl unmount", ok("Unmounted"),
                "udisksctl power-off", ok("")));
        Ejector.Result r = new Ejector(f).eject(mountPoint.resolve("DCIM"));
        assertThat(r.ejected()).isTrue();
        assertThat(r.message()).contains("unmounted and powered off").contains("/dev/sdb1");
        assertThat(f.ran).containsExactly("findmnt -n -o TARGET,SOURCE -T " + mountPoint.resolve("DCIM"),
                "udisksctl unmount -b /dev/sdb1", "udisksctl power-off -b /dev/sdb1");
    }

    @Test
    void withoutUdisksEjectDoesIt() throws IOException {
        Fake f = new Fake(Map.of("findmnt", ok(mountPoint + " /dev/sdc1"), "eject", ok("")));
        Ejector.Result r = new Ejector(f).eject(mountPoint);
        assertThat(r.ejected()).isTrue();
        assertThat(r.message()).contains("with eject");
    }

    @Test
    void whenNothingWorksTheUserIsToldWhatWasTried() throws IOException {
        Fake busy = new Fake(Map.of("findmnt", ok(mountPoint + " /dev/sdb1"),
                "udisksctl unmount", new Ejector.Commands.Result(1, "Error unmounting: target is busy"),
                "eject", new Ejector.Commands.Result(1, "eject: unable to eject")));
        Ejector.Result r = new Ejector(busy).eject(mountPoint);
        assertThat(r.ejected()).isFalse();
        assertThat(r.message()).contains("still mounted").contains("target is busy").contains("unable to eject")
                .contains("Unmount it before removing the card");

        Fake none = new Fake(Map.of("findmnt", ok(mountPoint + " /dev/sdb1")));
        assertThat(new Ejector(none).eject(mountPoint).message()).contains("neither udisksctl nor eject is installed");

        Fake noFindmnt = new Fake(Map.of());
        assertThat(new Ejector(noFindmnt).eject(mountPoint).message()).contains("findmnt is not installed");
    }
}
