#!/usr/bin/env bash
# Prune on a vault of many snapshots, Triplicate and restic side by side, on the same synthetic photo library: one
# snapshot per simulated day of work (../shared/bench/mutate.sh, lighter than its default day), then
# "forget --keep-last K --prune" in each tool, timed (wall, CPU, peak RSS) on fresh copies of the repositories, with
# the bytes each rewrote and freed; then both repositories are checked reading every byte and their latest snapshot
# restored and compared; finally each prune again, with a backup started one second into it.
#
# Usage: bench/prune.sh [--snapshots N] [--keep K]
#   --snapshots N  snapshots (days) in each repository before the prune (default 200)
#   --keep K       snapshots kept (default 20; --keep-last K in both tools)
# Environment: BENCH_DIR (default /tmp/photobench-prune), RUNS (prunes measured, each on a fresh copy; default 3),
#   SEED. The day's work: MUTATE_ARGS (default "--new-jpegs 3 --xmp-edits 5 --exif-edits 3 --deletes 2"; the default
#   day of mutate.sh adds 100 JPEGs, which over 200 days would be ~50 GB). T_PRUNE_ARGS: more options for Triplicate's
#   forget --prune (e.g. "--repack-unused 5"). A second run reuses the repositories ($BENCH_DIR/history.done).
# Triplicate prunes with --recovery-window 0d (so it deletes in this run, as restic does) and its default repack
# threshold (packs >= 50% unused); restic 0.14 with its defaults (--max-unused 5%: repacks until at most 5% of the
# repository is unused). Output: a Markdown table on stdout; details in $BENCH_DIR/logs.
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$PROJECT/../shared/bench"
[ -f "$SHARED/env.sh" ] || { echo "bench: $SHARED/env.sh not found (the shared folder sits beside the project)" >&2; exit 2; }
N=200; KEEP=20
while [ $# -gt 0 ]; do
  case "$1" in
    --snapshots) N="$2"; shift ;;
    --keep) KEEP="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
export BENCH_DIR="${BENCH_DIR:-/tmp/photobench-prune}"
export LIB="${LIB:-$BENCH_DIR/lib-small}"
MUTATE_ARGS="${MUTATE_ARGS:---new-jpegs 3 --xmp-edits 5 --exif-edits 3 --deletes 2}"
. "$SHARED/env.sh"
set -euo pipefail

STAMP="$(date +%Y%m%d-%H%M%S)"
RUNLOG="$LOGS/prune-$STAMP.log"
log() { echo "$*" >> "$RUNLOG"; echo "$*" >&2; }
: > "$RUNLOG"

PW="$BENCH_DIR/password"
printf '%s' "$RESTIC_PASSWORD" > "$PW"
unset RESTIC_PASSWORD
export RESTIC_PASSWORD_FILE="$PW"
export TRIPLICATE_NO_PROGRESS=1
T="$PROJECT/triplicate"
WORK="$BENCH_DIR/work/lib"
TREPO="$BENCH_DIR/repos/triplicate"
RREPO="$BENCH_DIR/repos/restic"
mkdir -p "$BENCH_DIR/repos" "$BENCH_DIR/work" "$BENCH_DIR/restore"

# the CLI jar, built without installing anything (the launcher rebuilds only when sources are newer than the jar)
jar="$PROJECT/cli/target/triplicate.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$PROJECT" -path "$PROJECT/*/src/main/*" -newer "$jar" -type f -print -quit)" ]; then
  log "building Triplicate"
  (cd "$PROJECT" && ./build -q package -pl cli -am -DskipTests) >> "$RUNLOG" 2>&1
fi
. "$PROJECT/bin/jdk.sh"
"$T" --help > /dev/null 2>&1 || true

if [ ! -d "$LIB" ] || [ -z "$(ls -A "$LIB" 2>/dev/null)" ]; then
  log "generating the library in $LIB"
  "$SHARED/make-library.sh" --jpegs 200 --raws 15 --videos 1 --video-mb 80 >> "$RUNLOG" 2>&1
fi
{
  echo "# $(date -Is)  bench/prune.sh --snapshots $N --keep $KEEP  RUNS=$RUNS  MUTATE_ARGS=$MUTATE_ARGS"
  echo "commit: $(git -C "$PROJECT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "cpus: $(nproc)  ram: $(free -m | awk '/^Mem:/ {print $2}') MiB  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "restic: $(restic version)"
} >> "$RUNLOG"

repo_bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# ---------------------------------------------------------------------------------------------------- the history
if [ -f "$BENCH_DIR/history.done" ] && [ "$(cat "$BENCH_DIR/history.done")" = "$N $SEED $MUTATE_ARGS" ]; then
  log "reusing the $N-snapshot repositories in $BENCH_DIR/repos (delete $BENCH_DIR/history.done to rebuild them)"
