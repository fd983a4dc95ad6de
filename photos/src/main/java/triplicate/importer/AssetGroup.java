package triplicate.importer;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Files that are one photo to the photographer and share one name in the library: a RAW, its JPEG twin and its XMP
 * sidecars ({@code IMG_0001.CR3}, {@code IMG_0001.JPG}, {@code IMG_0001.xmp}, {@code IMG_0001.CR3.xmp}); a HEIC and
 * its Live Photo movie; a video and its {@code .THM} thumbnail. Members share a folder and a base name (in any case);
 * the primary member, whose capture time names the group, comes first (RAW, then image, then video, then sidecar).
 *
 * @param members the primary first, then the others by kind and name
 */
record AssetGroup(List<Member> members) {
    /**
     * One file of a group.
     *
     * @param source where it is
     * @param stem   its base name (the group's name on the source), e.g. {@code IMG_0001}
     * @param ext    what follows the base name, e.g. {@code CR3}, or {@code CR3.xmp} for a sidecar of that RAW
     */
    record Member(Path source, String stem, String ext, MediaKind kind, long size, FileTime mtime) {
    }

    AssetGroup {
        members = List.copyOf(members);
    }

    Member primary() {
        return members.get(0);
    }

    /** Groups files by folder and base name. Deterministic: the same files always give the same groups. */
    static List<AssetGroup> of(List<SourceScanner.Found> files) {
        Map<String, List<Member>> byKey = new LinkedHashMap<>();
        for (SourceScanner.Found f : files) {
            String name = f.path().getFileName().toString();
            String ext = SourceScanner.extension(name);
            MediaKind kind = MediaKind.of(ext);
            String stem = name.substring(0, name.length() - ext.length() - 1);
            String memberExt = ext;
            if (kind == MediaKind.SIDECAR) {
                String inner = SourceScanner.extension(stem);
                if (!inner.isEmpty() && MediaKind.of(inner).media()) {
                    stem = stem.substring(0, stem.length() - inner.length() - 1); // IMG_0001.CR3.xmp → IMG_0001
                    memberExt = inner + "." + ext;
                }
            }
            Member m = new Member(f.path(), stem, memberExt, kind, f.size(), f.mtime());
            String base = f.path().getParent() + "/" + stem.toLowerCase(Locale.ROOT);
            // two members with the same extension in any case (X.JPG, X.jpg) would clash: the second starts a group
            for (int n = 1; ; n++) {
                List<Member> g = byKey.computeIfAbsent(n == 1 ? base : base + "\u0000" + n, k -> new ArrayList<>());
                if (g.stream().noneMatch(o -> o.ext().equalsIgnoreCase(m.ext()))) {
                    g.add(m);
                    break;
                }
            }
        }
        List<AssetGroup> out = new ArrayList<>(byKey.size());
        Comparator<Member> order = Comparator.comparing(Member::kind)
                .thenComparing(m -> m.source().getFileName().toString());
        for (List<Member> g : byKey.values()) {
            g.sort(order);
            out.add(new AssetGroup(g));
        }
        return out;
    }
}
