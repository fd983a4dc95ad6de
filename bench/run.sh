#!/usr/bin/env bash
# Times Triplicate and restic side by side on the same synthetic photo library, in the same run, each with its own
# local repository under $BENCH_DIR. Prints a Markdown table on stdout; details go to $BENCH_DIR/logs.
#
# Usage: bench/run.sh [--small] [--no-100k] [--files-100k N]
#   --small        a ~1 GB library (--jpegs 200 --raws 15 --videos 1 --video-mb 80) instead of the default ~3.5 GB
#   --no-100k      skip the no-change backup of a tree of 100,000 small files
#   --files-100k N use N small files instead of 100,000
# Environment: BENCH_DIR (default /tmp/photobench), RUNS (repetitions per step, median quoted; default 3), SEED.
#
# Steps, each for both tools:
#   1 initial backup      (repository re-created before every run)
#   2 no-change backup    (on top of the previous snapshot)
#   3 backup after one day of work (../shared/bench/mutate.sh, applied once to the working copy, so RUNS=1 here)
#   4 full restore        (of the snapshot made in step 3, into an emptied folder before every run)
#   5 check --read-data
#   6 no-change backup of a tree of 100,000 files of 1-4 KiB in 1,000 folders
# The library itself stays pristine: the tools back up a copy ($BENCH_DIR/work/lib) that the mutation changes.
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$PROJECT/../shared/bench"
[ -f "$SHARED/env.sh" ] || { echo "bench: $SHARED/env.sh not found (the shared folder sits beside the project)" >&2; exit 2; }

SMALL=0; DO_100K=1; N_SMALL_FILES=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --small) SMALL=1 ;;
    --no-100k) DO_100K=0 ;;
    --files-100k) N_SMALL_FILES="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$SMALL" = 1 ]; then
  export LIB="${LIB:-${BENCH_DIR:-/tmp/photobench}/lib-small}"
  LIB_ARGS=(--jpegs 200 --raws 15 --videos 1 --video-mb 80)
else
  LIB_ARGS=()
fi
. "$SHARED/env.sh"
set -euo pipefail

# reads every file once, so a tool that runs first does not pay for a cold page cache the other one finds warm
warm() { find "$1" -type f -print0 | xargs -0 cat > /dev/null; }

STAMP="$(date +%Y%m%d-%H%M%S)"
RUNLOG="$LOGS/run-$STAMP.log"
log() { echo "$*" >> "$RUNLOG"; echo "$*" >&2; }
: > "$RUNLOG"

# ---------------------------------------------------------------------------------------------------- set-up
PW="$BENCH_DIR/password"
printf '%s' "$RESTIC_PASSWORD" > "$PW"
unset RESTIC_PASSWORD
export RESTIC_PASSWORD_FILE="$PW"
export TRIPLICATE_NO_PROGRESS=1
T="$PROJECT/triplicate"
WORK="$BENCH_DIR/work/lib"
TREPO="$BENCH_DIR/repos/triplicate"
RREPO="$BENCH_DIR/repos/restic"
TOUT="$BENCH_DIR/restore/triplicate"
ROUT="$BENCH_DIR/restore/restic"
mkdir -p "$BENCH_DIR/repos" "$BENCH_DIR/restore" "$BENCH_DIR/work"

jar="$PROJECT/cli/target/triplicate.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$PROJECT" -path "$PROJECT/*/src/main/*" -newer "$jar" -type f -print -quit)" ]; then
  log "building Triplicate"
  (cd "$PROJECT" && ./build -q -o install -DskipTests) >> "$RUNLOG" 2>&1
fi

if [ ! -d "$LIB" ] || [ -z "$(ls -A "$LIB" 2>/dev/null)" ]; then
  log "generating the library in $LIB ${LIB_ARGS[*]:-}"
  "$SHARED/make-library.sh" "${LIB_ARGS[@]}" >> "$RUNLOG" 2>&1
fi

. "$PROJECT/bin/jdk.sh"
{
  echo "# $(date -Is)  bench/run.sh $([ "$SMALL" = 1 ] && echo --small)  RUNS=$RUNS"
  echo "commit: $(git -C "$PROJECT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "cpus: $(nproc)  ram: $(free -m | awk '/^Mem:/ {print $2}') MiB  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "disk: $(df -hT "$BENCH_DIR" | awk 'NR==2 {print $1, $2, $3 " total"}')"
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "restic: $(restic version)"
  echo "library: $LIB  files: $(lib_files "$LIB")  bytes: $(lib_bytes "$LIB")"
} >> "$RUNLOG"

