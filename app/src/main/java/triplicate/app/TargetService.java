package triplicate.app;

import java.nio.file.Path;
import java.util.List;
import triplicate.config.ConfigFile;
import triplicate.config.LibraryConfig;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.core.TriplicateException;

/**
 * {@code triplicate target add/list/remove}: the targets of a library's config. Adding a mirror also makes its
 * folder a mirror when the drive is there. Removing a target leaves its files and its copies in the catalog alone
 * (status ignores copies on targets the config does not have). Thread-safe (stateless besides its collaborators).
 */
public final class TargetService {
    private final MirrorService mirrors;

    public TargetService(MirrorService mirrors) {
        this.mirrors = mirrors;
    }

    /**
     * A target and whether it can be reached now.
     *
     * @param target    as configured
     * @param reachable for a mirror, whether its folder is there and marked as a mirror; null for a vault (not
     *                  checked: that may take a network round trip and a password)
     * @param why       why a mirror cannot be reached, or null
     */
    public record Entry(Target target, Boolean reachable, String why) {
    }

    public List<Entry> list(Path library) {
        return ConfigFile.load(library).targets().stream().map(t -> {
            if (t.kind() == TargetKind.VAULT) {
                return new Entry(t, null, null);
            }
            String why = MirrorFolder.of(t.uri()).unavailableReason(t.name());
            return new Entry(t, why == null, why);
        }).toList();
    }

    /** What {@link #add} did. {@code mirrorNote} says why a mirror's folder could not be set up yet, or is null. */
    public record Added(LibraryConfig config, Path file, String mirrorNote) {
    }

    public Added add(Path library, Target t) {
        String bad = Target.invalidName(t.name());
        if (bad != null) {
            throw new TriplicateException(bad + " (not '" + t.name() + "')");
        }
        if (t.kind() == TargetKind.MIRROR) {
            String why = Target.invalidMirrorUri(t.uri());
            if (why != null) {
                throw new TriplicateException(why);
            }
            Path lib = library.toAbsolutePath().normalize();
            Path folder = MirrorFolder.of(t.uri()).root();
            if (folder.startsWith(lib) || lib.startsWith(folder)) {
                throw new TriplicateException("a mirror cannot be inside the library or contain it (" + folder + ")");
            }
        } else if (t.passwordFile() != null && t.passwordFile().isBlank()) {
            throw new TriplicateException("the password file's name is empty");
        }
        LibraryConfig c = ConfigFile.addTarget(library, t);
        String note = t.kind() == TargetKind.MIRROR ? mirrors.init(library, t) : null;
        return new Added(c, ConfigFile.pathOf(library), note);
    }

    public LibraryConfig remove(Path library, String name) {
        return ConfigFile.removeTarget(library, name);
    }
}
