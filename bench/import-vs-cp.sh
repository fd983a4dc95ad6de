#!/usr/bin/env bash
# Times `triplicate import` of the synthetic photo library against `cp -r` followed by `sha256sum` of the copies,
# side by side in one run: the two alternate, RUNS times each, and the medians and their ratio are reported. For
# scale, `cp -r` + `sync` + `sha256sum` (the copies forced to the disk, as the import does) is timed too.
# Prints a Markdown table on stdout; every run's figures go to $BENCH_DIR/logs/import-vs-cp-*.
#
# Usage: bench/import-vs-cp.sh [--small] [--no-sync]
#   --small    the ~1 GB library (--jpegs 200 --raws 15 --videos 1 --video-mb 80) instead of the default ~3.5 GB
#   --no-sync  skip the cp + sync + sha256sum reference
# Environment: BENCH_DIR (default /tmp/photobench), RUNS (default 3), SEED.
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$PROJECT/../shared/bench"
[ -f "$SHARED/env.sh" ] || { echo "bench: $SHARED/env.sh not found (the shared folder sits beside the project)" >&2; exit 2; }

SMALL=0; SYNC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --small) SMALL=1 ;;
    --no-sync) SYNC=0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
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
export TRIPLICATE_NO_PROGRESS=1
T="$PROJECT/triplicate"
OUT="$BENCH_DIR/import-vs-cp"
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULTS="$LOGS/import-vs-cp-$STAMP.runs"

if [ ! -d "$LIB" ] || [ -z "$(ls -A "$LIB" 2>/dev/null)" ]; then
  "$SHARED/make-library.sh" "${LIB_ARGS[@]}" >&2
fi
BYTES=$(lib_bytes "$LIB"); FILES=$(lib_files "$LIB")
echo "library $LIB: $FILES files, $BYTES bytes; RUNS=$RUNS; results in $RESULTS" >&2

# the launcher builds the jar (and its start-up cache) on first use: once, untimed
"$T" --version > /dev/null
# read the library once, so neither side pays for a cold page cache the other finds warm
find "$LIB" -type f -print0 | xargs -0 cat > /dev/null

: > "$RESULTS"
# timed NAME COMMAND...: one run under GNU time; appends "NAME wall user sys maxrss_kib exit" to $RESULTS
timed() {
  local name="$1"; shift
  /usr/bin/time -f "$name %e %U %S %M %x" -o "$RESULTS.tmp" "$@" > "$LOGS/import-vs-cp-$name.stdout" 2>&1 || true
  tail -1 "$RESULTS.tmp" >> "$RESULTS"
  rm -f "$RESULTS.tmp"
}
copy_and_hash() { cp -r "$LIB" "$OUT/cp" && find "$OUT/cp" -type f -print0 | xargs -0 sha256sum > "$OUT/cp.sha256"; }
copy_sync_hash() { cp -r "$LIB" "$OUT/cp" && sync && find "$OUT/cp" -type f -print0 | xargs -0 sha256sum > "$OUT/cp.sha256"; }
export -f copy_and_hash copy_sync_hash
export LIB OUT

for ((i = 1; i <= RUNS; i++)); do
  rm -rf "$OUT"; mkdir -p "$OUT"; sync
  timed cp+sha256sum bash -c copy_and_hash
  rm -rf "$OUT"; mkdir -p "$OUT"; sync
  timed import "$T" import "$LIB" --library "$OUT/library"
  # every copy must be there and be right: the import's library holds each distinct file of the source once
  want=$(find "$LIB" -type f -print0 | xargs -0 sha256sum | cut -c1-64 | sort -u)
  got=$(find "$OUT/library" -path "$OUT/library/.triplicate" -prune -o -type f -print0 | xargs -0 sha256sum | cut -c1-64 | sort -u)
  [ "$want" = "$got" ] || { echo "bench: run $i: the library's content differs from the source's" >&2; exit 1; }
  if [ "$SYNC" = 1 ]; then
    rm -rf "$OUT"; mkdir -p "$OUT"; sync
    timed cp+sync+sha256sum bash -c copy_sync_hash
  fi
  echo "run $i done: $(tail -n $((SYNC + 2)) "$RESULTS" | awk '{printf "%s %.2f s  ", $1, $2}')" >&2
done
rm -rf "$OUT"

# medians of wall, cpu (user+sys), peak RSS per name; import exits 3 when some files were named by a guessed date
awk -v bytes="$BYTES" -v files="$FILES" '
  function med(a, k,   t,i,j,x){ for(i=1;i<=k;i++) t[i]=a[i]; for(i=1;i<=k;i++) for(j=i+1;j<=k;j++) if(t[j]<t[i]){x=t[i];t[i]=t[j];t[j]=x}
    return (k%2)? t[(k+1)/2] : (t[k/2]+t[k/2+1])/2 }
  { n=$1; k[n]++; w[n,k[n]]=$2; c[n,k[n]]=$3+$4; r[n,k[n]]=$5/1024; if ($6 != 0 && $6 != 3) bad[n]++; if (!(n in seen)) { seen[n]=1; order[++names]=n } }
  END {
    printf "| | wall s (median) | min - max | CPU s (user+sys) | MB/s | peak RSS MiB | runs |\n|---|---|---|---|---|---|---|\n"
    for (o=1; o<=names; o++) { n=order[o]; m=k[n]
      for (i=1;i<=m;i++) { ww[i]=w[n,i]; cc[i]=c[n,i]; rr[i]=r[n,i] }
      mn=ww[1]; mx=ww[1]; for (i=2;i<=m;i++) { if (ww[i]<mn) mn=ww[i]; if (ww[i]>mx) mx=ww[i] }
      mw[n]=med(ww,m)
      printf "| `%s` | %.2f | %.2f - %.2f | %.2f | %.0f | %.0f | %d%s |\n", n, mw[n], mn, mx, med(cc,m), bytes/mw[n]/1e6, med(rr,m), m, bad[n] ? " (" bad[n] " failed)" : ""
    }
    printf "\nimport / (cp -r + sha256sum): **%.2f×** (goal: at most 1.1×); %d files, %.0f MB\n", mw["import"]/mw["cp+sha256sum"], files, bytes/1e6
  }' "$RESULTS"
