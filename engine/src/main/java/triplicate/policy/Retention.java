package triplicate.policy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Applies a {@link RetentionPolicy} to snapshots: groups them ({@link GroupBy}), then within each group walks the
 * snapshots newest first and lets every rule keep what it keeps, recording each reason. Pure: the same snapshots,
 * policy and zone always give the same decisions, in the same order (groups by key, snapshots newest first, ties by
 * id).
 */
public final class Retention {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH':00'");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Retention() {
    }

    /** One period rule: its name, how many periods it keeps, and the period a time falls in. */
    private record PeriodRule(String name, int count, Function<ZonedDateTime, String> period) {
    }

    /**
     * The decisions for {@code snapshots} under {@code policy}, grouped by {@code groupBy}, with calendar periods
     * (days, weeks…) counted in {@code zone}.
     */
    public static List<GroupDecision> apply(List<SnapshotInfo> snapshots, RetentionPolicy policy, Set<GroupBy> groupBy,
                                            ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        Map<String, List<SnapshotInfo>> groups = new TreeMap<>();
        Map<String, GroupKey> keys = new HashMap<>();
        for (SnapshotInfo s : snapshots) {
            GroupKey key = new GroupKey(groupBy.contains(GroupBy.HOST) ? Objects.requireNonNullElse(s.host(), "") : null,
                    groupBy.contains(GroupBy.PATHS) ? s.paths().stream().sorted().toList() : null,
                    groupBy.contains(GroupBy.TAGS) ? s.tags().stream().sorted().distinct().toList() : null);
            // the map's order: by the key's fields; a NUL separates them so "a" + "bc" differs from "ab" + "c"
            String sortKey = (key.host() == null ? "" : key.host()) + "\0"
                    + (key.paths() == null ? "" : String.join("\u0001", key.paths())) + "\0"
                    + (key.tags() == null ? "" : String.join("\u0001", key.tags()));
            groups.computeIfAbsent(sortKey, k -> new ArrayList<>()).add(s);
            keys.put(sortKey, key);
        }
        List<GroupDecision> out = new ArrayList<>();
        for (Map.Entry<String, List<SnapshotInfo>> g : groups.entrySet()) {
            out.add(new GroupDecision(keys.get(g.getKey()), decide(g.getValue(), policy, zone)));
        }
        return out;
    }

    /** The tag of a snapshot that holds an archived shoot ({@code triplicate archive}); no policy forgets it. */
    public static final String ARCHIVE_TAG = "triplicate-archive";
    /** The prefix of the tag that names the archived shoot: {@code shoot:NAME}. */
    public static final String SHOOT_TAG_PREFIX = "shoot:";

    /**
     * {@code groups} with every snapshot tagged {@link #ARCHIVE_TAG} kept, whatever the rules decided: the shoot it
     * holds was removed from the library, so the snapshot may be its only copy there. The reason
     * {@code archived shoot NAME} comes first; the rules' own reasons follow when they kept it too.
     */
    public static List<GroupDecision> keepArchives(List<GroupDecision> groups) {
        List<GroupDecision> out = new ArrayList<>(groups.size());
        for (GroupDecision g : groups) {
            List<KeepDecision> ds = new ArrayList<>(g.decisions().size());
            for (KeepDecision d : g.decisions()) {
                String reason = archiveReason(d.snapshot());
                if (reason == null) {
                    ds.add(d);
                    continue;
                }
                List<String> reasons = new ArrayList<>(List.of(reason));
                if (d.keep()) {
                    reasons.addAll(d.reasons());
                }
                ds.add(new KeepDecision(d.snapshot(), true, reasons));
            }
            out.add(new GroupDecision(g.key(), ds));
        }
        return out;
    }

    /** "archived shoot NAME" for a snapshot of an archive, else null. */
    public static String archiveReason(SnapshotInfo s) {
        if (!s.tags().contains(ARCHIVE_TAG)) {
            return null;
        }
        String shoot = s.tags().stream().filter(t -> t.startsWith(SHOOT_TAG_PREFIX))
                .map(t -> t.substring(SHOOT_TAG_PREFIX.length())).findFirst().orElse("(unnamed)");
        return "archived shoot " + shoot;
    }

    private static List<KeepDecision> decide(List<SnapshotInfo> group, RetentionPolicy policy, ZoneId zone) {
        List<SnapshotInfo> newestFirst = new ArrayList<>(group);
        newestFirst.sort(Comparator.comparing(SnapshotInfo::time).reversed().thenComparing(SnapshotInfo::id));
        List<PeriodRule> rules = List.of(
                new PeriodRule("hourly", policy.keepHourly(), t -> t.format(HOUR)),
                new PeriodRule("daily", policy.keepDaily(), t -> t.toLocalDate().toString()),
                new PeriodRule("weekly", policy.keepWeekly(), t -> String.format("%d-W%02d",
                        t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))),
                new PeriodRule("monthly", policy.keepMonthly(), t -> String.format("%d-%02d", t.getYear(),
                        t.getMonthValue())),
                new PeriodRule("yearly", policy.keepYearly(), t -> Integer.toString(t.getYear())));
        Map<String, Integer> left = new LinkedHashMap<>();
        Map<String, String> lastPeriod = new HashMap<>();
        for (PeriodRule r : rules) {
            left.put(r.name(), r.count());
        }
        Instant within = null;
        String latest = null;
        if (policy.keepWithin() != null && !newestFirst.isEmpty()) {
            Instant newest = newestFirst.get(0).time();
            within = policy.keepWithin().before(newest, zone);
            latest = newest.atZone(zone).format(MINUTE);
        }
        List<KeepDecision> out = new ArrayList<>();
        int position = 0;
        for (SnapshotInfo s : newestFirst) {
            position++;
            ZonedDateTime t = s.time().atZone(zone);
            List<String> reasons = new ArrayList<>();
            if (position <= policy.keepLast()) {
                reasons.add("last " + policy.keepLast() + " (#" + position + ")");
            }
            for (PeriodRule r : rules) {
                int n = left.get(r.name());
                if (n <= 0) {
                    continue;
                }
                String period = r.period().apply(t);
                if (!period.equals(lastPeriod.get(r.name()))) {
                    lastPeriod.put(r.name(), period);
                    left.put(r.name(), n - 1);
                    reasons.add(r.name() + " " + period);
                }
            }
            if (within != null && !s.time().isBefore(within)) {
                reasons.add("within " + policy.keepWithin() + " of the newest (" + latest + ")");
            }
            for (String tag : policy.keepTags()) {
                if (s.tags().contains(tag)) {
                    reasons.add("tagged " + tag);
                }
            }
            boolean keep = !reasons.isEmpty();
            out.add(new KeepDecision(s, keep, keep ? reasons : List.of("no rule keeps it")));
        }
        return out;
    }
}
