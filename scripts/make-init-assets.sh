#!/usr/bin/env bash
# Regenerates the two binary files `mspod init` writes into a new content folder:
# a 3-second spoken MP3 for the example episode and a 1400×1400 cover.
# Needs espeak-ng, ffmpeg and ImageMagick (apt-get install espeak-ng ffmpeg imagemagick).
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/src/cmd/init-template"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en-us -s 160 -w "$tmp/hello.wav" "Hello, and welcome to the show."
ffmpeg -hide_banner -loglevel error -y -i "$tmp/hello.wav" -ac 1 -ar 22050 -c:a libmp3lame -b:a 24k \
  -map_metadata -1 -fflags +bitexact -flags:a +bitexact -id3v2_version 3 \
  -metadata title="Welcome" -metadata artist="My Show" "$dir/audio.mp3"
convert -size 1400x1400 gradient:'#2b5876-#4e4376' -strip -quality 80 "$dir/cover.jpg"
ls -l "$dir"
