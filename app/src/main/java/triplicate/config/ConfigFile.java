package triplicate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import triplicate.core.TriplicateException;
import triplicate.policy.MediaClass;
import triplicate.policy.Policy;
import triplicate.policy.Site;

/**
 * Reads and edits {@code LIBRARY/.triplicate/config.yaml} (docs/config.md). Reading checks everything (unknown keys,
 * types, values, duplicate target names) and throws {@link ConfigException} with the line and the reason.
 * {@link #addTarget} and {@link #removeTarget} change only the lines of that target, keep every comment, check the
 * result as a whole, and replace the file atomically (a crash leaves the old file or the new one). Stateless.
 */
public final class ConfigFile {
    /** The config's file name inside the library's {@code .triplicate} folder. */
    public static final String FILE_NAME = "config.yaml";

    private static final Set<String> SECTIONS = Set.of("library", "policy", "archive", "mirrors", "targets");
    private static final Set<String> LIBRARY_KEYS = Set.of("media", "location");
    private static final Set<String> POLICY_KEYS = Set.of("copies", "media-kinds", "offsite", "max-verification-age-days");
    private static final Set<String> ARCHIVE_KEYS = Set.of("copies", "media-kinds", "offsite");
    private static final Set<String> MIRROR_KEYS = Set.of("safety-net-days");
    private static final Set<String> TARGET_KEYS = Set.of("name", "kind", "uri", "media", "location", "password-file");

    private ConfigFile() {
    }

    /** Where the config of {@code library} is. */
    public static Path pathOf(Path library) {
        return library.toAbsolutePath().normalize().resolve(".triplicate").resolve(FILE_NAME);
    }

