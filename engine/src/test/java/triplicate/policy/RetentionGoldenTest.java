package triplicate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy's decisions and reasons, pinned by golden files in {@code src/test/resources/golden/policy}: a fixed
 * list of 2½ years of snapshots from two hosts ({@code snapshots.txt}) and, per case, every decision with its reasons
 * ({@code CASE.txt}). A change in any decision or reason fails here. When a change is intended, regenerate on purpose
 * and review the diff: {@code ./build -q test -pl engine -am -Dtest=RetentionGoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtriplicate.regenerateGolden=true}.
 */
class RetentionGoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden/policy");
    static final boolean REGENERATE = Boolean.getBoolean("triplicate.regenerateGolden");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("restic-like", "keep-daily 7, keep-weekly 5, keep-monthly 12, keep-yearly 3",
                        new RetentionPolicy(0, 0, 7, 5, 12, 3, null, Set.of()), Set.of(GroupBy.HOST, GroupBy.PATHS),
                        ZoneOffset.UTC),
                Arguments.of("last-and-hourly", "keep-last 3, keep-hourly 8",
                        new RetentionPolicy(3, 8, 0, 0, 0, 0, null, Set.of()), Set.of(GroupBy.HOST, GroupBy.PATHS),
                        ZoneOffset.UTC),
                Arguments.of("within", "keep-within 1m15d",
                        new RetentionPolicy(0, 0, 0, 0, 0, 0, CalendarDuration.parse("1m15d"), Set.of()),
                        Set.of(GroupBy.HOST, GroupBy.PATHS), ZoneOffset.UTC),
                Arguments.of("tags", "keep-last 2, keep-tag delivered, keep-tag wedding",
                        new RetentionPolicy(2, 0, 0, 0, 0, 0, null, Set.of("wedding", "delivered")),
                        Set.of(GroupBy.HOST), ZoneOffset.UTC),
                Arguments.of("group-by-tags", "keep-last 1, keep-monthly 2",
                        new RetentionPolicy(1, 0, 0, 0, 2, 0, null, Set.of()), Set.of(GroupBy.HOST, GroupBy.TAGS),
                        ZoneOffset.UTC),
                Arguments.of("no-grouping", "keep-weekly 6",
                        new RetentionPolicy(0, 0, 0, 6, 0, 0, null, Set.of()), Set.of(), ZoneOffset.UTC),
                Arguments.of("daily-utc", "keep-daily 12",
                        new RetentionPolicy(0, 0, 12, 0, 0, 0, null, Set.of()), Set.of(GroupBy.HOST, GroupBy.PATHS),
                        ZoneOffset.UTC),
                // the same in Berlin: snapshots taken around midnight fall on other days
                Arguments.of("daily-berlin", "keep-daily 12",
                        new RetentionPolicy(0, 0, 12, 0, 0, 0, null, Set.of()), Set.of(GroupBy.HOST, GroupBy.PATHS),
                        ZoneId.of("Europe/Berlin")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decisionsAndReasonsMatchTheGoldenFile(String name, String title, RetentionPolicy policy, Set<GroupBy> groupBy,
                                              ZoneId zone) throws IOException {
        assertThat(policy.toString()).isEqualTo(title);
        List<SnapshotInfo> snapshots = input();
        String actual = render(title, groupBy, zone, Retention.apply(snapshots, policy, groupBy, zone));
        Path golden = DIR.resolve(name + ".txt");
        if (REGENERATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("decisions for %s; if the change is intended, regenerate (see the class comment)", name)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    static String render(String title, Set<GroupBy> groupBy, ZoneId zone, List<GroupDecision> groups) {
        StringBuilder b = new StringBuilder();
        b.append("# policy: ").append(title).append("\n# group by: ")
                .append(groupBy.isEmpty() ? "(none)" : String.join(",", groupBy.stream().sorted().map(g ->
                        g.name().toLowerCase(java.util.Locale.ROOT)).toList()))
                .append("\n# zone: ").append(zone).append('\n');
        int kept = 0;
        int forgotten = 0;
        for (GroupDecision g : groups) {
            b.append("\ngroup ").append(g.key()).append('\n');
            for (KeepDecision d : g.decisions()) {
                SnapshotInfo s = d.snapshot();
                b.append(String.format("  %-6s %s %s %-8s %-24s [%s]  %s%n", d.keep() ? "keep" : "forget", s.id(),
                        s.time(), s.host(), String.join(",", s.paths()), String.join(",", s.tags()),
                        String.join("; ", d.reasons())));
                if (d.keep()) {
                    kept++;
                } else {
                    forgotten++;
                }
            }
        }
        b.append("\n# ").append(kept).append(" kept, ").append(forgotten).append(" forgotten\n");
        return b.toString();
    }

    /** The input: the committed list (written by {@link #generate} when regenerating). */
    static List<SnapshotInfo> input() throws IOException {
        Path file = DIR.resolve("snapshots.txt");
        if (REGENERATE) {
            StringBuilder b = new StringBuilder("# id time host paths tags (a fixed input: never regenerated by accident)\n");
            for (SnapshotInfo s : generate()) {
                b.append(s.id()).append(' ').append(s.time()).append(' ').append(s.host()).append(' ')
                        .append(String.join(",", s.paths())).append(' ')
                        .append(s.tags().isEmpty() ? "-" : String.join(",", s.tags())).append('\n');
            }
            Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        }
        List<SnapshotInfo> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            out.add(new SnapshotInfo(f[0], Instant.parse(f[1]), f[2], Arrays.asList(f[3].split(",")),
                    f[4].equals("-") ? List.of() : Arrays.asList(f[4].split(","))));
        }
        return out;
    }

    /**
     * 2½ years of snapshots: a studio machine backing up /photos nightly around midnight UTC (some nights twice, some
     * skipped), a laptop backing up /home/ann/Pictures every few days in the afternoon, a few tagged snapshots.
     */
    static List<SnapshotInfo> generate() {
        Random r = new Random(20240601);
        List<SnapshotInfo> out = new ArrayList<>();
        Instant start = Instant.parse("2022-01-01T00:00:00Z");
        for (int day = 0; day < 900; day += 1 + (r.nextInt(10) == 0 ? 1 : 0)) {
            if (day > 40 && day < 840 && r.nextInt(7) != 0) {
                continue; // thinner in the middle, so monthly and yearly rules have gaps to show
            }
            Instant t = start.plusSeconds(86_400L * day + 23 * 3600 + r.nextInt(7200)); // 23:00–01:00 UTC
            List<String> tags = r.nextInt(25) == 0 ? List.of("wedding") : r.nextInt(30) == 0 ? List.of("delivered")
                    : List.of();
            out.add(new SnapshotInfo(id(r), t, "studio", List.of("/photos"), tags));
            if (r.nextInt(8) == 0) {
                out.add(new SnapshotInfo(id(r), t.plusSeconds(1800 + r.nextInt(1800)), "studio", List.of("/photos"),
                        List.of()));
            }
        }
        for (int day = 5; day < 900; day += 2 + r.nextInt(5)) {
            if (day > 100 && day < 850 && r.nextInt(5) != 0) {
                continue;
            }
            Instant t = start.plusSeconds(86_400L * day + 14 * 3600 + r.nextInt(4 * 3600));
            out.add(new SnapshotInfo(id(r), t, "laptop", List.of("/home/ann/Pictures"),
                    r.nextInt(20) == 0 ? List.of("delivered") : List.of()));
        }
        return out;
    }

    private static String id(Random r) {
        byte[] b = new byte[4];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
