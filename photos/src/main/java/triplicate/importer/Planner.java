package triplicate.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides every imported file's name before anything is copied, in one deterministic pass: groups in capture-time
 * order (then by source path), each numbered in its folder, each member named from the template. When a name is
 * taken, by an earlier group of this import or by a different file already in the library, the whole group gets the
 * next free suffix ({@code -1}, {@code -2}…), so its members keep one name; names are compared without regard to
 * case, since the library may live on a file system that ignores it. A name taken by a file of the same size may be
 * this very file from an interrupted import: it is kept, and the copy step compares contents. Nothing is ever
 * overwritten.
 */
final class Planner {
    private final Path library;
    private final Template template;
    private final String shoot;
    private final Set<String> claimed = new HashSet<>();

    Planner(Path library, Template template, String shoot) {
        this.library = library;
        this.template = template;
        this.shoot = shoot;
    }

    /** A group with the facts that name it. */
    record Facted(AssetGroup group, CaptureFacts facts) {
    }

    /**
     * A member's place in the library.
     *
     * @param folder        library-relative folder, '/'-separated ("" for the root)
     * @param stem          name without collision suffix and extension
     * @param suffix        the collision suffix number (0: none)
     * @param ext           the extension as the template renders it
     * @param maybeExisting the name holds a file of the same size already: perhaps this file, imported before
     */
    record Target(String folder, String stem, int suffix, String ext, boolean maybeExisting) {
        String relative() {
            String name = stem + (suffix == 0 ? "" : "-" + suffix) + "." + ext;
            return folder.isEmpty() ? name : folder + "/" + name;
        }

        Target withSuffix(int s, boolean maybe) {
            return new Target(folder, stem, s, ext, maybe);
        }
    }

    /** A planned group: its members (primary first) with their targets. */
    record PlannedGroup(int index, AssetGroup group, CaptureFacts facts, List<Target> targets) {
    }

    List<PlannedGroup> plan(List<Facted> groups) throws IOException {
        List<Facted> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparing((Facted f) -> f.facts().capture().local())
                .thenComparing(f -> f.group().primary().source().toString()));
        Map<String, Integer> seqByFolder = new HashMap<>();
        List<PlannedGroup> out = new ArrayList<>(sorted.size());
        for (Facted f : sorted) {
            AssetGroup.Member p = f.group().primary();
            CaptureFacts facts = f.facts();
            Template.Values v = new Template.Values(facts.capture().local(), facts.make(), facts.model(), facts.lens(),
                    facts.serial(), p.stem(), shoot);
            String folder = template.render(v, 0).folder();
            int seq = seqByFolder.merge(Names.clashKey(folder), 1, Integer::sum);
            Template.Name name = template.render(v, seq);
            out.add(new PlannedGroup(out.size(), f.group(), facts, place(f.group(), name)));
        }
        return out;
    }

    /** The first suffix at which no member's name is taken; claims the names. */
    private List<Target> place(AssetGroup g, Template.Name name) throws IOException {
        for (int suffix = 0; ; suffix++) {
            List<Target> targets = new ArrayList<>(g.members().size());
            boolean free = true;
            for (AssetGroup.Member m : g.members()) {
                Target t = new Target(name.folder(), name.stem(), suffix, template.extension(m.ext()), false);
                Boolean state = state(t.relative(), m.size());
                if (state == null) {
                    free = false;
                    break;
                }
                targets.add(t.withSuffix(suffix, state));
            }
            if (free) {
                synchronized (this) {
                    targets.forEach(t -> claimed.add(Names.clashKey(t.relative())));
                }
                return List.copyOf(targets);
            }
        }
    }

    /**
     * A free name for a member whose planned name turned out to hold other content (or to be taken meanwhile): the
     * next suffix that is neither claimed nor present in the library.
     */
    synchronized Target another(Target planned) throws IOException {
        for (int suffix = planned.suffix() + 1; ; suffix++) {
            Target t = planned.withSuffix(suffix, false);
            if (!claimed.contains(Names.clashKey(t.relative())) && !Files.exists(resolve(t.relative()),
                    LinkOption.NOFOLLOW_LINKS)) {
                claimed.add(Names.clashKey(t.relative()));
                return t;
            }
        }
    }

    /**
     * Where a group member goes when its primary file turned out to be in the library already, at
     * {@code primaryRelative} (perhaps under another name than planned): beside it, under its name, so a twin or a
     * sidecar still follows its photo. The planned target if that is the same place; the next free suffix if the
     * name holds a file of another size.
     */
    synchronized Target beside(String primaryRelative, Target planned, long size) throws IOException {
        int slash = primaryRelative.lastIndexOf('/');
        String folder = slash < 0 ? "" : primaryRelative.substring(0, slash);
        String name = primaryRelative.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        Target t = new Target(folder, dot <= 0 ? name : name.substring(0, dot), 0, planned.ext(), false);
        if (Names.clashKey(t.relative()).equals(Names.clashKey(planned.relative()))) {
            return planned;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(resolve(t.relative()), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (a.isRegularFile() && a.size() == size) {
                return t.withSuffix(0, true);
            }
            return another(t);
        } catch (NoSuchFileException e) {
            if (claimed.contains(Names.clashKey(t.relative()))) {
                return another(t);
            }
            claimed.add(Names.clashKey(t.relative()));
            return t;
        }
    }

    /** False: free; true: a file of this size is there; null: taken. */
    private synchronized Boolean state(String relative, long size) throws IOException {
        if (claimed.contains(Names.clashKey(relative))) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(resolve(relative), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() && a.size() == size ? Boolean.TRUE : null;
        } catch (NoSuchFileException e) {
            return Boolean.FALSE;
        }
    }

    Path resolve(String relative) {
        Path p = library;
        for (String part : relative.split("/")) {
            p = p.resolve(part);
        }
        return p;
    }
}
