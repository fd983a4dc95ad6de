#!/usr/bin/env bash
# Fetches the real camera files that two Debian packages ship, for the photos module's tests:
#   golang-go4-dev (Apache-2.0): park.heic (Apple iPhone 7, with GPS) and rotate.heic (no EXIF)
#   rawtran-doc    (GPL-3+):     IMG_5952.CR2 (Canon EOS 30D), the only camera RAW file any package registry offers
# The packages are downloaded with apt-get (not installed: golang-go4-dev would pull in a Go toolchain's worth of
# dependencies) and unpacked with dpkg-deb into $TRIPLICATE_SAMPLES (default ~/.cache/triplicate/samples). Nothing
# is copied into the project: the CR2's licence is not the project's. Idempotent; .ci/run calls it.
set -euo pipefail
dest="${TRIPLICATE_SAMPLES:-$HOME/.cache/triplicate/samples}"
if [ -f "$dest/IMG_5952.CR2" ] && [ -f "$dest/park.heic" ] && [ -f "$dest/rotate.heic" ]; then
  exit 0
fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"   # apt's _apt user downloads into it
cd "$tmp"
if ! apt-get download -qq golang-go4-dev rawtran-doc 2>/dev/null; then
  as_root apt-get update -qq
  apt-get download -qq golang-go4-dev rawtran-doc
fi
for deb in ./*.deb; do dpkg-deb -x "$deb" unpacked; done
mkdir -p "$dest"
cp unpacked/usr/share/doc/rawtran/IMG_5952.CR2 unpacked/usr/share/gocode/src/go4.org/media/heif/testdata/park.heic \
   unpacked/usr/share/gocode/src/go4.org/media/heif/testdata/rotate.heic "$dest/"
echo "photo samples in $dest" >&2