else
  log "building $N snapshots in each repository (one day of work before each but the first)"
  rm -rf "$WORK" "$TREPO" "$RREPO" "$TREPO.orig" "$RREPO.orig" "$RESTIC_CACHE_DIR" "$BENCH_DIR/history.done"
  cp -a "$LIB" "$WORK"
  "$T" init --vault "$TREPO" --password-file "$PW" > /dev/null
  restic -q -r "$RREPO" init
  t0=$(date +%s)
  for ((day = 1; day <= N; day++)); do
    if [ "$day" -gt 1 ]; then
      # shellcheck disable=SC2086
      LIB="$WORK" "$SHARED/mutate.sh" "$day" $MUTATE_ARGS >> "$RUNLOG" 2>&1
    fi
    "$T" backup --vault "$TREPO" --password-file "$PW" "$WORK" >> "$RUNLOG" 2>&1
    restic -q -r "$RREPO" backup "$WORK" >> "$RUNLOG" 2>&1
    if [ $((day % 20)) = 0 ]; then
      log "  day $day of $N ($(( $(date +%s) - t0 )) s): library $(lib_files "$WORK") files, $(mib "$(lib_bytes "$WORK")") MiB;" \
        "Triplicate $(mib "$(repo_bytes "$TREPO")") MiB, restic $(mib "$(repo_bytes "$RREPO")") MiB"
    fi
  done
  cp -a "$TREPO" "$TREPO.orig"
  cp -a "$RREPO" "$RREPO.orig"
  echo "$N $SEED $MUTATE_ARGS" > "$BENCH_DIR/history.done"