    /** The config of {@code library}: its file, or the defaults when there is none. */
    public static LibraryConfig load(Path library) {
        Path file = pathOf(library);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return LibraryConfig.defaults();
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ConfigException(file, 0, 0, "is not UTF-8 text");
        } catch (IOException e) {
            throw new TriplicateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    /** Parses and checks the text of a config file; {@code file} is only for messages. */
    public static LibraryConfig parse(Path file, String text) {
        Located.Mapping root = Located.read(file, text);
        Reader r = new Reader(file);
        r.onlyKeys(root, SECTIONS, "a section");
        LibraryConfig d = LibraryConfig.defaults();
        MediaClass media = d.media();
        Site location = d.location();
        Located.Mapping lib = r.section(root, "library");
        if (lib != null) {
            r.onlyKeys(lib, LIBRARY_KEYS, "a key of library");
            media = r.media(lib, "media", media);
            location = r.site(lib, "location", location);
        }
        Policy policy = d.policy();
        Located.Mapping pol = r.section(root, "policy");
        if (pol != null) {
            r.onlyKeys(pol, POLICY_KEYS, "a key of policy");
            int copies = r.integer(pol, "copies", policy.copies(), 1, 100);
            int kinds = r.integer(pol, "media-kinds", policy.mediaClasses(), 1, MediaClass.values().length);
            int offsite = r.integer(pol, "offsite", policy.offsite(), 0, 100);
            int days = r.integer(pol, "max-verification-age-days", (int) policy.maxVerificationAge().toDays(), 1, 36500);
            if (offsite > copies || kinds > copies) {
                Located.Entry e = pol.entries().getOrDefault(offsite > copies ? "offsite" : "media-kinds",
                        pol.entries().get("copies"));
                throw new ConfigException(file, e == null ? pol.line() : e.line(), e == null ? 0 : e.column(),
                        "the policy wants more " + (offsite > copies ? "offsite copies" : "kinds of media")
                                + " than copies (" + copies + ")");
            }
            policy = new Policy(copies, kinds, offsite, Duration.ofDays(days));
        }
        Policy archive = LibraryConfig.defaultArchivePolicy(policy);
        Located.Mapping arc = r.section(root, "archive");
        if (arc != null) {
            r.onlyKeys(arc, ARCHIVE_KEYS, "a key of archive");
            int copies = r.integer(arc, "copies", archive.copies(), 1, 100);
            int kinds = r.integer(arc, "media-kinds", archive.mediaClasses(), 1, MediaClass.values().length);
            int offsite = r.integer(arc, "offsite", archive.offsite(), 0, 100);
            if (offsite > copies || kinds > copies) {
                Located.Entry e = arc.entries().getOrDefault(offsite > copies ? "offsite" : "media-kinds",
                        arc.entries().get("copies"));
                throw new ConfigException(file, e == null ? arc.line() : e.line(), e == null ? 0 : e.column(),
                        "the archive policy wants more " + (offsite > copies ? "offsite copies" : "kinds of media")
                                + " than copies (" + copies + ")");
            }
            archive = new Policy(copies, kinds, offsite, policy.maxVerificationAge());
        }
        int safetyNet = d.safetyNetDays();
        Located.Mapping mir = r.section(root, "mirrors");
        if (mir != null) {
            r.onlyKeys(mir, MIRROR_KEYS, "a key of mirrors");
            safetyNet = r.integer(mir, "safety-net-days", safetyNet, 0, 36500);
        }
        List<Target> targets = new ArrayList<>();
        Located.Entry te = root.entries().get("targets");
        if (te != null && !(te.value() instanceof Located.Scalar s && s.value() == null)) {
            if (!(te.value() instanceof Located.Sequence seq)) {
                throw new ConfigException(file, te.line(), te.column(), "targets must be a list (each item starting"
                        + " with '- name:')");
            }
            Map<String, Integer> names = new HashMap<>();
            for (Located item : seq.items()) {
                if (!(item instanceof Located.Mapping m)) {
                    throw new ConfigException(file, item.line(), item.column(), "each target must be a mapping"
                            + " (name:, kind:, uri:, media:, location:)");
                }
                Target t = r.target(m);
                Integer first = names.putIfAbsent(t.name(), m.line());
                if (first != null) {
                    Located.Entry n = m.entries().get("name");
                    throw new ConfigException(file, n.line(), n.column(), "a second target is named '" + t.name()
                            + "' (the first is on line " + first + ")");
                }
                targets.add(t);
            }
        }
        return new LibraryConfig(media, location, policy, archive, safetyNet, targets);
    }

    /** Checks the values of one section or target against the file's rules; knows the file for messages. */
    private record Reader(Path file) {
        ConfigException error(Located at, String reason) {
            return new ConfigException(file, at.line(), at.column(), reason);
        }

        void onlyKeys(Located.Mapping m, Set<String> allowed, String what) {
            for (Located.Entry e : m.entries().values()) {
                if (!allowed.contains(e.key())) {
                    throw new ConfigException(file, e.line(), e.column(), "'" + e.key() + "' is not " + what
                            + " (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        Located.Mapping section(Located.Mapping root, String name) {
            Located.Entry e = root.entries().get(name);
            if (e == null || e.value() instanceof Located.Scalar s && s.value() == null) {
                return null;
            }
            if (!(e.value() instanceof Located.Mapping m)) {
                throw new ConfigException(file, e.line(), e.column(), name + " must be a mapping of keys");
            }
            return m;
        }

        String text(Located.Mapping m, String key, boolean required) {
            Located.Entry e = m.entries().get(key);
            if (e == null || e.value() instanceof Located.Scalar s && s.value() == null) {
                if (required) {
                    throw error(m, "this target has no " + key);
                }
                return null;
            }
            if (!(e.value() instanceof Located.Scalar s) || s.text().isBlank()) {
                throw error(e.value(), key + " must be a text");
            }
            return s.text().strip();
        }

        MediaClass media(Located.Mapping m, String key, MediaClass dflt) {
            String v = text(m, key, dflt == null);
            if (v == null) {
                return dflt;
            }
            MediaClass c = MediaClass.ofLabel(v);
            if (c == null) {
                throw error(m.entries().get(key).value(), key + " must be internal, external-drive, nas or cloud (not '"
                        + v + "')");
            }
            return c;
        }

        Site site(Located.Mapping m, String key, Site dflt) {
            String v = text(m, key, dflt == null);
            if (v == null) {
                return dflt;
            }
            Site s = Site.ofLabel(v);
            if (s == null) {
                throw error(m.entries().get(key).value(), key + " must be onsite or offsite (not '" + v + "')");
            }
            return s;
        }

        int integer(Located.Mapping m, String key, int dflt, int min, int max) {
            Located.Entry e = m.entries().get(key);
            if (e == null) {
                return dflt;
            }
            if (!(e.value() instanceof Located.Scalar s) || !(s.value() instanceof Long v)) {
                throw error(e.value(), key + " must be a whole number");
            }
            if (v < min || v > max) {
                throw error(e.value(), key + " must be between " + min + " and " + max + " (not " + v + ")");
            }
            return v.intValue();
        }

        Target target(Located.Mapping m) {
            onlyKeys(m, TARGET_KEYS, "a key of a target");
            String name = text(m, "name", true);
            String bad = Target.invalidName(name);
            if (bad != null) {
                throw error(m.entries().get("name").value(), bad + " (not '" + name + "')");
            }
            String kindText = text(m, "kind", true);
            TargetKind kind = TargetKind.ofLabel(kindText);
            if (kind == null) {
                throw error(m.entries().get("kind").value(), "kind must be mirror or vault (not '" + kindText + "')");
            }
            String uri = text(m, "uri", true);
            if (kind == TargetKind.MIRROR) {
                String why = Target.invalidMirrorUri(uri);
                if (why != null) {
                    throw error(m.entries().get("uri").value(), why);
                }
            }
            MediaClass media = media(m, "media", null);
            Site location = site(m, "location", null);
            String passwordFile = text(m, "password-file", false);
            if (passwordFile != null && kind == TargetKind.MIRROR) {
                throw error(m.entries().get("password-file").value(), "a mirror has no password (plain files); only"
                        + " vaults take a password-file");
            }
            return new Target(name, kind, uri, media, location, passwordFile);
        }
    }

    // ------------------------------------------------------------------------------------------------ editing

    /** The text of a new config file: the defaults, spelled out and commented, and no target. */
    public static String template() {
        return """
                # Triplicate: the configuration of this library. See docs/config.md.
                # 'triplicate target add/remove' edit the targets below and keep your comments.

                # The library itself counts as one copy, on this media, at this location.
                library:
                  media: internal          # internal | external-drive | nas | cloud
                  location: onsite         # onsite | offsite

                # The 3-2-1 rule: copies (the library included), kinds of media, copies off site, and how old the
                # last verification of a copy may be before it stops counting.
                policy:
                  copies: 3
                  media-kinds: 2
                  offsite: 1
                  max-verification-age-days: 90

                mirrors:
                  safety-net-days: 30      # replaced and deleted files stay this long in .triplicate-mirror/safety-net

                # Places that hold copies: kind mirror (plain files on a local folder) or vault (encrypted snapshots).
                targets:
                """;
    }

    /** Adds {@code t} at the end of the targets, creating the file from {@link #template()} if there is none. */
    public static LibraryConfig addTarget(Path library, Target t) {
        Path file = pathOf(library);
        String text = readOrTemplate(file);
        LibraryConfig before = parse(file, text);
        if (before.target(t.name()).isPresent()) {
            throw new TriplicateException("there is already a target named '" + t.name() + "' in " + file);
        }
        Located.Mapping root = Located.read(file, text);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);   // the split's empty string after the final newline
        }
        Located.Entry te = root.entries().get("targets");
        int dashIndent = 2;
        int keyIndent = 4;
        int insertAt;   // index in lines
        if (te == null) {
            lines.add("targets:");
            insertAt = lines.size();
        } else if (te.value() instanceof Located.Sequence seq && !seq.items().isEmpty()) {
            Located first = seq.items().get(0);
            keyIndent = first.column() - 1;
            dashIndent = Math.max(0, lines.get(first.line() - 1).lastIndexOf('-', keyIndent - 1));
            insertAt = seq.lastLine();   // after the last line of the last item
        } else if (te.value() instanceof Located.Scalar s && s.value() == null
                || te.value() instanceof Located.Sequence) {
            String keyLine = lines.get(te.line() - 1);
            lines.set(te.line() - 1, keyLine.replaceFirst("targets\\s*:\\s*(\\[\\s*\\])?", "targets:"));
            insertAt = te.line();
        } else {
            throw new ConfigException(file, te.line(), te.column(), "targets must be a list");
        }
        lines.addAll(insertAt, item(t, dashIndent, keyIndent));
        String updated = String.join("\n", lines) + "\n";
        LibraryConfig after = parse(file, updated);
        write(file, updated);
        return after;
    }

    /** Removes the target named {@code name}: the lines from its '- name:' to the line before the next target. */
    public static LibraryConfig removeTarget(Path library, String name) {
        Path file = pathOf(library);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TriplicateException("there is no target named '" + name + "' (" + file + " does not exist)");
        } catch (IOException e) {
            throw new TriplicateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        parse(file, text);
        Located.Mapping root = Located.read(file, text);
        Located.Entry te = root.entries().get("targets");
        List<Located> items = te != null && te.value() instanceof Located.Sequence s ? s.items() : List.of();
        int index = -1;
        for (int i = 0; i < items.size(); i++) {
            Located.Mapping m = (Located.Mapping) items.get(i);
            Located.Entry n = m.entries().get("name");
            if (n != null && n.value() instanceof Located.Scalar s && name.equals(s.text().strip())) {
                index = i;
            }
        }
        if (index < 0) {
            throw new TriplicateException("there is no target named '" + name + "' in " + file);
        }
        if (items.get(index).line() == te.line()) {
            throw new ConfigException(file, te.line(), te.column(), "targets written on one line cannot be edited;"
                    + " write one target per '- name:' item");
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int from = items.get(index).line() - 1;
        int to = index + 1 < items.size() ? items.get(index + 1).line() - 1 : items.get(index).lastLine();
        lines.subList(from, to).clear();
        String updated = String.join("\n", lines);
        LibraryConfig after = parse(file, updated);
        write(file, updated);
        return after;
    }

    private static List<String> item(Target t, int dashIndent, int keyIndent) {
        String dash = " ".repeat(dashIndent) + "-" + " ".repeat(Math.max(1, keyIndent - dashIndent - 1));
        String pad = " ".repeat(Math.max(dashIndent + 2, keyIndent));
        List<String> out = new ArrayList<>();
        out.add(dash + "name: " + quote(t.name()));
        out.add(pad + "kind: " + t.kind().label());
        out.add(pad + "uri: " + quote(t.uri()));
        out.add(pad + "media: " + t.media().label());
        out.add(pad + "location: " + t.location().label());
        if (t.passwordFile() != null) {
            out.add(pad + "password-file: " + quote(t.passwordFile()));
        }
        return out;
    }

    /** A YAML scalar for {@code s}: plain when that reads back as the same text, else double-quoted. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9/_.~][A-Za-z0-9/_.~@+=-]*") && !s.matches("(?i)true|false|yes|no|on|off|null|~|[0-9.eE+-]+")) {
            return s;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String readOrTemplate(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return template();
        } catch (IOException e) {
            throw new TriplicateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code file} atomically: a temporary file beside it, forced to disk, renamed over it. */
    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new TriplicateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
