package triplicate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import triplicate.maintenance.Pruner;

/** How forget and prune print a prune's result: the documented JSON fields and the human summary. */
final class RetentionOutput {
    private RetentionOutput() {
    }

    static Map<String, Object> json(Pruner.Result r, double seconds) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("dryRun", r.dryRun());
        o.put("snapshotsPurged", r.snapshotsPurged());
        o.put("packsDeleted", r.packsDeleted());
        o.put("bytesDeleted", r.bytesDeleted());
        o.put("packsRepacked", r.packsRepacked());
        o.put("blobsRewritten", r.blobsRewritten());
        o.put("bytesRewritten", r.bytesRewritten());
        o.put("bytesFreed", r.bytesFreed());
        o.put("packsPlanned", r.packsPlanned());
        o.put("bytesPlanned", r.bytesPlanned());
        o.put("packsWaiting", r.packsWaiting());
        o.put("bytesWaiting", r.bytesWaiting());
        o.put("waitingFor", r.waitingFor());
        o.put("staleMarkersRemoved", r.staleMarkersRemoved());
        o.put("indexFilesRewritten", r.indexFilesRewritten());
        o.put("forgetRecordsRemoved", r.forgetRecordsRemoved());
        o.put("forgottenKept", r.forgottenKept());
        o.put("warnings", r.warnings());
        o.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return o;
    }

    static void print(Pruner.Result r, double seconds, java.io.PrintWriter out, java.io.PrintWriter err) {
        String would = r.dryRun() ? "would " : "";
        if (r.snapshotsPurged() > 0) {
            out.printf("%spurge %d forgotten snapshot(s) past the recovery window%n", r.dryRun() ? "would " : "",
                    r.snapshotsPurged());
        }
        if (r.packsRepacked() > 0) {
            out.printf("%s%s %d mostly unused pack(s): %d blob(s), %s copied into new packs%n", would,
                    r.dryRun() ? "repack" : "repacked", r.packsRepacked(), r.blobsRewritten(),
                    Format.bytes(r.bytesRewritten()));
        }
        if (r.dryRun()) {
            out.printf("would mark %d pack(s) (%s) for deletion; deleted at once if no backup is running%n",
                    r.packsPlanned(), Format.bytes(r.bytesPlanned()));
            if (r.packsDeleted() > 0) {
                out.printf("would delete %d pack(s) (%s) marked by an earlier prune%n", r.packsDeleted(),
                        Format.bytes(r.bytesDeleted()));
            }
        } else {
            out.printf("deleted %d pack(s), %s; freed %s (after %s rewritten)%n", r.packsDeleted(),
                    Format.bytes(r.bytesDeleted()), Format.bytes(Math.max(0, r.bytesFreed())),
                    Format.bytes(r.bytesRewritten()));
        }
        if (r.packsWaiting() > 0) {
            out.printf("%d pack(s) (%s) wait for %d backup(s) or restore(s) that were running; the next prune after"
                    + " they end deletes them%n", r.packsWaiting(), Format.bytes(r.bytesWaiting()), r.waitingFor().size());
            for (String w : r.waitingFor()) {
                out.println("  waiting for: " + w);
            }
        }
        if (r.staleMarkersRemoved() > 0) {
            out.printf("removed %d marker(s) of crashed backups%n", r.staleMarkersRemoved());
        }
        for (String w : r.warnings()) {
            err.println("warning: " + w);
        }
        out.printf("prune %s in %.1f s%n", r.dryRun() ? "dry run done" : "done", seconds);
    }
}
