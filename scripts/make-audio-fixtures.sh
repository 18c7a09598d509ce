#!/usr/bin/env bash
# Builds the small audio fixtures in tests/fixtures/audio/ and measures their ground truth
# (TRUTH.tsv) with a full ffmpeg decode. Needs ffmpeg, ffprobe, lame, imagemagick (convert)
# and python3 with mutagen (pip install mutagen). Run from the repository root.
#
# The fixtures are short, mono and low-bitrate so the whole set stays far below 2 MB.
# The 2 GB sparse file, the >1 MiB ID3 tag and the disappearing file are made by the tests.
set -euo pipefail

OUT=tests/fixtures/audio
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*.mp3 "$OUT"/*.m4a "$OUT"/*.ogg "$OUT"/*.opus "$OUT"/*.flac "$OUT"/*.wav "$OUT"/*.png "$OUT"/TRUTH.tsv

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

# Sources: tone + pink noise (varied enough that VBR bitrates change), and a
# "quiet then loud" clip so a VBR file without a Xing header fools bitrate estimates.
ff -f lavfi -i "sine=frequency=330:duration=3:sample_rate=44100" \
   -f lavfi -i "anoisesrc=duration=3:color=pink:sample_rate=44100:amplitude=0.3:seed=7" \
   -filter_complex "amix=inputs=2:normalize=0" -ac 1 -c:a pcm_s16le "$TMP/src44.wav"
ff -f lavfi -i "anullsrc=r=44100:cl=mono" -t 2 -c:a pcm_s16le "$TMP/quiet.wav"
ff -i "$TMP/quiet.wav" -i "$TMP/src44.wav" -filter_complex "[0][1]concat=n=2:v=0:a=1" \
   -c:a pcm_s16le "$TMP/quiet-loud.wav"
convert -size 64x48 gradient:blue-white "$TMP/cover.png"
convert -size 40x30 xc:red "$TMP/chap.png"
cp "$TMP/cover.png" "$OUT/cover-64x48.png"

# --- MP3 -------------------------------------------------------------------------------
lame --quiet -b 64 -m m --resample 44.1 "$TMP/src44.wav" "$TMP/cbr.mp3"               # LAME Info header
lame --quiet -V 6 -m m "$TMP/quiet-loud.wav" "$TMP/vbr.mp3"             # Xing + LAME
lame --quiet -V 6 -m m -t "$TMP/quiet-loud.wav" "$OUT/mp3-vbr-noxing.mp3"  # no header at all
lame --quiet -b 32 -m m -t "$TMP/src44.wav" "$OUT/mp3-cbr-noinfo.mp3"
lame --quiet -b 24 -m m --resample 22.05 "$TMP/src44.wav" "$OUT/mp3-mpeg2-22k.mp3"
lame --quiet -b 8 -m m --resample 8 "$TMP/src44.wav" "$OUT/mp3-mpeg25-8k.mp3"
lame --quiet -b 64 -m m --resample 44.1 -p "$TMP/src44.wav" "$TMP/crc.mp3"               # CRC-protected frames

python3 - "$TMP" "$OUT" <<'PY'
import os, random, struct, sys
from mutagen.id3 import (ID3, TIT2, TPE1, TALB, TYER, TDRC, COMM, WXXX, TLEN, APIC,
                         CHAP, CTOC, CTOCFlags)
tmp, out = sys.argv[1], sys.argv[2]
rnd = random.Random(1234)
cover = open(os.path.join(tmp, "cover.png"), "rb").read()
chap_png = open(os.path.join(tmp, "chap.png"), "rb").read()
cbr = open(os.path.join(tmp, "cbr.mp3"), "rb").read()
vbr = open(os.path.join(tmp, "vbr.mp3"), "rb").read()

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def tagged(src, name, version, chapters, tlen):
    path = os.path.join(out, name)
    write(name, src)
    t = ID3()
    t.add(TIT2(encoding=3, text="Fixture title"))
    t.add(TPE1(encoding=3, text="Fixture artist"))
    t.add(TALB(encoding=3, text="Fixture album"))
    t.add((TYER if version == 3 else TDRC)(encoding=3, text="2024"))
    t.add(COMM(encoding=3, lang="eng", desc="", text="A comment"))
    t.add(WXXX(encoding=3, desc="", url="https://example.com/episode"))
    t.add(TLEN(encoding=3, text=tlen))
    t.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=cover))
    if chapters:
        ids = []
        for i, (s, e) in enumerate(chapters):
            cid = "chp%d" % i
            ids.append(cid)
            sub = [TIT2(encoding=3, text="Chapter %d" % (i + 1))]
            if i == 0:
                sub.append(WXXX(encoding=3, desc="", url="https://example.com/ch1"))
                sub.append(APIC(encoding=3, mime="image/png", type=0, desc="", data=chap_png))
            t.add(CHAP(element_id=cid, start_time=s, end_time=e, sub_frames=sub))
        t.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                   child_element_ids=ids, sub_frames=[TIT2(encoding=3, text="toc")]))
    t.save(path, v2_version=version, padding=lambda info: 64)

tagged(cbr, "mp3-cbr-id3v23.mp3", 3, None, "3000")
tagged(vbr, "mp3-vbr-xing-id3v24-chapters.mp3", 4, [(0, 2000), (2000, 3500), (3500, 5000)], "5000")

def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])

# ID3v2.2: three-letter frame ids and 3-byte sizes (mutagen cannot write it).
def v22_frame(fid, body):
    return fid + struct.pack(">I", len(body))[1:] + body
frames = (v22_frame(b"TT2", b"\x00Old title") + v22_frame(b"TP1", b"\x00Old artist")
          + v22_frame(b"TAL", b"\x00Old album") + v22_frame(b"TYE", b"\x001999")
          + v22_frame(b"COM", b"\x00eng\x00v2.2 comment")
          + v22_frame(b"PIC", b"\x00PNG\x03\x00" + cover))
write("mp3-id3v22.mp3", b"ID3\x02\x00\x00" + syncsafe(len(frames)) + frames + cbr)

# ID3v1 only: 128 bytes at the end.
def pad(s, n):
    return s.encode("latin-1")[:n].ljust(n, b"\x00")
v1 = b"TAG" + pad("V1 title", 30) + pad("V1 artist", 30) + pad("V1 album", 30) + b"2001" \
     + pad("v1 comment", 28) + b"\x00\x05" + b"\x0c"
write("mp3-id3v1.mp3", cbr + v1)

# Junk before the first frame (no tag), and junk between an ID3 tag and the first frame.
write("mp3-leading-junk.mp3", bytes(rnd.getrandbits(8) for _ in range(1500)) + cbr)
body = b"\x00Junk tag"
frame = b"TIT2" + struct.pack(">I", len(body)) + b"\x00\x00" + body
small = b"ID3\x03\x00\x00" + syncsafe(len(frame)) + frame
write("mp3-id3-then-junk.mp3", small + bytes(rnd.getrandbits(8) for _ in range(700)) + cbr)

# Corrupt ID3 sizes: far beyond the end of the file, and not syncsafe.
tag = open(os.path.join(out, "mp3-cbr-id3v23.mp3"), "rb").read()
write("bad-id3-size-huge.mp3", tag[:6] + b"\x7f\x7f\x7f\x7f" + tag[10:])

# Truncated in the middle of a frame: the LAME Info header still claims the full length.
write("bad-truncated-midframe.mp3", cbr[: len(cbr) * 55 // 100 + 37])

# A VBRI header (Fraunhofer style) in front of the header-less VBR stream.
noxing = open(os.path.join(out, "mp3-vbr-noxing.mp3"), "rb").read()
def frames_of(data):
    rates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    pos, n = 0, 0
    while pos + 4 <= len(data):
        h = struct.unpack(">I", data[pos:pos + 4])[0]
        if h >> 21 != 0x7FF:
            break
        br = rates[(h >> 12) & 0xF] * 1000
        size = 144 * br // 44100 + ((h >> 9) & 1)
        pos += size
        n += 1
    return n, pos
n, audio_bytes = frames_of(noxing)
hdr = bytes([0xFF, 0xFB, 0x50, 0xC4])  # MPEG-1 layer III, 64 kbit/s, 44.1 kHz, mono
frame = bytearray(208)
frame[0:4] = hdr
frame[36:36 + 26] = b"VBRI" + struct.pack(">HHHIIHHHH", 1, 1105, 75, audio_bytes + 208, n, 0, 1, 1, 0)
write("mp3-vbri.mp3", bytes(frame) + noxing)
PY
cp "$TMP/crc.mp3" "$OUT/mp3-cbr-crc.mp3"

printf 'This is a text file, not audio.\nIt only has an .mp3 name.\n' > "$OUT/bad-text.mp3"
head -c 4096 /dev/urandom > "$OUT/bad-random.mp3"
: > "$OUT/bad-zero.mp3"

# --- MP4 -------------------------------------------------------------------------------
cat > "$TMP/chapters.txt" <<'EOF'
;FFMETADATA1
title=M4A title
artist=M4A artist
album=M4A album
date=2023
comment=An m4a comment

[CHAPTER]
TIMEBASE=1/1000
START=0
END=1000
title=Intro

[CHAPTER]
TIMEBASE=1/1000
START=1000
END=3000
title=Main part
EOF
ff -i "$TMP/src44.wav" -i "$TMP/chapters.txt" -i "$TMP/cover.png" -map 0:a -map 2:v \
   -map_metadata 1 -map_chapters 1 -c:a aac -b:a 24k -ar 22050 -c:v copy \
   -disposition:v attached_pic "$OUT/m4a-aac-chapters-cover.m4a"
ff -i "$TMP/src44.wav" -c:a aac -b:a 24k -ar 22050 -movflags +faststart "$OUT/m4a-aac-faststart.m4a"
ff -i "$TMP/src44.wav" -t 1 -c:a alac -ar 8000 "$OUT/m4a-alac.m4a"
# moov at the end (ffmpeg's default): cutting the file loses it.
ff -i "$TMP/src44.wav" -c:a aac -b:a 24k -ar 22050 "$TMP/moov-end.m4a"
head -c $(( $(stat -c %s "$TMP/moov-end.m4a") / 2 )) "$TMP/moov-end.m4a" > "$OUT/bad-truncated-moov.m4a"

# --- Ogg, FLAC, WAV ----------------------------------------------------------------------
ff -i "$TMP/src44.wav" -c:a libvorbis -q:a 0 -ar 22050 -metadata title="Vorbis title" \
   -metadata artist="Vorbis artist" "$OUT/ogg-vorbis.ogg"
ff -i "$TMP/src44.wav" -c:a libopus -b:a 12k -metadata title="Opus title" \
   -metadata artist="Opus artist" "$OUT/opus.opus"
ff -i "$TMP/src44.wav" -i "$TMP/cover.png" -map 0:a -map 1:v -t 1 -ar 8000 -c:a flac \
   -c:v copy -disposition:v attached_pic -metadata title="FLAC title" "$OUT/flac.flac"
ff -i "$TMP/src44.wav" -t 1 -ar 8000 -c:a pcm_s16le -metadata title="WAV title" \
   -metadata artist="WAV artist" "$OUT/wav.wav"

# --- Truncated copies (first 60 %): the header still states the full length -------------
ff -i "$TMP/src44.wav" -c:a libopus -b:a 12k "$TMP/t.opus"
ff -i "$TMP/src44.wav" -t 1 -ar 8000 -c:a flac "$TMP/t.flac"
ff -i "$TMP/src44.wav" -t 1 -ar 8000 -c:a pcm_s16le "$TMP/t.wav"
for f in t.opus t.flac t.wav; do
  head -c $(( $(stat -c %s "$TMP/$f") * 6 / 10 )) "$TMP/$f" > "$OUT/bad-truncated-${f#t.}.${f#t.}"
done
head -c $(( $(stat -c %s "$OUT/m4a-aac-faststart.m4a") * 6 / 10 )) "$OUT/m4a-aac-faststart.m4a" \
  > "$OUT/bad-truncated-faststart.m4a"

# --- Ground truth ------------------------------------------------------------------------
# Decoded samples: full decode of the first audio stream to mono s16le, counted in bytes / 2.
# ffmpeg applies the LAME delay/padding, the MP4 edit list and the Opus pre-skip itself.
TRUTH="$OUT/TRUTH.tsv"
{
  echo "# ground truth measured by scripts/make-audio-fixtures.sh with $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
  echo "# samples: ffmpeg -v error -i FILE -map 0:a:0 -ac 1 -f s16le - | wc -c  (÷ 2); rate: ffprobe stream sample_rate"
  echo "# expect: ok = exact duration; warn = readable with a warning; fail = error"
  echo "# m4a AAC: ffmpeg 5.1 keeps the encoder's end padding that the MP4 edit list cuts, so its count is up to one frame (1024) above the edit-list length"
  echo "# mp3-leading-junk, mp3-id3-then-junk, bad-id3-size-huge: same frames as the clean CBR file, measured on that file (see the script)"
  printf 'file\texpect\tbytes\tsamples\trate\tseconds\n'
} > "$TRUTH"
for f in $(cd "$OUT" && ls | grep -E '\.(mp3|m4a|ogg|opus|flac|wav)$' | sort); do
  p="$OUT/$f"
  case "$f" in
    bad-id3-size-huge.mp3|bad-truncated-midframe.mp3|bad-truncated-opus.opus) expect=warn ;;
    bad-truncated-flac.flac|bad-truncated-wav.wav|bad-truncated-faststart.m4a) expect=warn ;;
    bad-*) expect=fail ;;
    *) expect=ok ;;
  esac
  bytes=$(stat -c %s "$p")
  if [ "$expect" = fail ]; then
    printf '%s\t%s\t%s\t-\t-\t-\n' "$f" "$expect" "$bytes" >> "$TRUTH"
    continue
  fi
  # These three hold cbr.mp3's frames byte for byte, so their truth is cbr.mp3's decode:
  # ffmpeg 5.1 cannot open the file with the broken tag size, and behind junk it misses the
  # LAME tag (it decodes the Info frame as audio and trims nothing: +1 frame +delay +padding).
  src="$p"
  case "$f" in bad-id3-size-huge.mp3|mp3-leading-junk.mp3|mp3-id3-then-junk.mp3) src="$TMP/cbr.mp3" ;; esac
  rate=$(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of default=nw=1:nk=1 "$src" | head -1 | tr -d ,)
  samples=$(( $(ffmpeg -nostdin -v error -i "$src" -map 0:a:0 -ac 1 -f s16le - | wc -c) / 2 ))
  secs=$(python3 -c "print('%.6f' % ($samples / $rate))")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$expect" "$bytes" "$samples" "$rate" "$secs" >> "$TRUTH"
done
du -ch "$OUT" | tail -1
column -t "$TRUTH"
