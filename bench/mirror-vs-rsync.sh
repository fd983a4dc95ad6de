#!/usr/bin/env bash
# 'triplicate mirror' against 'rsync -a --checksum --delete' on the same library and the same day of work
# (../shared/bench/mutate.sh), side by side. Both start from the same library copy and make a plain-file copy of it:
#   1. initial copy (one run each);
#   2. no-change update (median of RUNS): Triplicate reads nothing (manifest, size, mtime); rsync --checksum reads
#      every byte on both sides;
#   3. update after mutate.sh 1 (one run each: the day can be applied once): Triplicate's time is its catalog scan
#      (the new and changed files hashed, their metadata read) plus the mirror run, given separately;
#   4. both copies are compared with the library (diff -r); the run stops if either differs.
# Usage: bench/mirror-vs-rsync.sh [--small]   (--small: the ~1 GB library; default the ~3.4 GB one)
# Environment: BENCH_DIR (default /tmp/photobench), RUNS (default 3). Needs rsync, GNU time, bc, python3, exiftool.
# Everything is written under $BENCH_DIR/mirror-bench; the shared library ($BENCH_DIR/lib) is only read.
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$PROJECT/../shared/bench"
export BENCH_DIR="${BENCH_DIR:-/tmp/photobench}"
RUNS="${RUNS:-3}"
SRC="$BENCH_DIR/lib"
[ "${1:-}" = "--small" ] && SRC="$BENCH_DIR/lib-small"
W="$BENCH_DIR/mirror-bench"
LOGS="$BENCH_DIR/logs"
mkdir -p "$LOGS"
. "$PROJECT/bin/jdk.sh"
if [ ! -d "$SRC" ]; then
  echo "no library at $SRC: generate it with ../shared/bench/make-library.sh (LIB=$SRC)" >&2
  exit 1
fi
jar="$PROJECT/cli/target/triplicate.jar"
(cd "$PROJECT" && ./build -q package -pl cli -am -DskipTests >&2)
T=("$JAVA_HOME/bin/java" -Xmx136m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -jar "$jar")
export TRIPLICATE_NO_PROGRESS=1 LC_ALL=C.UTF-8

rm -rf "$W"
mkdir -p "$W"
cp -a "$SRC" "$W/lib"
mkdir -p "$W/mirror" "$W/rsync"
cat "$W/lib"/*/*/* > /dev/null 2>&1 || true   # warm: both tools find the library in the page cache
"${T[@]}" target add m --library "$W/lib" --kind mirror --uri "$W/mirror" --media external-drive --location onsite \
  > /dev/null

timed() { # name command... -> appends "wall cpu rssKiB exit" to $LOGS/mirror-NAME.runs
  local name="$1"; shift
  /usr/bin/time -f "%e %U %S %M %x" -o "$LOGS/mirror-$name.time" "$@" > "$LOGS/mirror-$name.out" \
    2> "$LOGS/mirror-$name.err" || true
  tail -1 "$LOGS/mirror-$name.time" | tee -a "$LOGS/mirror-$name.runs" > /dev/null
}
med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row() { # label name-t name-r
  local tw tc tm rw rc rm
  tw=$(awk '{print $1}' "$LOGS/mirror-$2.runs" | med); tc=$(awk '{print $2 + $3}' "$LOGS/mirror-$2.runs" | med)
  tm=$(awk '{print $4}' "$LOGS/mirror-$2.runs" | med)
  rw=$(awk '{print $1}' "$LOGS/mirror-$3.runs" | med); rc=$(awk '{print $2 + $3}' "$LOGS/mirror-$3.runs" | med)
  rm=$(awk '{print $4}' "$LOGS/mirror-$3.runs" | med)
  printf '| %s | %d | %.2f / %.2f | %.2fx | %.2f / %.2f | %.0f / %.0f |\n' "$1" "$(grep -c '' "$LOGS/mirror-$2.runs")" \
    "$tw" "$rw" "$(echo "$rw / $tw" | bc -l)" "$tc" "$rc" "$(echo "$tm / 1024" | bc -l)" "$(echo "$rm / 1024" | bc -l)"
}
RSYNC=(rsync -a --checksum --delete "$W/lib/" "$W/rsync/")
for n in initial nochange-t nochange-r scan-t mirror-t day-r; do : > "$LOGS/mirror-$n.runs"; done
mv "$LOGS/mirror-initial.runs" "$LOGS/mirror-initial-t.runs"; : > "$LOGS/mirror-initial-r.runs"
timed initial-t "${T[@]}" mirror --library "$W/lib"
timed initial-r "${RSYNC[@]}"
for _ in $(seq "$RUNS"); do
  timed nochange-t "${T[@]}" mirror --library "$W/lib"
  timed nochange-r "${RSYNC[@]}"
done
LIB="$W/lib" "$SHARED/mutate.sh" 1 > "$LOGS/mirror-mutate.out" 2>&1
cat "$W/lib"/*/*/* > /dev/null 2>&1 || true
timed scan-t "${T[@]}" catalog scan "$W/lib"
timed mirror-t "${T[@]}" mirror --library "$W/lib" --no-scan --json
timed day-r "${RSYNC[@]}"
# the sum of the scan and the mirror run, as one 'mirror' command does both
paste -d' ' "$LOGS/mirror-scan-t.runs" "$LOGS/mirror-mirror-t.runs" \
  | awk '{print $1 + $6, $2 + $7, $3 + $8, ($4 > $9 ? $4 : $9), $5 + $10}' > "$LOGS/mirror-day-t.runs"
for copy in mirror rsync; do
  if ! diff -r -x .triplicate -x .triplicate-mirror "$W/lib" "$W/$copy" > "$LOGS/mirror-diff-$copy.out"; then
    echo "the $copy copy differs from the library (see $LOGS/mirror-diff-$copy.out)" >&2
    exit 1
  fi
done

files=$(find "$SRC" -type f | wc -l); bytes=$(du -sb --apparent-size "$SRC" | cut -f1)
echo "library: $files files, $((bytes / 1000000)) MB ($SRC); both copies identical to the library afterwards"
grep -o '"copied":[0-9]*,"bytesCopied":[0-9]*,"moved":[0-9]*,"unchanged":[0-9]*' "$LOGS/mirror-mirror-t.out" \
  | sed 's/^/day of work, triplicate mirror: /'
grep -o '"toSafetyNet":\[[^]]*\]' "$LOGS/mirror-mirror-t.out" | tr ',' '\n' | grep -c 'safety-net' \
  | sed 's/^/files moved to the safety net: /'
echo
echo "| step | runs | wall s, Triplicate / rsync | rsync wall / Triplicate wall | CPU s, T / r | peak RSS MiB, T / r |"
echo "|---|---:|---:|---:|---:|---:|"
row "initial copy" initial-t initial-r
row "no-change update" nochange-t nochange-r
row "after mutate.sh 1 (T: scan + mirror)" day-t day-r
row "… of which the catalog scan" scan-t day-r
row "… of which the mirror run" mirror-t day-r