log "copying the library to $WORK"
rm -rf "$WORK"
cp -a "$LIB" "$WORK"
LIB_BYTES=$(lib_bytes "$WORK")
LIB_FILES=$(lib_files "$WORK")
warm "$WORK"
# the launcher builds the CLI on first use, and the first JVM start after a build is slower: one untimed start
"$T" --help > /dev/null 2>&1 || true

T_INIT="rm -rf '$TREPO' && '$T' init --vault '$TREPO' --password-file '$PW'"
R_INIT="rm -rf '$RREPO' '$RESTIC_CACHE_DIR' && restic -q -r '$RREPO' init"

# median of column COL (1 wall, 2 user, 3 sys, 4 peak KiB; 0 = user+sys) of $LOGS/NAME.runs
med() {
  awk -v c="$2" '{ v[NR] = (c == 0) ? $2 + $3 : $c } END {
      n = NR; for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$LOGS/$1.runs"
}
# fails loudly if a measured command failed (measure itself only notes it)
ok() { if awk '$5 != 0 { bad = 1 } END { exit !bad }' "$LOGS/$1.runs"; then
         log "FAILED: $1 (see $LOGS/$1.stdout)"; tail -20 "$LOGS/$1.stdout" >&2; exit 1; fi; }
run() { # NAME [--prepare CMD] -- COMMAND...: measure, log and check
  measure "$@" >> "$RUNLOG" 2>&1
  ok "$1"
  log "$(printf '%-22s wall %7.2f s  cpu %7.2f s  peak %6.0f MiB' "$1" "$(med "$1" 1)" "$(med "$1" 0)" \
    "$(echo "$(med "$1" 4) / 1024" | bc -l)")"
}
# bytes in the repository's files (du -sb would add the folders' own sizes, which grow in 4 KiB steps as pack
# shards appear: noise of tens of KiB in the mutate comparison)
repo_bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'; }

declare -A SIZE

# ---------------------------------------------------------------------------------------------------- 1 initial
log "1 initial backup of $LIB_FILES files, $LIB_BYTES bytes (RUNS=$RUNS)"
run t-initial --prepare "$T_INIT" -- "$T" backup --vault "$TREPO" --password-file "$PW" "$WORK"
SIZE[t-initial]=$(repo_bytes "$TREPO")
run r-initial --prepare "$R_INIT" -- restic -q -r "$RREPO" backup "$WORK"
SIZE[r-initial]=$(repo_bytes "$RREPO")
restic -r "$RREPO" cat config >> "$RUNLOG" 2>&1 || true

# ---------------------------------------------------------------------------------------------------- 2 no change
log "2 no-change backup"
run t-nochange -- "$T" backup --vault "$TREPO" --password-file "$PW" "$WORK"
SIZE[t-nochange]=$(repo_bytes "$TREPO")
run r-nochange -- restic -q -r "$RREPO" backup "$WORK"
SIZE[r-nochange]=$(repo_bytes "$RREPO")

