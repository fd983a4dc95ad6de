package triplicate.policy;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What snapshots are grouped by before a policy is applied to each group on its own. */
public enum GroupBy {
    HOST, PATHS, TAGS;

    /**
     * Parses a comma-separated list such as {@code host,paths}; an empty string means no grouping (one group).
     * Throws {@link IllegalArgumentException} naming an unknown word.
     */
    public static Set<GroupBy> parse(String text) {
        Set<GroupBy> out = EnumSet.noneOf(GroupBy.class);
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",", -1)) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            switch (p) {
                case "host" -> out.add(HOST);
                case "paths", "path" -> out.add(PATHS);
                case "tags", "tag" -> out.add(TAGS);
                default -> throw new IllegalArgumentException("cannot group by '" + part.strip()
                        + "': use host, paths, tags, a comma-separated list of them, or '' for no grouping");
            }
        }
        return out;
    }
}
