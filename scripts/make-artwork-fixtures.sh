#!/usr/bin/env bash
# Artwork that breaks one Apple rule each, for tests/tags.rs (checked offline by mspod):
#   cmyk-1400.jpg     1400x1400 JPEG in CMYK
#   wide-1600x900.jpg not square
#   png-named.jpg     a 1400x1400 PNG with a .jpg name
#   ok-1400.png       1400x1400 RGB PNG (passes)
# Needs ImageMagick (convert). Run from anywhere: scripts/make-artwork-fixtures.sh
set -euo pipefail
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/fixtures/artwork"
mkdir -p "$OUT"
convert -size 1400x1400 xc:'#2f5d50' -strip -colorspace CMYK -quality 50 "$OUT/cmyk-1400.jpg"
convert -size 1600x900 xc:'#2f5d50' -strip -type TrueColor -quality 50 "$OUT/wide-1600x900.jpg"
convert -size 1400x1400 xc:'#2f5d50' -strip -type TrueColor -depth 8 -define png:color-type=2 "png:$OUT/png-named.jpg"
convert -size 1400x1400 xc:'#6b3f69' -strip -type TrueColor -depth 8 -define png:color-type=2 "$OUT/ok-1400.png"
ls -l "$OUT"
