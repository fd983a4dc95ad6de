package triplicate.backend;

import java.time.Instant;

/**
 * Whether a stored file can be read at once, as {@link Backend#coldState} reports it.
 *
 * @param status       hot, cold (frozen: a read is refused until a thaw), thawing (requested, not done yet), or thawed
 *                     (a temporary readable copy exists)
 * @param storageClass the storage's name of the file's class ({@code GLACIER}, {@code DEEP_ARCHIVE}, …), or null for a
 *                     hot file of the default class
 * @param thawedUntil  for a thawed file, when the readable copy expires (null when unknown or not thawed)
 */
public record ColdState(Status status, String storageClass, Instant thawedUntil) {
    public enum Status {
        /** Readable at once. */
        HOT,
        /** In a cold class and not thawed: reads are refused until a thaw is requested and done. */
        COLD,
        /** A thaw was requested and is in progress. */
        THAWING,
        /** In a cold class, with a temporary readable copy. */
        THAWED
    }

    public static final ColdState HOT = new ColdState(Status.HOT, null, null);

    /** Whether reads work now (hot or thawed). */
    public boolean readable() {
        return status == Status.HOT || status == Status.THAWED;
    }
}
