package triplicate.maintenance;

import triplicate.core.Id;

/**
 * A compact set of blob ids for prune's walk over every snapshot: it keeps the first 8 bytes of each id (blob ids are
 * keyed hashes, so those bytes are uniformly random), in an open-addressing table of longs: 16 bytes per id instead
 * of some 100 for a {@code HashSet<Id>}. Two ids that share their first 8 bytes are one entry, so
 * {@link #mightContain} may answer true for an id that was never added (with 10 million blobs, for about one id in
 * 10^12): prune then keeps a blob it could have deleted, which is the safe direction. Never use it where a false
 * "present" would lose data. Not thread-safe.
 */
final class BlobIdSet {
    private static final long EMPTY = 0;
    private long[] table = new long[1 << 12];
    private int size;
    /** Whether the key 0 (the marker of empty slots) was added. */
    private boolean hasZero;

    private static long key(Id id) {
        byte[] b = id.toBytes();
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (b[i] & 0xff);
        }
        return k;
    }

    /** Adds the id; returns whether it was new (as far as this set can tell). */
    boolean add(Id id) {
        long k = key(id);
        if (k == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 2L > table.length) {
            grow();
        }
        if (insert(table, k)) {
            size++;
            return true;
        }
        return false;
    }

    /** True if the id was added, and rarely for one that was not (see the class comment). */
    boolean mightContain(Id id) {
        long k = key(id);
        if (k == EMPTY) {
            return hasZero;
        }
        int mask = table.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            long v = table[i];
            if (v == EMPTY) {
                return false;
            }
            if (v == k) {
                return true;
            }
        }
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    private static int slot(long k, int mask) {
        return (int) (k ^ (k >>> 29)) & mask;
    }

    private static boolean insert(long[] t, long k) {
        int mask = t.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            long v = t[i];
            if (v == EMPTY) {
                t[i] = k;
                return true;
            }
            if (v == k) {
                return false;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long v : table) {
            if (v != EMPTY) {
                insert(bigger, v);
            }
        }
        table = bigger;
    }
}
