#!/usr/bin/env bash
# Generates the catalog benchmark's library: N small files (default 100,000) in folders of 100, from four JPEG
# templates drawn by ImageMagick and tagged by exiftool (four cameras and lenses, GPS, ratings); see CatalogLibrary.java.
# Usage: bench/catalog-library.sh [N] [DIR]   (DIR default: $BENCH_DIR/catalog-lib, BENCH_DIR default /tmp/photobench)
# Needs: imagemagick, libimage-exiftool-perl, a JDK >= 21 (found by bin/jdk.sh).
set -euo pipefail
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-100000}"
BENCH_DIR="${BENCH_DIR:-/tmp/photobench}"
DIR="${2:-$BENCH_DIR/catalog-lib}"
. "$PROJECT/bin/jdk.sh"
T="$BENCH_DIR/catalog-templates"
mkdir -p "$T"
make() { # name make model lens lat lon
  [ -f "$T/$1.jpg" ] && return 0
  /usr/bin/convert -size 48x32 "plasma:fractal" -quality 70 "$T/$1.jpg"
  exiftool -q -q -overwrite_original "-DateTimeOriginal=2024:06:15 12:34:56" -SubSecTimeOriginal=12 \
    -OffsetTimeOriginal=+02:00 "-Make=$2" "-Model=$3" "-LensModel=$4" -FocalLength=35 -ExposureTime=1/250 \
    -FNumber=4 -ISO=200 "-GPSLatitude=$5" "-GPSLongitude=$6" -GPSLatitudeRef=N -GPSLongitudeRef=E "$T/$1.jpg"
}
make canon Canon "Canon EOS R5" "RF24-70mm F2.8 L IS USM" 48.8584 2.2945
make nikon "NIKON CORPORATION" "NIKON Z 8" "NIKKOR Z 24-120mm f/4 S" 45.7640 4.8357
make sony SONY ILCE-7M4 "FE 35mm F1.8" 43.2965 5.3698
make fuji FUJIFILM X-T5 "XF23mmF1.4 R LM WR" 47.2184 1.5536
if [ -d "$DIR" ] && [ "$(find "$DIR" -type f -not -path '*/.triplicate/*' | wc -l)" -ge "$N" ]; then
  echo "catalog-library: $DIR already has $N files" >&2
  exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR"
"$JAVA_HOME/bin/java" "$PROJECT/bench/CatalogLibrary.java" "$T" "$DIR" "$N"
