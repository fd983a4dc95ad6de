package triplicate.policy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which snapshots of a group to keep. A snapshot is kept if any rule keeps it:
 *
 * <ul>
 *   <li>{@code keepLast} N: the N newest.</li>
 *   <li>{@code keepHourly}, {@code keepDaily}, {@code keepWeekly}, {@code keepMonthly}, {@code keepYearly} N: the
 *       newest snapshot of each of the N newest hours, days, ISO weeks, months, years that have snapshots (periods
 *       without snapshots do not count), in the time zone handed to {@link Retention#apply}.</li>
 *   <li>{@code keepWithin} D: every snapshot no older than D before the group's newest snapshot (not before "now":
 *       the decision does not depend on the clock of the machine that runs it).</li>
 *   <li>{@code keepTags}: every snapshot that has at least one of these tags.</li>
 * </ul>
 *
 * Counts of 0 and a null {@code keepWithin} switch a rule off.
 */
public record RetentionPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
                              int keepYearly, CalendarDuration keepWithin, Set<String> keepTags) {
    public RetentionPolicy {
        for (int n : new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly}) {
            if (n < 0) {
                throw new IllegalArgumentException("a number of snapshots to keep is not negative: " + n);
            }
        }
        keepTags = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(keepTags == null ? Set.of() : keepTags));
        keepTags.forEach(Tags::check);
    }

    /** A policy that keeps nothing (every rule off); {@link #isEmpty()} is true. */
    public static RetentionPolicy none() {
        return new RetentionPolicy(0, 0, 0, 0, 0, 0, null, Set.of());
    }

    /** Whether no rule is on: such a policy would forget everything, which is never what anybody means. */
    public boolean isEmpty() {
        return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
                && keepYearly == 0 && keepWithin == null && keepTags.isEmpty();
    }

    /** {@code keep-daily 7, keep-weekly 4, keep-tag wedding}: the rules that are on, as the CLI spells them. */
    @Override
    public String toString() {
        List<String> parts = new java.util.ArrayList<>();
        add(parts, "keep-last", keepLast);
        add(parts, "keep-hourly", keepHourly);
        add(parts, "keep-daily", keepDaily);
        add(parts, "keep-weekly", keepWeekly);
        add(parts, "keep-monthly", keepMonthly);
        add(parts, "keep-yearly", keepYearly);
        if (keepWithin != null) {
            parts.add("keep-within " + keepWithin);
        }
        for (String t : keepTags) {
            parts.add("keep-tag " + t);
        }
        return parts.isEmpty() ? "(no rule)" : String.join(", ", parts);
    }

    private static void add(List<String> parts, String name, int n) {
        if (n > 0) {
            parts.add(name + " " + n);
        }
    }
}
