package triplicate.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * When a forgotten snapshot may be purged: once its recovery window has passed by <em>two</em> clocks, the clock of
 * the machine that prunes ({@code now}) and the vault's own newest record ({@code vaultNewest}: the latest snapshot
 * or forget time written by any machine). A single machine whose clock runs far ahead therefore cannot purge
 * early; a vault that nobody writes to any more keeps its forgotten snapshots until the next backup or forget (or a
 * prune with a window of 0). Windows count calendar months and days in UTC.
 */
public final class RecoveryWindow {
    /** The default window: 30 days. */
    public static final CalendarDuration DEFAULT = new CalendarDuration(0, 0, 0, 30, 0);

    private RecoveryWindow() {
    }

    /** Whether a snapshot forgotten at {@code forgotten} may be purged now. A zero window purges at once. */
    public static boolean expired(Instant forgotten, Instant now, Instant vaultNewest, CalendarDuration window) {
        Objects.requireNonNull(forgotten, "forgotten");
        if (window.isZero()) {
            return true;
        }
        Instant byNow = window.before(now, ZoneOffset.UTC);
        Instant byVault = window.before(vaultNewest, ZoneOffset.UTC);
        return !forgotten.isAfter(byNow) && !forgotten.isAfter(byVault);
    }

    /** Until when (by the pruning machine's clock) a snapshot forgotten at {@code forgotten} stays recoverable. */
    public static Instant recoverableUntil(Instant forgotten, CalendarDuration window) {
        // the inverse of before(): add the calendar span
        return forgotten.atZone(ZoneOffset.UTC).plusYears(window.years()).plusMonths(window.months())
                .plusWeeks(window.weeks()).plusDays(window.days()).plusHours(window.hours()).toInstant();
    }
}
