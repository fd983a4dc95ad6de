#!/usr/bin/env bash
# Times the catalog on a library of small files: a first 'catalog scan' (every file hashed and its metadata read),
# a no-change re-scan, and a few 'find' queries. Prints a Markdown table; command outputs go to $BENCH_DIR/logs.
# Usage: bench/catalog.sh [N]   (N files, default 100,000; the library is generated once by bench/catalog-library.sh)
# Environment: BENCH_DIR (default /tmp/photobench), RUNS (no-change scans and queries, median quoted; default 3),
# QUERIES_ONLY=1 (time the queries on the catalog a previous run left).
# The CLI jar is built with ./build package (never installed); the JVM gets the launcher's heap, -Xmx136m.
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-100000}"
export BENCH_DIR="${BENCH_DIR:-/tmp/photobench}"
RUNS="${RUNS:-3}"
LIB="$BENCH_DIR/catalog-lib"
LOGS="$BENCH_DIR/logs"
mkdir -p "$LOGS"
. "$PROJECT/bin/jdk.sh"
"$PROJECT/bench/catalog-library.sh" "$N" "$LIB" >&2
jar="$PROJECT/cli/target/triplicate.jar"
(cd "$PROJECT" && ./build -q package -pl cli -am -DskipTests >&2)
T=("$JAVA_HOME/bin/java" -Xmx136m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -jar "$jar")
export TRIPLICATE_NO_PROGRESS=1 LC_ALL=C.UTF-8

# wall seconds, then the command's own figures, of one run
timed() { # name args...
  local name="$1"; shift
  local start end
  start=$(date +%s.%N)
  "${T[@]}" "$@" > "$LOGS/catalog-$name.out" 2> "$LOGS/catalog-$name.err" || [ $? = 3 ]
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

files=$(find "$LIB" -type f -not -path '*/.triplicate/*' | wc -l)
if [ "${QUERIES_ONLY:-0}" != 1 ]; then
rm -rf "$LIB/.triplicate"
first=$(timed scan-first catalog scan --json "$LIB")
first_inner=$(grep -o '"seconds":[0-9.]*' "$LOGS/catalog-scan-first.out" | cut -d: -f2)
rescans=(); for _ in $(seq "$RUNS"); do rescans+=("$(timed scan-again catalog scan --json "$LIB")"); done
again=$(printf '%s\n' "${rescans[@]}" | median)
again_inner=$(grep -o '"seconds":[0-9.]*' "$LOGS/catalog-scan-again.out" | cut -d: -f2)
db_size=$(du -b "$LIB/.triplicate/catalog.db" | cut -f1)

echo "| step | files | wall s (JVM included) | in-process s | files/s (in-process) |"
echo "|---|---:|---:|---:|---:|"
printf '| first scan (every file read) | %d | %.1f | %.1f | %.0f |\n' "$files" "$first" "$first_inner" "$(echo "$files / $first_inner" | bc -l)"
printf '| no-change re-scan (median of %d) | %d | %.1f | %.1f | %.0f |\n' "$RUNS" "$files" "$again" "$again_inner" "$(echo "$files / $again_inner" | bc -l)"
echo
echo "catalog.db: $db_size bytes"
echo
fi
echo "| query | assets | wall s (JVM included) | query + table output, ms (in-process, median of $RUNS) |"
echo "|---|---:|---:|---:|"
query() { # label args...
  local label="$1"; shift
  local walls=() qs=()
  for _ in $(seq "$RUNS"); do
    walls+=("$(timed find find --library "$LIB" "$@")")
    qs+=("$(grep -o 'asset(s) in [0-9]* ms' "$LOGS/catalog-find.out" | awk '{print $3}')")
  done
  local count
  count=$(grep -o '^[0-9]* asset(s)' "$LOGS/catalog-find.out" | awk '{print $1}')
  printf '| `find %s` | %s | %.2f | %s |\n' "$label" "$count" "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${qs[@]}" | median)"
}
query "--taken 2024-06" --taken 2024-06
query "--camera canon --rating 4" --camera canon --rating 4
query "--near 48.85,2.35,10 --taken 2023" --near 48.85,2.35,10 --taken 2023
query "--lens 35mm --limit 20" --lens 35mm --limit 20
query "(everything, printed)"
