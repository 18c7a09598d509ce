#!/usr/bin/env bash
# Regenerates the binary parts of the sample show (the default content of
# `mspod publish` and its main integration fixture):
#   episodes/<slug>/audio.mp3        speech read by espeak-ng from the article text
#   episodes/cover.jpg               1400x1400 show cover
#   episode artwork and video.mp4    by scripts/make-sample-art-video.sh
#   tests/fixtures/sample-show-truth.tsv   what ffprobe / a full ffmpeg decode measure
#
# The articles, episode.toml files and mspod.toml are hand-written and are not
# touched. Every output is deterministic for a given tool set: espeak-ng, sox and
# lame are deterministic, ffmpeg runs with +bitexact (no version strings), and
# the ID3 tags carry no dates.
#
# Needs: espeak-ng, sox/soxi, lame, ffmpeg/ffprobe, ImageMagick (convert),
# python3 with mutagen (pip install mutagen).
# Usage: scripts/make-sample-show.sh   (from anywhere; works on the repo root)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for tool in espeak-ng sox soxi lame ffmpeg ffprobe convert python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
python3 -c 'import mutagen' 2>/dev/null || { echo "missing python module: mutagen (pip install mutagen)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

SHOW_TITLE="MentalSpace Therapy"
SHOW_AUTHOR="Coping & Healing Counseling"
RATE=22050   # espeak-ng's native output rate
GAP=0.6      # seconds of silence after each spoken piece
# Each episode's encoder input, $WORK/epN-enc.wav, is already at the MP3's sample
# rate and channel count (sox resamples), so its sample count is the exact
# length a gapless decoder should give: it goes into the truth table.

# speak OUT.wav TEXT — one spoken piece followed by $GAP s of silence.
speak() {
  espeak-ng -v en-us -s 170 -p 45 -w "$WORK/raw.wav" "$2"
  sox -R -D "$WORK/raw.wav" -r "$RATE" -c 1 -b 16 "$1" pad 0 "$GAP"
}

# build_episode NAME — speaks $WORK/NAME.txt (lines "chapter title<TAB>text"),
# concatenates the pieces into $WORK/NAME.wav and writes $WORK/NAME.chapters
# (lines "start_ms<TAB>end_ms<TAB>title"). Start times come from the exact
# sample counts of the pieces, so they are where that section's speech begins.
build_episode() {
  local name="$1" i=0 start=0 samples title text
  local -a pieces=()
  : >"$WORK/$name.starts"
  while IFS=$'\t' read -r title text; do
    speak "$WORK/$name.$i.wav" "$text"
    samples="$(soxi -s "$WORK/$name.$i.wav")"
    printf '%s\t%s\n' "$start" "$title" >>"$WORK/$name.starts"
    pieces+=("$WORK/$name.$i.wav")
    start=$((start + samples))
    i=$((i + 1))
  done <"$WORK/$name.txt"
  sox -R -D "${pieces[@]}" "$WORK/$name.wav"
  # samples -> ms (floor); the last chapter ends at the end of the audio.
  awk -F'\t' -v rate="$RATE" -v total="$start" '
    { s[NR] = int($1 * 1000 / rate); t[NR] = $2 }
    END { for (i = 1; i <= NR; i++) {
            e = (i < NR) ? s[i + 1] : int(total * 1000 / rate)
            printf "%d\t%d\t%s\n", s[i], e, t[i] } }' \
    "$WORK/$name.starts" >"$WORK/$name.chapters"
}

# tag FILE TITLE TRACK [CHAPTERS_FILE] — ID3v2.3 tag (title, artist, album,
# track, genre) and, if given, CHAP frames plus one ordered top-level CTOC.
tag() {
  python3 - "$@" "$SHOW_AUTHOR" "$SHOW_TITLE" <<'PY'
import sys
from mutagen.id3 import ID3, TIT2, TPE1, TALB, TRCK, TCON, CHAP, CTOC, CTOCFlags

args = sys.argv[1:]
path, title, track = args[0], args[1], args[2]
chapters = args[3] if len(args) == 6 else None
artist, album = args[-2], args[-1]

tag = ID3()  # start empty: drops anything an encoder wrote
tag.add(TIT2(encoding=1, text=[title]))
tag.add(TPE1(encoding=1, text=[artist]))
tag.add(TALB(encoding=1, text=[album]))
tag.add(TRCK(encoding=1, text=[track]))
tag.add(TCON(encoding=1, text=["Podcast"]))
if chapters:
    ids = []
    with open(chapters, encoding="utf-8") as f:
        for n, line in enumerate(f):
            start, end, ctitle = line.rstrip("\n").split("\t")
            cid = f"chp{n}"
            ids.append(cid)
            tag.add(CHAP(element_id=cid, start_time=int(start), end_time=int(end),
                         start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
                         sub_frames=[TIT2(encoding=1, text=[ctitle])]))
    tag.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                 child_element_ids=ids, sub_frames=[TIT2(encoding=1, text=["Chapters"])]))
