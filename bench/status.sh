#!/usr/bin/env bash
# Times 'triplicate status' on a catalog of N assets (default 100,000) with 3 targets (two mirrors, one vault).
# The catalog is made directly in SQL (the schema comes from the CLI itself): each asset a RAW and an XMP sidecar, a
# JPEG twin for every third; every file copied to the three targets, with a few problems mixed in (0.5% of the
# assets damaged on a mirror, 1% never backed up to the vault, 2% last verified 120 days ago on the other mirror),
# so the status has reasons to give. No photo files are needed: status reads the catalog only.
# Usage: bench/status.sh [N]   Environment: BENCH_DIR (default /tmp/photobench), RUNS (default 3).
# Prints a Markdown table; outputs go to $BENCH_DIR/logs. The JVM gets the launcher's heap (-Xmx136m).
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-100000}"
export BENCH_DIR="${BENCH_DIR:-/tmp/photobench}"
RUNS="${RUNS:-3}"
W="$BENCH_DIR/status-bench"
LOGS="$BENCH_DIR/logs"
mkdir -p "$LOGS"
. "$PROJECT/bin/jdk.sh"
jar="$PROJECT/cli/target/triplicate.jar"
(cd "$PROJECT" && ./build -q package -pl cli -am -DskipTests >&2)
T=("$JAVA_HOME/bin/java" -Xmx136m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -jar "$jar")
export TRIPLICATE_NO_PROGRESS=1 LC_ALL=C.UTF-8

rm -rf "$W"
mkdir -p "$W/lib" "$W/usb" "$W/nas"
"${T[@]}" catalog scan "$W/lib" > /dev/null
"${T[@]}" target add usb --library "$W/lib" --kind mirror --uri "$W/usb" --media external-drive --location onsite >/dev/null
"${T[@]}" target add nas --library "$W/lib" --kind mirror --uri "$W/nas" --media nas --location onsite > /dev/null
"${T[@]}" target add b2 --library "$W/lib" --kind vault --uri "s3://bucket/photos" --media cloud --location offsite \
  > /dev/null
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
old=$(date -u -d '120 days ago' +%Y-%m-%dT%H:%M:%SZ)
start=$(date +%s.%N)
sqlite3 "$W/lib/.triplicate/catalog.db" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $N),
f(i, ext, fmt) AS (SELECT i, 'CR3', 'CR3' FROM n UNION ALL SELECT i, 'xmp', 'XMP' FROM n
                   UNION ALL SELECT i, 'JPG', 'JPEG' FROM n WHERE i % 3 = 0)
INSERT INTO files (path, group_key, size, sha256, mtime_ns, format, shoot, indexed_at, taken, taken_digits, taken_source)
SELECT printf('%d/shoot-%04d/IMG_%06d.%s', 2019 + i % 7, i / 100, i, ext), printf('%d/shoot-%04d/img_%06d', 2019 + i % 7, i / 100, i),
       20000000 + i, printf('%064x', i * 4 + length(ext) + (ext = 'xmp')), 1700000000000000000 + i, fmt,
       printf('shoot-%04d', i / 100), '$now', '2024-06-15T12:00:00', 0, 'EXIF_ORIGINAL' FROM f;
INSERT INTO assets (group_key, primary_path, file_count, taken, taken_source, shoot)
SELECT group_key, MIN(CASE WHEN format = 'CR3' THEN path END), COUNT(*), '2024-06-15T12:00:00', 'EXIF_ORIGINAL', MIN(shoot)
FROM files GROUP BY group_key;
INSERT INTO copies (file_id, target, verified_at, result, detail)
SELECT id, 'usb', '$now', CASE WHEN id % 200 = 0 THEN 'DAMAGED' ELSE 'OK' END, NULL FROM files;
INSERT INTO copies (file_id, target, verified_at, result, detail)
SELECT id, 'nas', CASE WHEN (id / 3) % 50 = 0 THEN '$old' ELSE '$now' END, 'OK', NULL FROM files;
INSERT INTO copies (file_id, target, verified_at, result, detail)
SELECT f.id, 'b2', '$now', 'STORED', 'snapshot 0123456789abcdef' FROM files f JOIN assets a ON a.group_key = f.group_key
WHERE a.id % 100 <> 7;
COMMIT;
SQL
made=$(echo "$(date +%s.%N) - $start" | bc)
assets=$(sqlite3 "$W/lib/.triplicate/catalog.db" 'SELECT COUNT(*) FROM assets')
files=$(sqlite3 "$W/lib/.triplicate/catalog.db" 'SELECT COUNT(*) FROM files')
copies=$(sqlite3 "$W/lib/.triplicate/catalog.db" 'SELECT COUNT(*) FROM copies')
db=$(du -b "$W/lib/.triplicate/catalog.db" | cut -f1)

run() { # name args... -> "wall cpu rssMiB exit" per run into $LOGS/status-NAME.runs
  local name="$1"; shift
  : > "$LOGS/status-$name.runs"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M %x" -o "$LOGS/status-$name.time" "${T[@]}" "$@" > "$LOGS/status-$name.out" \
      2> "$LOGS/status-$name.err" || true
    tail -1 "$LOGS/status-$name.time" >> "$LOGS/status-$name.runs"
  done
}
med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v c="$2" '{print $c}' "$LOGS/status-$1.runs" | med; }
run text status --library "$W/lib"
run json status --library "$W/lib" --json
inner=$(grep -o '"seconds":[0-9.]*' "$LOGS/status-json.out" | cut -d: -f2)
code=$(awk '{print $5}' "$LOGS/status-text.runs" | head -1)
echo "catalog: $assets assets, $files files, $copies copies on 3 targets, $db bytes (made in ${made}s)"
echo "status exit code: $code; $(grep -c '' "$LOGS/status-text.out") lines; $(grep -o 'assets meet the policy.*' "$LOGS/status-text.out" | head -1)"
echo
echo "| command | runs | wall s (median) | CPU s (user+sys) | peak RSS MiB | evaluation s (in-process, --json) |"
echo "|---|---:|---:|---:|---:|---:|"
for n in text json; do
  cpu=$(awk '{print $2 + $3}' "$LOGS/status-$n.runs" | med)
  printf '| status%s | %d | %.2f | %.2f | %.0f | %s |\n' "$([ $n = json ] && echo ' --json')" "$RUNS" "$(col $n 1)" \
    "$cpu" "$(echo "$(col $n 4) / 1024" | bc -l)" "$([ $n = json ] && echo "$inner" || echo -)"
done
