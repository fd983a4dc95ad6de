package triplicate.backend;

/**
 * What a thaw of some cold files will take and cost, in words for a person: indicative figures from the provider's
 * public list prices (with their date and region), never a quote.
 *
 * @param time how long until the files are readable (e.g. "3–5 hours (standard)")
 * @param cost what the retrieval costs, with the source of the prices
 */
public record ThawEstimate(String time, String cost) {
    /** For storage whose figures Triplicate does not know. */
    public static final ThawEstimate UNKNOWN = new ThawEstimate("see your provider's documentation",
            "see your provider's price list");
}