tag.save(path, v2_version=3, v1=0)
PY
}

# ---------------------------------------------------------------------------
# Episode 1: relationship-as-medicine — CBR 24 kbps mono 22.05 kHz (MPEG-2
# Layer III), ID3 chapters at the article's sections. Encoded through ffmpeg's
# libmp3lame because ffmpeg's muxer picks a bigger frame for the Xing "Info" +
# LAME tag when the CBR frames are too small to hold it (the lame CLI silently
# writes no tag then, see the trailer), so decoders can trim the encoder delay.
# ---------------------------------------------------------------------------
cat >"$WORK/ep1.txt" <<'EOF'
Introduction	Relationship as Medicine: What Therapy Does That Thinking Alone Can't. An episode of the MentalSpace Therapy podcast. If you have ever read every self-help book, journaled for years, or thought a problem through from every angle and still felt stuck, you are not broken. You are running into a real limit of solo work.
Quick answer	Quick answer. Relationship as medicine describes the healing that happens when a steady, attuned therapist is present with you in a feeling, not just talking about it. Self-help can teach you frameworks. A relationship can change how your nervous system learns to feel safe again.
Why thinking alone hits a ceiling	Why thinking alone hits a ceiling. Thinking is powerful. It is also limited by the part of the brain doing the thinking. That is why you can know you are safe and still feel terrified.
What a regulated nervous system in the room actually does	What a regulated nervous system in the room actually does. A core idea in modern trauma-informed care is that healing often happens in the presence of another nervous system that is steadier than yours in the moment.
Practical takeaways you can use this week	Practical takeaways you can use this week. Stop grading yourself for being stuck with self-help. Pay attention to fit, not just credentials. Give therapy a fair window.
When to seek professional help	When to seek professional help. You do not need a diagnosis or a crisis to start therapy. If you or someone you know is in immediate danger, call 911. The 988 Suicide and Crisis Lifeline is available 24/7. The Georgia Crisis and Access Line is 1 800 715 4225.
EOF
build_episode ep1
cp "$WORK/ep1.wav" "$WORK/ep1-enc.wav"  # already at the encoding rate
out=episodes/relationship-as-medicine/audio.mp3
ffmpeg -nostdin -v error -y -i "$WORK/ep1.wav" -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
  -ar 22050 -ac 1 -c:a libmp3lame -b:a 24k -write_xing 1 -id3v2_version 0 "$out"
tag "$out" "Relationship as Medicine: What Therapy Does That Thinking Alone Can't" "2" "$WORK/ep1.chapters"

# ---------------------------------------------------------------------------
# Episode 2: grounding-techniques-for-panic — VBR (lame -V 9, ~36 kbps average,
# frames from 8 to 64 kbps) with a Xing + LAME header, mono resampled to 16 kHz
# (MPEG-2) by sox beforehand, no chapters.
# ---------------------------------------------------------------------------
cat >"$WORK/ep2.txt" <<'EOF'
Introduction	Grounding Techniques for Panic Attacks. A panic attack can feel like your body has pulled a fire alarm with no fire in sight.
Quick answer	Quick answer. Grounding techniques for panic are short exercises that pull your attention out of the alarm in your body and back into the present moment, using your senses, your breath, or temperature. The most useful technique is the one you have practiced before you need it.
Three grounding techniques to practice	Three grounding techniques to practice. Each of these takes one to three minutes. Practice them on calm days first, so they are familiar when panic arrives.
How therapy helps when panic keeps returning	How therapy helps when panic keeps returning. Grounding handles the moment. Therapy works on the pattern.
When to seek professional help	If you or someone you know is in immediate danger, call 911. The 988 Suicide and Crisis Lifeline is available 24/7 by call or text.
EOF
build_episode ep2
sox -R -D "$WORK/ep2.wav" "$WORK/ep2-enc.wav" vol 0.9 rate 16000
out=episodes/grounding-techniques-for-panic/audio.mp3
lame --quiet --nohist -m m -V 9 --resample 16 "$WORK/ep2-enc.wav" "$out"
tag "$out" "Grounding Techniques for Panic Attacks" "3"

