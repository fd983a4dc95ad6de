#!/usr/bin/env bash
# Backup and restore of one synthetic photo library to S3 (S3Proxy on loopback, on-disk store), by Triplicate and by
# restic's S3 backend, with wall times, the requests each sent (counted from S3Proxy's debug log) and what each
# stored. Results and how to read them: docs/benchmarks-s3.md.
#
#   ./build -q install -DskipTests          # makes cli/target/triplicate.jar and backend-s3/target/s3proxy/s3proxy.jar
#   bench/s3-vs-restic.sh [WORKDIR] [FILES] # default: /tmp/triplicate-s3-bench, 24 files (~160 MiB)
#
# Needs restic (apt-get install restic) and a JDK >= 21. Sends traffic only to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk.sh
JAVA="$JAVA_HOME/bin/java"
WORK="${1:-/tmp/triplicate-s3-bench}"
FILES="${2:-24}"
PORT=9200
JAR="$PWD/cli/target/triplicate.jar"
# the launcher users run: bounded heap, JIT settings for the JDK's crypto, start-up cache (see ./triplicate)
TRIPLICATE="$PWD/triplicate"
PROXY="$PWD/backend-s3/target/s3proxy/s3proxy.jar"
[ -f "$JAR" ] && [ -f "$PROXY" ] || { echo "build first: ./build -q install -DskipTests" >&2; exit 1; }
command -v restic >/dev/null || { echo "needs restic (apt-get install restic)" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK/s3data" "$WORK/library"
# the library: FILES incompressible "photos" of 4.5 to 9 MiB (RAW and JPEG data do not compress), reproducible
set +o pipefail # openssl ends on SIGPIPE when head has enough
for i in $(seq 1 "$FILES"); do
  size=$(( (4608 + (i * 1297) % 4608) * 1024 ))
  openssl enc -aes-128-ctr -nosalt -pass "pass:photo-$i" -pbkdf2 < /dev/zero 2>/dev/null | head -c "$size" \
    > "$WORK/library/IMG_$(printf %04d "$i").CR2"
done
set -o pipefail
LIB_BYTES=$(du -sb "$WORK/library" | cut -f1)

cat > "$WORK/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=benchkey
s3proxy.credential=benchsecret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3data
CONF
LOG_LEVEL=debug "$JAVA" -Xmx512m -jar "$PROXY" --properties "$WORK/s3proxy.conf" > "$WORK/s3proxy.log" 2>&1 &
PROXY_PID=$!
trap 'kill $PROXY_PID 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.2; done

export AWS_ACCESS_KEY_ID=benchkey AWS_SECRET_ACCESS_KEY=benchsecret AWS_EC2_METADATA_DISABLED=true
export TRIPLICATE_PASSWORD=bench-password RESTIC_PASSWORD=bench-password TRIPLICATE_NO_PROGRESS=1
export TRIPLICATE_VAULT="s3+http://127.0.0.1:$PORT/bench-triplicate/vault"
export RESTIC_REPOSITORY="s3:http://127.0.0.1:$PORT/bench-restic/repo"

mark() { grep -c "request: " "$WORK/s3proxy.log" || true; }
# requests since line $1 of the request log, by kind
requests() {
  sleep 0.5
  grep "request: " "$WORK/s3proxy.log" | tail -n +"$(( $1 + 1 ))" \
    | sed -E 's/.*\{([A-Z]+)@[0-9a-f]+ ([^ ]*) HTTP.*/\1 \2/' \
    | awk '{ m=$1; u=$2; k=m;
             if (u ~ /[?&]list-type=|[?&]prefix=|[?&]delimiter=/) k="LIST";
             else if (m=="GET" && u ~ /[?&]location/) k="GET-location";
             else if (m=="PUT" && u ~ /[?&]partNumber=/) k="PUT-part";
             else if (m=="POST" && u ~ /[?&]uploads/) k="POST-start-multipart";
             else if (m=="POST" && u ~ /[?&]uploadId=/) k="POST-complete-multipart";
             else if (m=="POST" && u ~ /[?&]delete/) k="POST-delete-many";
             n[k]++; t++ }
           END { printf "%d requests:", t; for (k in n) printf " %s %d", k, n[k]; print "" }'
}
stored() { du -sb "$WORK/s3data/$1" | cut -f1; }
timed() { local s e; s=$(date +%s.%N); "$@" > "$WORK/last.out" 2>&1 || { cat "$WORK/last.out"; exit 1; }; e=$(date +%s.%N); printf "%.1f s" "$(echo "$e - $s" | bc)"; }

echo "library: $FILES files, $LIB_BYTES bytes; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "triplicate: ./triplicate (pack size 16 MiB, 4 connections); restic: $(restic version | cut -d' ' -f2) (pack size 16 MiB, 5 connections)"
echo

echo "== Triplicate"
m=$(mark); t=$(timed "$TRIPLICATE" init); echo "init:               $t; $(requests "$m")"
m=$(mark); t=$(timed "$TRIPLICATE" snapshots); echo "snapshots (empty):  $t; $(requests "$m")  <- start-up + opening the vault"
m=$(mark); t=$(timed "$TRIPLICATE" backup "$WORK/library"); echo "backup:             $t; $(requests "$m")"
echo "  stored: $(stored bench-triplicate) bytes"
m=$(mark); t=$(timed "$TRIPLICATE" backup "$WORK/library"); echo "backup (unchanged): $t; $(requests "$m")"
m=$(mark); t=$(timed "$TRIPLICATE" restore latest --target "$WORK/restore-triplicate"); echo "restore:            $t; $(requests "$m")"
diff -r "$WORK/library" "$WORK/restore-triplicate/library" && echo "  restored files identical"
m=$(mark); t=$(timed "$TRIPLICATE" check --read-data); echo "check --read-data:  $t; $(requests "$m")"
t=$(TRIPLICATE_VAULT="$WORK/local-vault" timed "$TRIPLICATE" init); \
t=$(TRIPLICATE_VAULT="$WORK/local-vault" timed "$TRIPLICATE" backup "$WORK/library"); echo "backup to a local vault instead (reference): $t"
echo

echo "== restic"
m=$(mark); t=$(timed restic init); echo "init:               $t; $(requests "$m")"
m=$(mark); t=$(timed restic snapshots); echo "snapshots (empty):  $t; $(requests "$m")  <- start-up + opening the repository"
m=$(mark); t=$(timed restic backup --pack-size 16 "$WORK/library"); echo "backup:             $t; $(requests "$m")"
echo "  stored: $(stored bench-restic) bytes"
m=$(mark); t=$(timed restic backup --pack-size 16 "$WORK/library"); echo "backup (unchanged): $t; $(requests "$m")"
m=$(mark); t=$(timed restic restore latest --target "$WORK/restore-restic"); echo "restore:            $t; $(requests "$m")"
diff -r "$WORK/library" "$WORK/restore-restic$WORK/library" && echo "  restored files identical"
m=$(mark); t=$(timed restic check --read-data); echo "check --read-data:  $t; $(requests "$m")"
t=$(RESTIC_REPOSITORY="$WORK/local-repo" timed restic init); \
t=$(RESTIC_REPOSITORY="$WORK/local-repo" timed restic backup --pack-size 16 "$WORK/library"); echo "backup to a local repository instead (reference): $t"
