package triplicate.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ejects the removable volume a source is on, best effort, with the desktop's tools: {@code udisksctl unmount} and
 * {@code power-off} (no root needed on a desktop), else {@code eject}. Says exactly what happened. Never touches
 * the disk the system runs from.
 */
final class Ejector {
    /** Runs a command; replaced in tests. */
    @FunctionalInterface
    interface Commands {
        /** Exit code and output of {@code command}, or null if the program is not installed. */
        Result run(List<String> command) throws IOException;

        record Result(int exit, String output) {
        }
    }

    static final Commands SYSTEM = command -> {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Commands.Result(-1, String.join(" ", command) + " did not finish in 60 s");
            }
            return new Commands.Result(p.exitValue(), out);
        } catch (IOException e) {
            return null; // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    };

    private final Commands commands;

    Ejector(Commands commands) {
        this.commands = commands;
    }

    /** What happened. */
    record Result(boolean ejected, String message) {
    }

    Result eject(Path source) throws IOException {
        Commands.Result mount = commands.run(List.of("findmnt", "-n", "-o", "TARGET,SOURCE", "-T", source.toString()));
        if (mount == null || mount.exit() != 0 || mount.output().isBlank()) {
            return new Result(false, "not ejected: could not find the volume " + source + " is on"
                    + (mount == null ? " (findmnt is not installed)" : ""));
        }
        String[] parts = mount.output().lines().findFirst().orElse("").trim().split("\\s+");
        String target = parts[0];
        String device = parts.length > 1 ? parts[1] : "";
        if (target.equals("/") || !device.startsWith("/dev/") || isSystemMount(target)) {
            return new Result(false, "not ejected: " + source + " is not on a removable volume of its own (it is on "
                    + target + (device.isEmpty() ? "" : ", " + device) + ")");
        }
        List<String> tried = new ArrayList<>();
        Commands.Result unmount = commands.run(List.of("udisksctl", "unmount", "-b", device));
        if (unmount != null) {
            tried.add("udisksctl unmount: " + summary(unmount));
            if (unmount.exit() == 0) {
                Commands.Result off = commands.run(List.of("udisksctl", "power-off", "-b", device));
                if (off != null && off.exit() == 0) {
                    return new Result(true, "ejected " + target + " (" + device + "): unmounted and powered off;"
                            + " the card can be removed");
                }
                return new Result(true, "unmounted " + target + " (" + device + "); it could not be powered off ("
                        + (off == null ? "udisksctl is gone" : summary(off)) + "), but it can be removed safely");
            }
        }
        Commands.Result eject = commands.run(List.of("eject", target));
        if (eject != null) {
            tried.add("eject: " + summary(eject));
            if (eject.exit() == 0) {
                return new Result(true, "ejected " + target + " (" + device + ") with eject; the card can be removed");
            }
        }
        return new Result(false, "not ejected: " + target + " (" + device + ") is still mounted; "
                + (tried.isEmpty() ? "neither udisksctl nor eject is installed" : String.join("; ", tried))
                + ". Unmount it before removing the card");
    }

    private static boolean isSystemMount(String target) {
        for (String s : List.of("/usr", "/var", "/etc", "/boot", "/home", "/tmp", "/opt", "/srv", "/root")) {
            if (target.equals(s)) {
                return true;
            }
        }
        return !Files.isDirectory(Path.of(target));
    }

    private static String summary(Commands.Result r) {
        String out = r.output().isBlank() ? "" : ": " + r.output().lines().findFirst().orElse("");
        return "exit " + r.exit() + out;
    }
}