fi
T_SNAPS=$("$T" snapshots --vault "$TREPO.orig" --password-file "$PW" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
R_SNAPS=$(restic -r "$RREPO.orig" snapshots --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
T_BEFORE=$(repo_bytes "$TREPO.orig"); R_BEFORE=$(repo_bytes "$RREPO.orig")
log "before: Triplicate $T_SNAPS snapshots, $(mib "$T_BEFORE") MiB; restic $R_SNAPS snapshots, $(mib "$R_BEFORE") MiB"
log "library now: $(lib_files "$WORK") files, $(mib "$(lib_bytes "$WORK")") MiB"

T_FRESH="rm -rf '$TREPO' && cp -a '$TREPO.orig' '$TREPO' && sync"
R_FRESH="rm -rf '$RREPO' '$RESTIC_CACHE_DIR' && cp -a '$RREPO.orig' '$RREPO' && sync"

# ---------------------------------------------------------------------------------------------------- the prune
log "forget --keep-last $KEEP --prune, $RUNS run(s) each on a fresh copy"
measure t-prune --prepare "$T_FRESH" -- "$T" forget --vault "$TREPO" --password-file "$PW" --keep-last "$KEEP" \
  --prune --recovery-window 0d ${T_PRUNE_ARGS:-} --json >> "$RUNLOG" 2>&1
measure r-prune --prepare "$R_FRESH" -- restic -r "$RREPO" forget --keep-last "$KEEP" --prune >> "$RUNLOG" 2>&1
for n in t-prune r-prune; do
  if awk '$5 != 0 { bad = 1 } END { exit !bad }' "$LOGS/$n.runs"; then
    log "FAILED: $n (see $LOGS/$n.stdout)"; tail -20 "$LOGS/$n.stdout" >&2; exit 1
  fi
done
T_AFTER=$(repo_bytes "$TREPO"); R_AFTER=$(repo_bytes "$RREPO")
# what the last run of each said
python3 - "$LOGS/t-prune.stdout" > "$LOGS/t-prune.summary" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
p = json.loads(text[text.index('{'):])["prune"]
print("packsDeleted=%d bytesDeleted=%d packsRepacked=%d blobsRewritten=%d bytesRewritten=%d bytesFreed=%d "
      "packsWaiting=%d snapshotsPurged=%d seconds=%.1f" % (p["packsDeleted"], p["bytesDeleted"], p["packsRepacked"],
      p["blobsRewritten"], p["bytesRewritten"], p["bytesFreed"], p["packsWaiting"], p["snapshotsPurged"], p["seconds"]))
EOF
T_REWRITTEN=$(sed -E 's/.*bytesRewritten=([0-9]+).*/\1/' "$LOGS/t-prune.summary")
R_REPACK_LINE=$(grep -E '^to repack:' "$LOGS/r-prune.stdout" | tail -1 || true)
log "Triplicate: $(cat "$LOGS/t-prune.summary")"
log "restic: $(grep -E '^(to repack|this removes|to delete|total prune|remaining|unused size after prune):' "$LOGS/r-prune.stdout" | tr '\n' ';')"
stats() { # NAME -> "wall cpu peakMiB" medians
  awk '{ w[NR] = $1; c[NR] = $2 + $3; r[NR] = $4 / 1024 }
    function med(a, n,  i, j, x) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { printf "%.1f %.1f %.0f", med(w, NR), med(c, NR), med(r, NR) }' "$LOGS/$1.runs"
}
read -r TW TC TM <<< "$(stats t-prune)"
read -r RW RC RM <<< "$(stats r-prune)"

# ---------------------------------------------------------------------------------------------------- verify
log "verifying: check --read-data and a restore of the latest snapshot, both tools"
"$T" check --vault "$TREPO" --password-file "$PW" --read-data >> "$RUNLOG" 2>&1 || { log "FAILED: triplicate check"; exit 1; }
restic -r "$RREPO" check --read-data >> "$RUNLOG" 2>&1 || { log "FAILED: restic check"; exit 1; }
rm -rf "$BENCH_DIR/restore/t" "$BENCH_DIR/restore/r"
"$T" restore latest --vault "$TREPO" --password-file "$PW" --target "$BENCH_DIR/restore/t" >> "$RUNLOG" 2>&1
restic -q -r "$RREPO" restore latest --target "$BENCH_DIR/restore/r" >> "$RUNLOG" 2>&1
sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
W_SUM=$(sums "$WORK" | sha256sum); T_SUM=$(sums "$BENCH_DIR/restore/t/lib" | sha256sum)
R_SUM=$(sums "$BENCH_DIR/restore/r$WORK" | sha256sum)
[ "$W_SUM" = "$T_SUM" ] || { log "FAILED: Triplicate's restore differs from the library"; exit 1; }
[ "$W_SUM" = "$R_SUM" ] || { log "FAILED: restic's restore differs from the library"; exit 1; }
log "both restores are byte-identical to the library; both checks passed"
rm -rf "$BENCH_DIR/restore/t" "$BENCH_DIR/restore/r"

# ---------------------------------------------------------------------------------------------------- a backup during the prune
log "a backup started 1 s into each prune"
during() { # NAME PRUNE-COMMAND BACKUP-COMMAND: runs both, prints "prune-exit prune-s backup-exit backup-s"
  local name="$1" prune="$2" backup="$3" t0 pp bt bc pe pt
  t0=$(date +%s.%N)
  bash -c "$prune" > "$LOGS/$name.prune.out" 2>&1 & pp=$!
  sleep 1
  local b0; b0=$(date +%s.%N)
  bash -c "$backup" > "$LOGS/$name.backup.out" 2>&1 && bc=0 || bc=$?
  bt=$(echo "$(date +%s.%N) - $b0" | bc -l)
  wait "$pp" && pe=0 || pe=$?
  pt=$(echo "$(date +%s.%N) - $t0" | bc -l)
  printf '%s %.1f %s %.1f\n' "$pe" "$pt" "$bc" "$bt"
}
bash -c "$T_FRESH"; bash -c "$R_FRESH"
read -r TPE TPT TBE TBT <<< "$(during t-during "'$T' forget --vault '$TREPO' --password-file '$PW' --keep-last $KEEP --prune --recovery-window 0d ${T_PRUNE_ARGS:-}" \
  "'$T' backup --vault '$TREPO' --password-file '$PW' '$WORK'")"
read -r RPE RPT RBE RBT <<< "$(during r-during "restic -r '$RREPO' forget --keep-last $KEEP --prune" \
  "restic -r '$RREPO' backup '$WORK'")"
log "Triplicate: prune exit $TPE in $TPT s; backup exit $TBE in $TBT s ($(tail -1 "$LOGS/t-during.backup.out"))"
log "Triplicate's prune said: $(grep -vE '^ ' "$LOGS/t-during.prune.out" | tail -6 | tr '\n' ';')"
log "restic: prune exit $RPE in $RPT s; backup exit $RBE in $RBT s ($(tail -2 "$LOGS/r-during.backup.out" | tr '\n' ' '))"
"$T" check --vault "$TREPO" --password-file "$PW" --read-data >> "$RUNLOG" 2>&1 || { log "FAILED: triplicate check after the concurrent run"; exit 1; }
log "Triplicate's vault checks clean (reading every byte) after the prune with a backup running"

# ---------------------------------------------------------------------------------------------------- table
cat <<EOF

$N snapshots (one per simulated day: \`mutate.sh DAY $MUTATE_ARGS\`) of the small synthetic library; \`forget --keep-last $KEEP --prune\` (Triplicate: \`--recovery-window 0d ${T_PRUNE_ARGS:-}\`); medians of $RUNS run(s), each on a fresh copy of the repository. $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg).

| | Triplicate | restic $(restic version | awk '{print $2}') |
|---|---|---|
| repository before | $(mib "$T_BEFORE") MiB | $(mib "$R_BEFORE") MiB |
| repository after | $(mib "$T_AFTER") MiB | $(mib "$R_AFTER") MiB |
| wall time | $TW s | $RW s |
| CPU time (user+sys) | $TC s | $RC s |
| peak RSS | $TM MiB | $RM MiB |
| bytes rewritten (repacked) | $(mib "$T_REWRITTEN") MiB | ${R_REPACK_LINE#to repack:} |
| backup started 1 s into the prune | exit $TBE after $TBT s (prune: exit $TPE, $TPT s) | exit $RBE after $RBT s (prune: exit $RPE, $RPT s) |
EOF
log "log: $RUNLOG"
