package triplicate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.SampleLibrary;
import triplicate.core.TriplicateException;

/**
 * The guided tour: makes a small photo library, backs it up into a local vault, edits it and backs up again, lists
 * the snapshots, restores the latest one, proves the restore byte-identical, and checks every byte of the vault.
 * It runs the same commands a user would type, and prints each one.
 */
@Command(name = "demo", description = {"Run the guided demo: sample library → vault → snapshots → restore → check.",
    "Everything happens under --dir (default ./demo); nothing else is touched."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    Context ctx;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "demo", description = "Working folder (default ./demo).")
    Path dir;

    @Option(names = "--shoots", defaultValue = "4", description = "Number of shoots in the sample library.")
    int shoots;

    @Option(names = "--photos", defaultValue = "12", description = "Photos per shoot.")
    int photos;

    @Override
    public Integer call() throws Exception {
        Path root = dir.toAbsolutePath().normalize();
        Path library = root.resolve("library");
        Path vault = root.resolve("vault");
        Path restored = root.resolve("restored");
        Path passwordFile = root.resolve("password.txt");
        say("Triplicate demo in " + root);
        deleteTree(vault);
        deleteTree(restored);
        deleteTree(library);
        Files.createDirectories(root);
        var lib = SampleLibrary.write(library, shoots, photos, 42);
        say("1. made a sample library: " + lib.files() + " files (JPEG with EXIF, RAW + XMP sidecars), "
                + Format.bytes(lib.bytes()) + ", in " + library);
        Files.writeString(passwordFile, "demo password - use a real one for real photos\n", StandardCharsets.UTF_8);
        say("   the demo vault's password is in " + passwordFile);

        Map<String, String> env = new HashMap<>(ctx.env());
        env.put("TRIPLICATE_VAULT", vault.toString());
        env.put("TRIPLICATE_PASSWORD_FILE", passwordFile.toString());
        env.put("TRIPLICATE_NO_PROGRESS", "1");

        step(env, "2. create an encrypted vault", "init");
        step(env, "3. first backup: every file is read, chunked, encrypted, packed", "backup", library.toString());
        Path xmp;
        try (Stream<Path> s = Files.walk(library)) {
            xmp = s.filter(p -> p.toString().endsWith(".xmp")).sorted().findFirst()
                    .orElseThrow(() -> new TriplicateException("sample library has no XMP sidecar"));
        }
        Files.writeString(xmp, SampleLibrary.xmp(5));
        say("4. edited " + library.relativize(xmp) + " (rating 5 stars) and renamed a shoot folder");
        Path shoot = xmp.getParent();
        Files.move(shoot, shoot.resolveSibling(shoot.getFileName() + "_delivered"));
        step(env, "   second backup: unchanged files are recognised (also in the renamed folder) and not read again",
                "backup", library.toString());
        step(env, "5. the snapshots in the vault", "snapshots");
        step(env, "6. what changed between them", "diff", snapshotIds(env).get(0), "latest");
        step(env, "7. restore the latest snapshot", "restore", "latest", "--target", restored.toString());
        Path restoredLib = restored.resolve(library.getFileName());
        Map<String, String> a = hashes(library);
        Map<String, String> b = hashes(restoredLib);
        if (!a.equals(b)) {
            throw new TriplicateException("the restored files differ from the library: the demo failed");
        }
        say("8. compared every file by SHA-256: " + a.size() + " of " + a.size() + " restored files are byte-identical");
        step(env, "9. check the vault, reading back every byte", "check", "--read-data");
        step(env, "10. what the vault holds", "stats");
        say("");
        say("Done. Look around in " + root + ", or try: ./triplicate ls latest --vault " + vault
                + " --password-file " + passwordFile);
        return ExitCodes.OK;
    }

    private List<String> snapshotIds(Map<String, String> env) throws IOException {
        java.io.StringWriter sw = new java.io.StringWriter();
        int code = Main.run(new String[] {"snapshots", "--json"}, new java.io.PrintWriter(sw),
                new java.io.PrintWriter(java.io.Writer.nullWriter()), env);
        if (code != 0) {
            throw new TriplicateException("listing snapshots failed");
        }
        List<String> ids = new ArrayList<>();
        for (var n : triplicate.snapshot.Json.mapper().readTree(sw.toString())) {
            ids.add(n.get("id").asText().substring(0, 8));
        }
        return ids;
    }

    private void step(Map<String, String> env, String title, String... args) {
        say("");
        say(title);
        say("$ triplicate " + String.join(" ", args));
        int code = Main.run(args, ctx.out(), ctx.err(), env);
        if (code != 0) {
            throw new TriplicateException("'triplicate " + String.join(" ", args) + "' failed with exit code " + code);
        }
    }

    private void say(String s) {
        ctx.out().println(s);
        ctx.out().flush();
    }

    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                    }
                    out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(md.digest()));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                x.toFile().setWritable(true);
                Files.delete(x);
            }
        }
    }
}
