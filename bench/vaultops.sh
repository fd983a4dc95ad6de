#!/usr/bin/env bash
# Times the vault operations on local vaults with the launcher's heap (-Xmx136m): a backup of a library with its
# catalog, restore drills (a 10 % sample, then every file), copy into a vault with the same chunker and into one with
# another, recover on a "new computer" from the copy, and heal (from the library and the copy) after a byte was
# flipped in three packs. Two libraries: 100 photos
# of 3 MB (few large files) and 2,000 files of 20 KB (many small ones: drills in batches, the catalog paged).
# Usage: bench/vaultops.sh   Environment: BENCH_DIR (default /tmp/vaultops-bench). Wall times include the JVM's
# start and the default Argon2id unlock (64 MiB, 3 passes) of each vault a command opens.
# The CLI jar is built with ./build package (never installed).
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/vaultops-bench}"
mkdir -p "$BENCH_DIR"
. "$PROJECT/bin/jdk.sh"
(cd "$PROJECT" && ./build -q package -pl cli -am -DskipTests >&2)
T=("$JAVA_HOME/bin/java" -Xmx136m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -jar "$PROJECT/cli/target/triplicate.jar")
export TRIPLICATE_NO_PROGRESS=1 LC_ALL=C.UTF-8 TRIPLICATE_PASSWORD=bench-1 TRIPLICATE_FROM_PASSWORD=bench-1

row() { # name command...: one Markdown row: name, wall s, max RSS MiB, the command's summary line
  local name="$1"; shift
  local out
  out=$(/usr/bin/time -f "@@ %e %M" "$@" 2>&1 | grep -E "^@@|drilled|copied as|in [0-9.]+ s$|checked|pack\(s\) retired|read [0-9]" \
        | tr '\n' ' ' || true)
  local t rss
  t=$(sed -E 's/.*@@ ([0-9.]+) ([0-9]+).*/\1/' <<<"$out")
  rss=$(sed -E 's/.*@@ ([0-9.]+) ([0-9]+).*/\2/' <<<"$out")
  printf '| %s | %s | %d | %s |\n' "$name" "$t" $((rss / 1024)) "$(sed -E 's/@@ [0-9.]+ [0-9]+//' <<<"$out" | sed 's/ *$//')"
}

one() { # label files size
  local label="$1" files="$2" size="$3" d="$BENCH_DIR/$1"
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  python3 - "$files" "$size" <<'PY'
import os, random, sys
n, size = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(1)
for i in range(n):
    d = f"lib/2024/shoot-{i % 20:02d}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/IMG_{i:05d}.CR3", "wb") as f:
        f.write(r.randbytes(size))
PY
  "${T[@]}" catalog scan lib >/dev/null 2>&1 || true
  "${T[@]}" init --vault v1 >/dev/null
  echo "### $label: $files files of $size bytes"
  echo
  echo "| step | wall s | max RSS MiB | summary |"
  echo "|---|---:|---:|---|"
  row "backup (library, then its catalog)" "${T[@]}" backup --vault v1 lib
  row "verify --sample 10%" "${T[@]}" verify --vault v1 --library lib --sample 10%
  row "verify --all" "${T[@]}" verify --vault v1 --library lib --all
  TRIPLICATE_PASSWORD=bench-2 "${T[@]}" init --vault v2 --copy-chunker-params-from v1 >/dev/null
  row "copy latest (same chunker)" env TRIPLICATE_PASSWORD=bench-2 "${T[@]}" copy latest --from v1 --to v2
  TRIPLICATE_PASSWORD=bench-3 "${T[@]}" init --vault v3 >/dev/null
  row "copy latest (other chunker: cut again)" env TRIPLICATE_PASSWORD=bench-3 "${T[@]}" copy latest --from v1 --to v3
  row "recover (from the copy)" env TRIPLICATE_PASSWORD=bench-2 "${T[@]}" recover --from v2 --library new
  for p in $(find v1/data -type f | sort | head -3); do
    chmod u+w "$p"
    printf '\x55' | dd of="$p" bs=1 seek=$(( $(stat -c %s "$p") / 2 )) conv=notrunc status=none
  done
  # the packs may hold chunks of the catalog's snapshot: those come from the copy, since the live catalog changed
  row "heal (a byte flipped in 3 packs)" env TRIPLICATE_FROM_PASSWORD=bench-2 "${T[@]}" heal --vault v1 --library lib --from v2
  row "verify --all after heal" "${T[@]}" verify --vault v1 --library lib --all
  echo
}
one large 100 3000000
one small 2000 20000