# ---------------------------------------------------------------------------
# Episode 3: first-therapy-session — CBR 32 kbps, 44.1 kHz stereo (MPEG-1),
# encoded by ffmpeg's libmp3lame (its own Xing/LAME header), no chapters.
# ---------------------------------------------------------------------------
cat >"$WORK/ep3.txt" <<'EOF'
Introduction	What to Expect in Your First Therapy Session. Booking a first therapy appointment takes courage.
Quick answer	Quick answer. Your first therapy session is mostly a conversation. You do not need to prepare a speech or share anything you are not ready to share.
Before your first session	Before your first session. Most practices send intake forms a day or two ahead.
During the first session	During the first session. The first session usually lasts 50 to 60 minutes. Your therapist will review confidentiality and its limits, then ask open questions about your life, your symptoms and your goals. You are also interviewing them.
After the session	After the session. It is common to feel tired, relieved, or a bit raw afterward. Real change rarely happens in one meeting. Most people need a few sessions before the relationship feels comfortable.
When to seek professional help	If you or someone you know is in immediate danger, call 911. Call or text 988 to reach the 988 Suicide and Crisis Lifeline.
EOF
build_episode ep3
sox -R -D "$WORK/ep3.wav" "$WORK/ep3-enc.wav" vol 0.9 rate 44100 channels 2
out=episodes/first-therapy-session/audio.mp3
ffmpeg -nostdin -v error -y -i "$WORK/ep3-enc.wav" -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
  -ar 44100 -ac 2 -c:a libmp3lame -b:a 32k -write_xing 1 -id3v2_version 0 "$out"
tag "$out" "What to Expect in Your First Therapy Session" "4"

# ---------------------------------------------------------------------------
# Trailer: welcome-to-mentalspace — CBR 32 kbps mono resampled to 32 kHz
# (MPEG-1 at 32 kHz) by the lame CLI. Its 144-byte frames cannot hold a Xing
# header, so this file has no Xing/LAME tag: the plain-CBR case, where decoders
# keep the encoder delay and padding. No chapters.
# ---------------------------------------------------------------------------
cat >"$WORK/ep4.txt" <<'EOF'
Welcome	Welcome to MentalSpace Therapy. MentalSpace Therapy is the podcast of Coping and Healing Counseling, a telehealth therapy practice serving all 159 Georgia counties.
What each episode does	Each episode takes one of our articles and talks it through: what the research says, what it looks like in a real therapy room, and what you can try this week. New episodes arrive every Wednesday.
When to seek professional help	This show is educational and is not a substitute for care. If you or someone you know is in immediate danger, call 911. The 988 Suicide and Crisis Lifeline is available 24/7. The Georgia Crisis and Access Line is 1 800 715 4225.
EOF
build_episode ep4
sox -R -D "$WORK/ep4.wav" "$WORK/ep4-enc.wav" vol 0.9 rate 32000  # vol: no clipping in the resampler
out=episodes/welcome-to-mentalspace/audio.mp3
lame --quiet --nohist -m m -b 32 --resample 32 "$WORK/ep4-enc.wav" "$out"
tag "$out" "Welcome to MentalSpace Therapy" "1"

# ---------------------------------------------------------------------------
# Cover: 1400x1400 RGB JPEG, show title on a calm teal gradient.
# ---------------------------------------------------------------------------
FONT_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
convert -size 1400x1400 gradient:'#1f4e5a'-'#8cc7b5' \
  -font "$FONT_BOLD" -fill white -gravity center \
  -pointsize 150 -annotate +0-170 'MentalSpace' \
  -pointsize 150 -annotate +0+10 'Therapy' \
  -font "$FONT" -pointsize 56 -annotate +0+230 'a podcast by' \
  -pointsize 60 -annotate +0+310 'Coping & Healing Counseling' \
  -strip -colorspace sRGB -type TrueColor -sampling-factor 4:2:0 -quality 85 \
  episodes/cover.jpg

# Per-episode artwork and the sample video (issue 12).
"$ROOT/scripts/make-sample-art-video.sh"

