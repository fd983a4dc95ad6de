package triplicate.backend.rclone;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to start rclone: which program, with which environment and flags. Built from the environment handed to the
 * provider (never the JVM's own directly):
 *
 * <ul>
 *   <li>the program is {@code $TRIPLICATE_RCLONE} if set, else {@code rclone} found on {@code $PATH};</li>
 *   <li>rclone gets that environment, {@code RCLONE_CONFIG} and every other {@code RCLONE_*} setting included, but
 *       without Triplicate's own {@code TRIPLICATE_*} variables (the vault password among them): rclone needs none of
 *       them;</li>
 *   <li>the flags that make it a private server for this process come last on the command line, where they win over
 *       any {@code RCLONE_*} variable that would change them (a log file, a web GUI, a dry run, another address);</li>
 *   <li>what rclone prints is appended to the file {@code $TRIPLICATE_RCLONE_LOG} names, if set (rclone's own
 *       {@code --log-file} cannot be used: the backend reads rclone's output).</li>
 * </ul>
 *
 * @param program     the rclone executable
 * @param environment the environment rclone runs with (user and password for its remote control are added per start)
 * @param secrets     values of that environment that look secret ({@code RCLONE_CONFIG_PASS}, a remote's token set
 *                    through {@code RCLONE_CONFIG_NAME_TOKEN}, …), masked in every message
 * @param log         the file to append rclone's output to, or null
 */
record RcloneLauncher(Path program, Map<String, String> environment, List<String> secrets, Path log) {
    /** The variable naming the rclone program. */
    static final String PROGRAM_VARIABLE = "TRIPLICATE_RCLONE";
    /** The variable naming a file for rclone's output. */
    static final String LOG_VARIABLE = "TRIPLICATE_RCLONE_LOG";

    RcloneLauncher {
        environment = Map.copyOf(environment);
        secrets = List.copyOf(secrets);
    }

    /**
     * Finds rclone and prepares its environment from {@code env}; fails with a message saying how to install rclone
     * or point to it when there is none.
     */
    static RcloneLauncher from(Map<String, String> env) throws IOException {
        Path program = program(env);
        Map<String, String> child = new HashMap<>();
        List<String> secrets = new ArrayList<>();
        env.forEach((name, value) -> {
            if (name == null || value == null || name.startsWith("TRIPLICATE_")
                    || name.toUpperCase(Locale.ROOT).startsWith("RCLONE_RC_")) {
                return; // ours, or settings of the remote control server, which this backend makes itself
            }
            child.put(name, value);
            if (name.toUpperCase(Locale.ROOT).startsWith("RCLONE_")
                    && RcloneLocation.SECRET_NAME.matcher(name).matches() && value.length() >= 4) {
                secrets.add(value);
            }
        });
        String log = env.get(LOG_VARIABLE);
        Path logFile = null;
        if (log != null && !log.isBlank()) {
            try {
                logFile = Path.of(log.trim());
            } catch (InvalidPathException e) {
                throw new IOException(LOG_VARIABLE + " is not a valid path: " + log);
            }
        }
        return new RcloneLauncher(program, child, secrets, logFile);
    }

    /**
     * The command line of an {@code rclone rcd} listening on a free loopback port, serving files under
     * {@code /[REMOTE:PATH]/…}, asking for the user and password it finds in its environment, and otherwise as
     * plain as possible whatever the {@code RCLONE_*} variables say.
     */
    List<String> command() {
        return List.of(program.toString(), "rcd",
                "--rc-addr=127.0.0.1:0",
                "--rc-serve",
                "--rc-no-auth=false",
                "--rc-web-gui=false",
                "--rc-baseurl=",
                "--rc-htpasswd=",
                "--rc-cert=",
                "--rc-key=",
                "--rc-files=",
                // uploads and downloads of large packs over slow links may take more than rclone's default hour
                "--rc-server-read-timeout=24h",
                "--rc-server-write-timeout=24h",
                // an encrypted rclone.conf is opened with RCLONE_CONFIG_PASS or not at all: nobody answers a prompt
                "--ask-password=false",
                "--dry-run=false",
                "--log-file=",
                "--use-json-log=false");
    }

    private static Path program(Map<String, String> env) throws IOException {
        String given = env.get(PROGRAM_VARIABLE);
        if (given != null && !given.isBlank()) {
            Path p;
            try {
                p = Path.of(given.trim());
            } catch (InvalidPathException e) {
                throw new IOException(PROGRAM_VARIABLE + " is not a valid path: " + given);
            }
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IOException(PROGRAM_VARIABLE + "=" + given + " is not an executable file; point it at the"
                        + " rclone program, or unset it to use the rclone found on PATH");
            }
            return p;
        }
        String path = env.get("PATH");
        if (path == null) {
            path = env.getOrDefault("Path", "");
        }
        boolean windows = File.separatorChar == '\\';
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : windows ? List.of("rclone.exe", "rclone") : List.of("rclone")) {
                try {
                    Path candidate = Path.of(dir).resolve(name);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return candidate;
                    }
                } catch (InvalidPathException e) {
                    // not a folder name; the next one may be
                }
            }
        }
        throw new IOException("rclone is not installed (no rclone program on PATH): install it from"
                + " https://rclone.org/install/ or with your package manager (Debian and Ubuntu: apt-get install"
                + " rclone; macOS: brew install rclone), or set " + PROGRAM_VARIABLE + " to its path");
    }
}
