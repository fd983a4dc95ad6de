package triplicate.backend.s3;

import java.util.Locale;
import triplicate.backend.ThawEstimate;
import triplicate.backend.ThawTier;

/**
 * What Triplicate knows of S3's archive classes: which classes need a thaw, how long one takes by tier, and what it
 * costs. The times are AWS's documented typical times ("Understanding archive retrieval options", S3 User Guide); the
 * prices are AWS's public list prices for US East (N. Virginia) as published in 2026 (checked 2026-11-22: AWS S3 User
 * Guide and re:Post for Glacier Flexible Retrieval; the per-GB prices of Deep Archive from summaries of the AWS price
 * page dated May–June 2026). They are indicative only: prices differ by region and change; other S3-compatible
 * services have their own.
 */
final class S3Cold {
    /** When the prices below were last checked, and for where. */
    static final String PRICES_AS_OF = "AWS list prices, US East (N. Virginia), as of 2026-11-22; indicative only:"
            + " other regions and services differ, see your provider's price list";

    private S3Cold() {
    }

    /** Whether objects of this class refuse reads until thawed (S3 restore request). */
    static boolean isCold(String storageClass) {
        return storageClass != null && (storageClass.equals("GLACIER") || storageClass.equals("DEEP_ARCHIVE"));
    }

    /** Whether the tier can thaw this class (Deep Archive has no expedited retrievals). */
    static boolean tierAvailable(String storageClass, ThawTier tier) {
        return !("DEEP_ARCHIVE".equals(storageClass) && tier == ThawTier.EXPEDITED);
    }

    /** AWS's documented typical thaw time for the class and tier. */
    static String waitFor(String storageClass, ThawTier tier) {
        boolean deep = "DEEP_ARCHIVE".equals(storageClass);
        return switch (tier) {
            case EXPEDITED -> deep ? "not available for DEEP_ARCHIVE (use standard: within 12 hours)"
                    : "typically 1–5 minutes (expedited)";
            case STANDARD -> deep ? "typically within 12 hours (standard)" : "typically 3–5 hours (standard)";
            case BULK -> deep ? "typically within 48 hours (bulk)" : "typically 5–12 hours (bulk)";
        };
    }

    /** US dollars per GB retrieved, and per 1,000 restore requests. */
    private record Price(double perGb, double perThousandRequests) {
    }

    private static Price price(String storageClass, ThawTier tier) {
        boolean deep = "DEEP_ARCHIVE".equals(storageClass);
        return switch (tier) {
            case EXPEDITED -> deep ? null : new Price(0.03, 10.0);
            case STANDARD -> deep ? new Price(0.02, 0.10) : new Price(0.01, 0.05);
            case BULK -> deep ? new Price(0.0025, 0.025) : new Price(0.0, 0.0);
        };
    }

    /** Time and indicative cost of thawing {@code files} objects of {@code bytes} bytes. */
    static ThawEstimate estimate(String storageClass, ThawTier tier, int files, long bytes) {
        if (!isCold(storageClass)) {
            return ThawEstimate.UNKNOWN;
        }
        Price p = price(storageClass, tier);
        if (p == null) {
            return new ThawEstimate(waitFor(storageClass, tier), "not available");
        }
        double gb = bytes / 1e9;
        double dollars = gb * p.perGb() + files / 1000.0 * p.perThousandRequests();
        String total = dollars == 0 ? "nothing" : dollars < 0.01 ? "less than $0.01"
                : String.format(Locale.ROOT, "about $%.2f", dollars);
        String cost = String.format(Locale.ROOT, "%s (%s: $%s per GB retrieved + $%s per 1,000 requests;"
                        + " %s), plus the thawed copy billed as S3 Standard storage while it is kept, and the download",
                total, tier.label(), trim(p.perGb()), trim(p.perThousandRequests()), PRICES_AS_OF);
        return new ThawEstimate(waitFor(storageClass, tier), cost);
    }

    private static String trim(double d) {
        String s = String.format(Locale.ROOT, "%.4f", d);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "00" : s;
    }

    /** The message of a read refused because the object is archived. */
    static String refusal(String location, String what, String storageClass) {
        String cls = storageClass == null ? "an archive class (GLACIER or DEEP_ARCHIVE)" : storageClass;
        StringBuilder m = new StringBuilder();
        m.append(location).append(": ").append(what).append(" is in storage class ").append(cls)
                .append(" and is not thawed: S3 refuses to read it until a restore request has made a temporary copy.")
                .append(" To restore from this vault, run `triplicate thaw SNAPSHOT [--include PATH]`, which requests")
                .append(" a thaw of every pack that restore needs, wait, then restore again; check --read-data, heal")
                .append(" and prune's repacking read every data pack they touch and need those thawed first (see")
                .append(" docs/backends/cold-storage.md). A thaw takes ");
        if ("DEEP_ARCHIVE".equals(storageClass)) {
            m.append("within 12 hours (standard) or within 48 hours (bulk)");
        } else if ("GLACIER".equals(storageClass)) {
            m.append("1–5 minutes (expedited), 3–5 hours (standard) or 5–12 hours (bulk)");
        } else {
            m.append("from minutes (Glacier Flexible Retrieval, expedited) to 48 hours (Deep Archive, bulk)");
        }
        m.append(", and costs a retrieval fee per GB plus a fee per request: ");
        if ("DEEP_ARCHIVE".equals(storageClass)) {
            m.append("$0.02/GB + $0.10 per 1,000 (standard), $0.0025/GB + $0.025 per 1,000 (bulk)");
        } else {
            m.append("$0.03/GB + $10 per 1,000 (expedited), $0.01/GB + $0.05 per 1,000 (standard), free (bulk)");
        }
        m.append(" (").append(PRICES_AS_OF).append(")");
        return m.toString();
    }
}