# ---------------------------------------------------------------------------
# Truth table: measured by ffprobe and a full ffmpeg decode, never by mspod.
# ---------------------------------------------------------------------------
TRUTH=tests/fixtures/sample-show-truth.tsv
{
  echo "# Measured by scripts/make-sample-show.sh (ffmpeg/ffprobe $(ffprobe -version | awk 'NR==1{print $3}'))."
  echo "# bytes: stat -c %s FILE. codec_name, sample_rate, channels, bit_rate: ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,sample_rate,channels,bit_rate FILE."
  echo "# ffprobe_duration: ffprobe -v error -show_entries format=duration FILE (header-based). decoded_samples: ffmpeg -v error -i FILE -f s16le -acodec pcm_s16le - | wc -c, divided by 2*channels; decoded_duration = decoded_samples / sample_rate."
  echo "# ffmpeg trims encoder delay/padding only when a LAME tag is present (lame_tag column), so decoded_duration is the gapless length for those files and includes delay+padding for the file without one."
  echo "# lame_tag: the first frame's Xing/Info header as read by this script (frames count, LAME encoder delay and padding in samples), or none."
  echo "# chapters: ffprobe -v error -show_chapters -of json FILE, as start_time-end_time (seconds)=title, sorted by start_time, joined by ' | '. The ID3 CHAP frames themselves are not in time order in the file (mutagen writes frames shortest first); the CTOC lists them in order. title: ffprobe format tag title (ID3 TIT2)."
  echo "# source_samples: soxi -s of the WAV given to the encoder (already at the MP3's rate and channel count): the exact gapless length."
  printf 'path\tsource_samples\tbytes\tcodec_name\tsample_rate\tchannels\tbit_rate\tffprobe_duration\tdecoded_samples\tdecoded_duration\tlame_tag\tchapters\ttitle\n'
  for pair in ep4:welcome-to-mentalspace ep1:relationship-as-medicine \
              ep2:grounding-techniques-for-panic ep3:first-therapy-session; do
    f="episodes/${pair#*:}/audio.mp3"
    python3 - "$f" "$(soxi -s "$WORK/${pair%%:*}-enc.wav")" <<'PY'
import json, os, struct, subprocess, sys
f = sys.argv[1]

def probe(*a):
    return json.loads(subprocess.run(["ffprobe", "-v", "error", "-of", "json", *a, f],
                                     check=True, capture_output=True).stdout)

def lame_tag(data):
    """Xing/Info header of the first MPEG frame after the ID3v2 tag, or 'none'."""
    off = 0
    if data[:3] == b"ID3":
        off = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    hdr = struct.unpack(">I", data[off:off + 4])[0]
    if hdr >> 21 != 0x7FF:
        return "none"
    mpeg1 = (hdr >> 19) & 3 == 3
    mono = (hdr >> 6) & 3 == 3
    side = (17 if mono else 32) if mpeg1 else (9 if mono else 17)
    p = off + 4 + side
    kind = data[p:p + 4]
    if kind not in (b"Xing", b"Info"):
        return "none"
    flags = struct.unpack(">I", data[p + 4:p + 8])[0]
    q = p + 8
    frames = None
    if flags & 1:
        frames = struct.unpack(">I", data[q:q + 4])[0]
        q += 4
    q += (4 if flags & 2 else 0) + (100 if flags & 4 else 0) + (4 if flags & 8 else 0)
    out = f"{kind.decode()} frames={frames}"
    if data[q:q + 4] in (b"LAME", b"Lavf", b"Lavc"):
        d = data[q + 21:q + 24]
        out += f" delay={(d[0] << 4) | (d[1] >> 4)} padding={((d[1] & 0xF) << 8) | d[2]}"
    return out

st = probe("-select_streams", "a:0", "-show_entries",
           "stream=codec_name,sample_rate,channels,bit_rate")["streams"][0]
fmt = probe("-show_entries", "format=duration:format_tags=title")["format"]
chaps = sorted(probe("-show_chapters")["chapters"], key=lambda c: float(c["start_time"]))
pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", f, "-f", "s16le", "-acodec", "pcm_s16le", "-"],
                     check=True, capture_output=True).stdout
ch, rate = int(st["channels"]), int(st["sample_rate"])
samples = len(pcm) // (2 * ch)
chap = " | ".join(f'{c["start_time"]}-{c["end_time"]}={c.get("tags", {}).get("title", "")}' for c in chaps)
with open(f, "rb") as fh:
    tag = lame_tag(fh.read(8192))
print("\t".join([f, sys.argv[2], str(os.stat(f).st_size), st["codec_name"], str(rate), str(ch),
                 st.get("bit_rate", ""), fmt["duration"], str(samples), f"{samples / rate:.6f}",
                 tag, chap, fmt.get("tags", {}).get("title", "")]))
PY
  done
} >"$TRUTH"

cat "$TRUTH"
