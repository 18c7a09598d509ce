#!/usr/bin/env bash
# Makes the per-episode artwork and the video of the sample show (issue 12):
#   episodes/relationship-as-medicine/cover.jpg        1400x1400 RGB JPEG (found by name)
#   episodes/grounding-techniques-for-panic/artwork.png 1400x1400 RGB PNG (`image = ` key)
#   episodes/first-therapy-session/video.mp4           320x180 H.264 + AAC, < 300 KB,
#                                                      the episode's audio over a still card
# Deterministic for a given tool set (ImageMagick -strip; ffmpeg +bitexact, one thread).
# Needs: ImageMagick (convert), ffmpeg with libx264. Called by make-sample-show.sh;
# runs alone too:  scripts/make-sample-art-video.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
for tool in convert ffmpeg; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
FONT_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

# card OUT SIZE BG TITLE1 TITLE2 [convert options…] — a flat card with two title lines.
card() {
  local out="$1" size="$2" bg="$3" t1="$4" t2="$5"
  shift 5
  local pt=$(( ${size%x*} / 10 ))
  convert -size "$size" xc:"$bg" \
    -font "$FONT_BOLD" -fill white -gravity center \
    -pointsize "$pt" -annotate +0-$(( pt * 6 / 10 )) "$t1" \
    -pointsize "$pt" -annotate +0+$(( pt * 6 / 10 )) "$t2" \
    -font "$FONT" -pointsize $(( pt / 3 )) -annotate +0+$(( pt * 2 )) 'MentalSpace Therapy' \
    -strip -colorspace sRGB -type TrueColor -depth 8 "$@" "$out"
}

card episodes/relationship-as-medicine/cover.jpg 1400x1400 '#6b3f69' 'Relationship' 'as Medicine' \
  -sampling-factor 4:2:0 -quality 85
card episodes/grounding-techniques-for-panic/artwork.png 1400x1400 '#2f5d50' 'Grounding' 'for Panic' \
  -define png:compression-level=9 -define png:color-type=2

# The video: the episode's audio over a 320x180 still card, as small as H.264 allows.
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
card "$WORK/card.png" 320x180 '#1f4e5a' 'Your First' 'Therapy Session'
AUDIO=episodes/first-therapy-session/audio.mp3
# Cut the looped picture at the audio's end (-shortest overshoots with a looped input).
LEN="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$AUDIO")"
ffmpeg -nostdin -v error -y -loop 1 -framerate 1 -t "$LEN" -i "$WORK/card.png" \
  -i "$AUDIO" -map 0:v -map 1:a -t "$LEN" \
  -map_metadata -1 -fflags +bitexact -flags +bitexact -threads 1 \
  -c:v libx264 -preset veryslow -tune stillimage -crf 35 -pix_fmt yuv420p -r 1 -g 600 \
  -x264-params threads=1 \
  -c:a aac -b:a 16k -ac 1 -ar 22050 -movflags +faststart \
  episodes/first-therapy-session/video.mp4
ls -l episodes/relationship-as-medicine/cover.jpg episodes/grounding-techniques-for-panic/artwork.png \
  episodes/first-therapy-session/video.mp4
