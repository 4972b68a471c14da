#!/usr/bin/env bash
# Renders the app icon, resources/icons/annotator.svg, at the hicolor theme's standard sizes
# into resources/icons/hicolor/NxN/apps/annotator.png (committed, so installing needs no
# renderer). Run again after changing the SVG. Needs rsvg-convert (apt-get install librsvg2-bin).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
svg=$repo/resources/icons/annotator.svg
command -v rsvg-convert >/dev/null || { echo "make-icons: needs rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 1; }
for size in 16 24 32 48 64 128 256; do
  out=$repo/resources/icons/hicolor/${size}x${size}/apps/annotator.png
  mkdir -p "$(dirname "$out")"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio --output "$out" "$svg"
done
echo "make-icons: wrote 7 sizes under resources/icons/hicolor"