# ---------------------------------------------------------------------------------------------------- 3 mutate
log "3 backup after mutate.sh (one run each)"
manifest() { (cd "$1" && find . -type f -printf '%P\t%s\t%T@\n' | sort); }
manifest "$WORK" > "$BENCH_DIR/work/before.tsv"
LIB="$WORK" "$SHARED/mutate.sh" 1 >> "$RUNLOG" 2>&1
manifest "$WORK" > "$BENCH_DIR/work/after.tsv"
# new files: a path that did not exist before holding content (size+mtime) that did not exist before (files of the
# renamed folder are not new); modified files: same path, other size or mtime
read -r NEW_FILES NEW_BYTES MOD_FILES MOD_BYTES < <(awk -F'\t' '
  NR == FNR { seen[$2 "|" $3] = 1; path[$1] = $2 "|" $3; next }
  !($1 in path) && !(($2 "|" $3) in seen) { nf++; nb += $2; next }
  ($1 in path) && path[$1] != ($2 "|" $3) { mf++; mb += $2 }
  END { printf "%d %.0f %d %.0f\n", nf, nb, mf, mb }' "$BENCH_DIR/work/before.tsv" "$BENCH_DIR/work/after.tsv")
log "mutation: $NEW_FILES new files ($NEW_BYTES bytes), $MOD_FILES modified in place ($MOD_BYTES bytes)"
T_BEFORE=${SIZE[t-nochange]}; R_BEFORE=${SIZE[r-nochange]}
RUNS=1 run t-mutated -- "$T" backup --vault "$TREPO" --password-file "$PW" "$WORK"
SIZE[t-mutated]=$(repo_bytes "$TREPO")
RUNS=1 run r-mutated -- restic -q -r "$RREPO" backup "$WORK"
SIZE[r-mutated]=$(repo_bytes "$RREPO")
T_GROWTH=$(( SIZE[t-mutated] - T_BEFORE )); R_GROWTH=$(( SIZE[r-mutated] - R_BEFORE ))
T_EXTRA=$(( T_GROWTH - NEW_BYTES )); R_EXTRA=$(( R_GROWTH - NEW_BYTES ))
log "repo growth: triplicate $T_GROWTH (extra $T_EXTRA), restic $R_GROWTH (extra $R_EXTRA)"

# the exiftool rewrites alone: the JPEGs mutate.sh modified in place, first as in the library, then as rewritten,
# each tool backing up a folder of just those (growth includes the folder listing, index and snapshot)
EXIF="$BENCH_DIR/exif"
rm -rf "$EXIF"; mkdir -p "$EXIF/photos"
awk -F'\t' 'NR == FNR { p[$1] = $2 "|" $3; next } ($1 in p) && p[$1] != ($2 "|" $3) && $1 ~ /\.JPG$/ { print $1 }' \
  "$BENCH_DIR/work/before.tsv" "$BENCH_DIR/work/after.tsv" > "$EXIF/edited.txt"
EXIF_FILES=$(wc -l < "$EXIF/edited.txt")
while IFS= read -r f; do cp -p "$LIB/$f" "$EXIF/photos/"; done < "$EXIF/edited.txt"
"$T" init --vault "$EXIF/t" --password-file "$PW" > /dev/null 2>&1
restic -q -r "$EXIF/r" init > /dev/null
"$T" backup --vault "$EXIF/t" --password-file "$PW" "$EXIF/photos" >> "$RUNLOG" 2>&1
restic -q -r "$EXIF/r" backup "$EXIF/photos" >> "$RUNLOG" 2>&1
T_EXIF0=$(repo_bytes "$EXIF/t"); R_EXIF0=$(repo_bytes "$EXIF/r")
while IFS= read -r f; do cp -p "$WORK/$f" "$EXIF/photos/"; done < "$EXIF/edited.txt"
"$T" backup --vault "$EXIF/t" --password-file "$PW" "$EXIF/photos" >> "$RUNLOG" 2>&1
restic -q -r "$EXIF/r" backup "$EXIF/photos" >> "$RUNLOG" 2>&1
T_EXIF=$(( $(repo_bytes "$EXIF/t") - T_EXIF0 )); R_EXIF=$(( $(repo_bytes "$EXIF/r") - R_EXIF0 ))
log "exiftool rewrites alone ($EXIF_FILES JPEGs): triplicate +$T_EXIF bytes, restic +$R_EXIF bytes"
rm -rf "$EXIF"

# ---------------------------------------------------------------------------------------------------- 4 restore
log "4 full restore"
run t-restore --prepare "rm -rf '$TOUT'" -- "$T" restore latest --vault "$TREPO" --password-file "$PW" --target "$TOUT"
run r-restore --prepare "rm -rf '$ROUT'" -- restic -q -r "$RREPO" restore latest --target "$ROUT"
for d in "$TOUT/$(basename "$WORK")" "$ROUT$WORK"; do
  if diff -r "$WORK" "$d" > "$LOGS/restore-diff.txt" 2>&1; then log "restore verified: $d equals $WORK"
  else log "RESTORE DIFFERS: $d (see $LOGS/restore-diff.txt)"; exit 1; fi
done
rm -rf "$TOUT" "$ROUT"

# ---------------------------------------------------------------------------------------------------- 5 check
log "5 check --read-data"
run t-check -- "$T" check --read-data --vault "$TREPO" --password-file "$PW"
run r-check -- restic -q -r "$RREPO" check --read-data

# ---------------------------------------------------------------------------------------------------- 6 100k files
if [ "$DO_100K" = 1 ]; then
  TREE="$BENCH_DIR/tree-$N_SMALL_FILES"
  if [ ! -f "$TREE/.complete" ]; then
    log "generating $N_SMALL_FILES small files in $TREE"
    rm -rf "$TREE"
    python3 - "$TREE" "$N_SMALL_FILES" "$SEED" <<'EOF'
import os, random, sys
root, n, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = random.Random(seed + "/small-files")
dirs = max(1, n // 100)
for i in range(n):
    d = os.path.join(root, "d%02d" % (i % dirs // 100), "f%04d" % (i % dirs))
    if i < dirs:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "file%06d.txt" % i), "wb") as f:
        f.write(r.randbytes(r.randint(1024, 4096)))
open(os.path.join(root, ".complete"), "w").close()
EOF
  fi
  TREE_FILES=$(lib_files "$TREE"); TREE_BYTES=$(lib_bytes "$TREE")
  log "6 no-change backup of $TREE_FILES files ($TREE_BYTES bytes)"
  T2="$BENCH_DIR/repos/triplicate-100k"; R2="$BENCH_DIR/repos/restic-100k"
  warm "$TREE"
  RUNS=1 run t-100k-initial --prepare "rm -rf '$T2' && '$T' init --vault '$T2' --password-file '$PW'" \
    -- "$T" backup --vault "$T2" --password-file "$PW" "$TREE"
  warm "$TREE"
  RUNS=1 run r-100k-initial --prepare "rm -rf '$R2' && restic -q -r '$R2' init" -- restic -q -r "$R2" backup "$TREE"
  run t-100k-nochange -- "$T" backup --vault "$T2" --password-file "$PW" "$TREE"
  run r-100k-nochange -- restic -q -r "$R2" backup "$TREE"
fi

# ---------------------------------------------------------------------------------------------------- table
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
row() { # LABEL STEP BYTES(for MB/s, or 0)
  local t="t-$2" r="r-$2" tw rw
  tw=$(med "$t" 1); rw=$(med "$r" 1)
  awk -v l="$1" -v tw="$tw" -v rw="$rw" -v tc="$(med "$t" 0)" -v rc="$(med "$r" 0)" \
      -v tm="$(med "$t" 4)" -v rm="$(med "$r" 4)" -v b="$3" -v ts="${SIZE[$t]:-}" -v rs="${SIZE[$r]:-}" -v n="$(wc -l < "$LOGS/$t.runs")" 'BEGIN {
    rate = (b > 0) ? sprintf(" (%.0f / %.0f MB/s)", b / tw / 1e6, b / rw / 1e6) : ""
    size = (ts != "") ? sprintf("%.1f / %.1f", ts / 1e6, rs / 1e6) : "–"
    printf "| %s | %d | %.2f / %.2f%s | **%.2f×** | %.1f / %.1f | %.0f / %.0f | %s |\n",
      l, n, tw, rw, rate, rw / tw, tc, rc, tm / 1024, rm / 1024, size }'
}
{
  echo
  echo "Library: $LIB_FILES files, $(mb "$LIB_BYTES") MB ($([ "$SMALL" = 1 ] && echo small || echo full) variant); RUNS=$RUNS; $(nproc) CPUs; $(date -I)"
  echo
  echo "| step | runs | wall s, Triplicate / restic | throughput ratio (restic wall / Triplicate wall) | CPU s (user+sys), T / r | peak RSS MiB, T / r | repo MB after (file bytes), T / r |"
  echo "|---|---|---|---|---|---|---|"
  row "initial backup" initial "$LIB_BYTES"
  row "no-change backup" nochange 0
  row "backup after mutate.sh" mutated 0
  row "full restore" restore "$(lib_bytes "$WORK")"
  row "check --read-data" check 0
  if [ "$DO_100K" = 1 ]; then
    row "initial backup, $TREE_FILES small files" 100k-initial 0
    row "no-change backup, $TREE_FILES small files" 100k-nochange 0
  fi
  echo
  echo "Day of work (mutate.sh 1): $NEW_FILES new files, $(mb "$NEW_BYTES") MB; $MOD_FILES files modified in place, $(mb "$MOD_BYTES") MB."
  echo
  echo "| tool | repo growth MB | extra over the new files MB |"
  echo "|---|---|---|"
  echo "| Triplicate | $(mb "$T_GROWTH") | $(awk -v b="$T_EXTRA" 'BEGIN { printf "%.3f", b / 1e6 }') |"
  echo "| restic | $(mb "$R_GROWTH") | $(awk -v b="$R_EXTRA" 'BEGIN { printf "%.3f", b / 1e6 }') |"
  echo
  echo "The $EXIF_FILES exiftool rewrites alone (a folder of just those JPEGs, backed up before and after; growth includes"
  echo "its folder listing, index and snapshot): Triplicate +$(awk -v b="$T_EXIF" 'BEGIN { printf "%.3f", b / 1e6 }') MB,"
  echo "restic +$(awk -v b="$R_EXIF" 'BEGIN { printf "%.3f", b / 1e6 }') MB."
} | tee -a "$RUNLOG"
log "log: $RUNLOG"
