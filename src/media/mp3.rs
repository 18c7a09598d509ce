//! MP3 (MPEG-1, 2 and 2.5 layer III): the first frame (behind tags and junk), its
//! Xing/Info (+LAME) or VBRI header, and a walk over the frame headers when there is
//! no header to trust. Nothing is decoded.
//!
//! Duration rules, matching a full ffmpeg decode:
//! - Xing/Info frame count × samples per frame, minus the LAME encoder delay and padding
//!   when a LAME tag is present (`xing+lame`; ffmpeg trims exactly these);
//! - VBRI frame count × samples per frame;
//! - otherwise every frame header is counted (`frame-walk`). A bitrate estimate is never
//!   used: on VBR files without a header it is off by minutes.
//!
//! A Xing header whose byte count disagrees with the file is cross-checked by a walk;
//! when the walk finds fewer frames (a truncated file) its count wins and a warning says so.

use super::id3tag::{self, Id3v2};
use super::source::{Source, be32, io_message, le32};
use super::{MediaInfo, bitrate, empty_info, finish_chapters, seconds};

/// How far past the expected start to look for the first frame (leading junk, padding).
const MAX_SCAN: u64 = 4 << 20;
/// How far a lost sync is searched for inside the audio before giving up.
const MAX_RESYNC: u64 = 1 << 20;
/// Sync word, version, layer and sample rate: the fields every frame of a stream shares.
const SAME_STREAM: u32 = 0xffe0_0000 | (3 << 19) | (3 << 17) | (3 << 10);

#[derive(Clone, Copy, Debug)]
pub(super) struct Header {
    raw: u32,
    /// 1 (MPEG-1), 2 (MPEG-2) or 25 (MPEG-2.5).
    version: u8,
    crc: bool,
    bitrate: u32,
    pub rate: u32,
    mono: bool,
    size: u64,
    spf: u32,
}

const BR_V1: [u32; 15] = [
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const BR_V2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/// Parses a layer III frame header; `None` for anything else (free format included).
pub(super) fn parse_header(b: &[u8]) -> Option<Header> {
    if b.len() < 4 {
        return None;
    }
    let raw = be32(b, 0);
    if raw >> 21 != 0x7ff {
        return None;
    }
    let version = match (raw >> 19) & 3 {
        0 => 25,
        2 => 2,
        3 => 1,
        _ => return None,
    };
    if (raw >> 17) & 3 != 1 {
        return None; // not layer III
    }
    let br_idx = ((raw >> 12) & 0xf) as usize;
    let sr_idx = (raw >> 10) & 3;
    if br_idx == 0 || br_idx == 15 || sr_idx == 3 || raw & 3 == 2 {
        return None;
    }
    let base = [44100, 48000, 32000][sr_idx as usize];
    let rate = match version {
        1 => base,
        2 => base / 2,
        _ => base / 4,
    };
    let kbps = if version == 1 {
        BR_V1[br_idx]
    } else {
        BR_V2[br_idx]
    };
    let bitrate = kbps * 1000;
    let padding = u64::from((raw >> 9) & 1);
    let (spf, coef) = if version == 1 { (1152, 144) } else { (576, 72) };
    let size = u64::from(coef * bitrate / rate) + padding;
    Some(Header {
        raw,
        version,
        crc: (raw >> 16) & 1 == 0,
        bitrate,
        rate,
        mono: (raw >> 6) & 3 == 3,
        size,
        spf,
    })
}

/// A window over the file for scanning and walking without a read per frame.
struct Window<'a> {
    src: &'a mut Source,
    start: u64,
    buf: Vec<u8>,
}

const WINDOW: u64 = 1 << 20;

impl<'a> Window<'a> {
    fn new(src: &'a mut Source) -> Self {
        Window {
            src,
            start: 0,
            buf: Vec::new(),
        }
    }

    /// Up to `n` bytes at `at` (fewer at the end of the file).
    fn get(&mut self, at: u64, n: u64) -> Result<&[u8], String> {
        let end = self.start + self.buf.len() as u64;
        if at < self.start || at + n > end {
            let want = WINDOW.max(n);
            self.buf = self.src.read_at(at, want).map_err(|e| io_message(&e))?;
            self.start = at;
        }
        let from = (at - self.start) as usize;
        let to = (from + n as usize).min(self.buf.len());
        Ok(self.buf.get(from..to).unwrap_or(&[]))
    }

    /// Is there a frame at `at` that is followed by another frame of the same stream
    /// (or by the end of the audio)? Two confirmations make a false sync in junk or
    /// cover art very unlikely.
    fn confirmed(
        &mut self,
        at: u64,
        end: u64,
        like: Option<u32>,
    ) -> Result<Option<Header>, String> {
        // A header must lie inside the audio (not in a trailing ID3v1/APE tag).
        if at.saturating_add(4) > end {
            return Ok(None);
        }
        let Some(h) = parse_header(self.get(at, 4)?) else {
            return Ok(None);
        };
        if like.is_some_and(|l| l & SAME_STREAM != h.raw & SAME_STREAM) {
            return Ok(None);
        }
        let mut pos = at + h.size;
        for _ in 0..2 {
            if pos >= end {
                return Ok(Some(h));
            }
            match parse_header(self.get(pos, 4)?) {
                Some(n) if n.raw & SAME_STREAM == h.raw & SAME_STREAM => pos += n.size,
                _ => return Ok(None),
            }
        }
        Ok(Some(h))
    }

    /// The first confirmed frame at or after `from`, searching at most `limit` bytes.
    fn find(
        &mut self,
        from: u64,
        end: u64,
        limit: u64,
        like: Option<u32>,
    ) -> Result<Option<(u64, Header)>, String> {
        let stop = end.min(from.saturating_add(limit));
        let mut at = from;
        while at + 4 <= stop {
            let chunk = self.get(at, WINDOW.min(stop - at))?.to_vec();
            if chunk.len() < 4 {
                break;
            }
            for i in 0..chunk.len() - 1 {
                if chunk[i] == 0xff && chunk[i + 1] & 0xe0 == 0xe0 {
                    let pos = at + i as u64;
                    if let Some(h) = self.confirmed(pos, end, like)? {
                        return Ok(Some((pos, h)));
                    }
                }
            }
            at += chunk.len() as u64 - 1;
        }
        Ok(None)
    }
}

/// What a walk over the frame headers found.
#[derive(Debug, Default)]
struct Walk {
    frames: u64,
    bytes: u64,
    /// The last frame runs past the end of the file.
    partial: bool,
    /// Bytes skipped inside the audio to regain sync.
    junk: u64,
    /// Bytes at the end that are not frames.
    trailing: u64,
    vbr: bool,
}

fn walk(src: &mut Source, from: u64, end: u64, first: &Header) -> Result<Walk, String> {
    let mut w = Window::new(src);
    let mut out = Walk::default();
    let mut pos = from;
    while pos + 4 <= end {
        let h =
            parse_header(w.get(pos, 4)?).filter(|h| h.raw & SAME_STREAM == first.raw & SAME_STREAM);
        match h {
            Some(h) => {
                out.frames += 1;
                out.vbr |= h.bitrate != first.bitrate;
                if pos + h.size > end {
                    out.partial = true;
                    out.bytes += end - pos;
                    pos = end;
                } else {
                    out.bytes += h.size;
                    pos += h.size;
                }
            }
            None => match w.find(pos + 1, end, MAX_RESYNC, Some(first.raw))? {
                Some((next, _)) => {
                    out.junk += next - pos;
                    pos = next;
                }
                None => {
                    out.trailing = end - pos;
                    pos = end;
                }
            },
        }
    }
    if pos < end {
        out.trailing += end - pos;
    }
    Ok(out)
}

/// The Xing/Info header (and LAME tag) or VBRI header inside the first frame.
#[derive(Debug, Default)]
struct VbrHeader {
    kind: &'static str,
    frames: Option<u64>,
    bytes: Option<u64>,
    /// LAME encoder delay and padding, in samples.
    lame: Option<(u64, u64)>,
}

fn vbr_header(frame: &[u8], h: &Header) -> Option<VbrHeader> {
    let side = match (h.version == 1, h.mono) {
        (true, true) => 17,
        (true, false) => 32,
        (false, true) => 9,
        (false, false) => 17,
    };
    // Some encoders put the tag after the CRC word, some ignore it: try both.
    let candidates = if h.crc {
        vec![4 + side, 6 + side]
    } else {
        vec![4 + side]
    };
    for off in candidates {
        let Some(magic) = frame.get(off..off + 4) else {
            continue;
        };
        if magic != b"Xing" && magic != b"Info" {
            continue;
        }
        let flags = be32(frame, off + 4);
        let mut p = off + 8;
        let mut v = VbrHeader {
            kind: "xing",
            ..Default::default()
        };
        if flags & 1 != 0 {
            v.frames = Some(u64::from(be32(frame, p)));
            p += 4;
        }
        if flags & 2 != 0 {
            v.bytes = Some(u64::from(be32(frame, p)));
            p += 4;
        }
        if flags & 4 != 0 {
            p += 100;
        }
        if flags & 8 != 0 {
            p += 4;
        }
        if let Some(enc) = frame.get(p..p + 24)
            && (enc.starts_with(b"LAME")
                || enc.starts_with(b"Lavf")
                || enc.starts_with(b"Lavc")
                || enc.starts_with(b"L3.99"))
        {
            let delay = (u64::from(enc[21]) << 4) | (u64::from(enc[22]) >> 4);
            let padding = (u64::from(enc[22] & 0xf) << 8) | u64::from(enc[23]);
            v.lame = Some((delay, padding));
        }
        return Some(v);
    }
    if frame.get(36..40) == Some(b"VBRI") {
        return Some(VbrHeader {
            kind: "vbri",
            frames: Some(u64::from(be32(frame, 50))),
            bytes: Some(u64::from(be32(frame, 46))),
            lame: None,
        });
    }
    None
}

/// Where the audio ends: before an ID3v1 tag and an APEv2 tag, if present.
fn audio_end(src: &mut Source, has_v1: bool) -> u64 {
    let mut end = src.len - if has_v1 { 128 } else { 0 };
    if end >= 32
        && let Ok(f) = src.read_at(end - 32, 32)
        && f.starts_with(b"APETAGEX")
    {
        let size = u64::from(le32(&f, 12));
        let with_header = if le32(&f, 20) & 0x8000_0000 != 0 {
            32
        } else {
            0
        };
        end = end.saturating_sub(size + with_header);
    }
    end
}

pub(super) fn probe(src: &mut Source, id3: Option<Id3v2>) -> Result<MediaInfo, String> {
    let mut info = empty_info(src.len, "mp3", "mp3", "audio/mpeg");
    let v1 = id3tag::v1_at_end(src);
    let end = audio_end(src, v1.is_some());
    let (expected, search_from) = match &id3 {
        Some(t) if t.declared_end <= end => (t.declared_end, t.declared_end),
        Some(t) => (t.frames_end, t.frames_end),
        None => (0, 0),
    };
    let mut win = Window::new(src);
    let found = match win.confirmed(expected, end, None)? {
        Some(h) => Some((expected, h)),
        None => {
            // A wrong ID3 size can also point past the start of the audio: look from the
            // end of the last real frame then.
            let from = id3
                .as_ref()
                .map_or(search_from, |t| t.frames_end.min(search_from));
            win.find(from, end, MAX_SCAN, None)?
        }
    };
    let Some((first_pos, first)) = found else {
        return Err(if id3.is_some() {
            "an ID3 tag but no MP3 audio after it".into()
        } else {
            "not a recognised audio file (no MP3 frames, and not MP4, Ogg, FLAC or WAV)".into()
        });
    };
    drop(win);
    if let Some(t) = &id3 {
        info.warnings.extend(t.warnings.iter().cloned());
        if first_pos < t.declared_end && t.declared_end <= end {
            info.warnings.push(format!(
                "ID3v2 tag size is wrong: it claims {} bytes but the audio starts at byte {first_pos}",
                t.declared_end
            ));
        }
    }
    if first_pos > expected && id3.as_ref().is_none_or(|t| t.declared_end <= end) {
        info.warnings.push(format!(
            "{} bytes of junk before the first MP3 frame",
            first_pos - expected
        ));
    }
    info.sample_rate = Some(first.rate);
    info.channels = Some(if first.mono { 1 } else { 2 });

    let frame = src
        .read_at(first_pos, first.size)
        .map_err(|e| io_message(&e))?;
    let vbr = vbr_header(&frame, &first);
    let spf = u64::from(first.spf);
    let (samples, method, payload) = match &vbr {
        Some(v) if v.frames.is_some_and(|f| f > 0) => {
            let frames = v.frames.unwrap_or(0);
            let trim = v.lame.map_or(0, |(d, p)| d + p);
            let method = match (v.kind, v.lame.is_some()) {
                ("xing", true) => "xing+lame",
                (k, _) => k,
            };
            let stated_end = v.bytes.map(|b| first_pos + b);
            // The header states the stream's byte count: if the file disagrees (truncated,
            // or audio appended), count the frames and trust what is really there.
            let off = stated_end.map_or(0, |s| s.abs_diff(end));
            if off > 2 * first.size.max(1) {
                let w = walk(src, first_pos + first.size, end, &first)?;
                let header_s = seconds((frames * spf).saturating_sub(trim), first.rate);
                let samples = if w.partial || w.frames < frames {
                    // ffmpeg trims the start (delay + decoder delay 529) but never reaches the padding.
                    (w.frames * spf).saturating_sub(v.lame.map_or(0, |(d, _)| d + 529))
                } else {
                    (w.frames * spf).saturating_sub(trim)
                };
                let walked_s = seconds(samples, first.rate);
                if w.frames.abs_diff(frames) > 1 || w.partial {
                    info.warnings.push(format!(
                        "the {} header says {header_s:.3} s but the frames hold {walked_s:.3} s{}; using the frames",
                        v.kind,
                        if w.partial || w.frames < frames { " (file truncated?)" } else { "" }
                    ));
                    walk_warnings(&w, &mut info);
                    (samples, "frame-walk", w.bytes)
                } else {
                    walk_warnings(&w, &mut info);
                    ((frames * spf).saturating_sub(trim), method, w.bytes)
                }
            } else {
                let payload = v.bytes.unwrap_or(end - first_pos).min(end - first_pos);
                ((frames * spf).saturating_sub(trim), method, payload)
            }
        }
        _ => {
            // No frame count: walk. An Info/Xing frame without a count holds no audio.
            let from = if vbr.is_some() {
                first_pos + first.size
            } else {
                first_pos
            };
            let w = walk(src, from, end, &first)?;
            walk_warnings(&w, &mut info);
            if w.vbr && vbr.is_none() {
                info.warnings.push(
                    "VBR MP3 without a Xing/VBRI header: players that estimate will show a wrong length (re-encode or re-mux with a Xing header)".into(),
                );
            }
            let trim = vbr.as_ref().and_then(|v| v.lame).map_or(0, |(d, p)| d + p);
            ((w.frames * spf).saturating_sub(trim), "frame-walk", w.bytes)
        }
    };
    info.duration = seconds(samples, first.rate);
    info.duration_method = method.into();
    info.bitrate = if vbr.is_none() && method == "frame-walk" && payload > 0 {
        bitrate(payload, info.duration)
    } else {
        bitrate(payload, info.duration).or(Some(first.bitrate))
    };
    if samples == 0 {
        return Err("MP3 stream holds no audio frames".into());
    }
    if let Some(t) = id3.as_ref().and_then(|t| t.tag.as_ref()) {
        id3tag::apply_v2(t, &mut info);
    }
    if let Some(b) = v1 {
        id3tag::apply_v1(&b, &mut info);
    }
    tlen_check(&mut info);
    let d = info.duration;
    finish_chapters(&mut info.chapters, d);
    Ok(info)
}

fn walk_warnings(w: &Walk, info: &mut MediaInfo) {
    if w.partial {
        info.warnings
            .push("the last MP3 frame is cut off: file truncated".into());
    }
    if w.junk > 0 {
        info.warnings.push(format!(
            "{} bytes of junk between MP3 frames were skipped",
            w.junk
        ));
    }
    if w.trailing > 0 {
        info.warnings.push(format!(
            "{} bytes after the last MP3 frame are not audio",
            w.trailing
        ));
    }
}

/// A TLEN frame that disagrees with the measured duration by more than a second is stale.
fn tlen_check(info: &mut MediaInfo) {
    if let Some(ms) = info
        .tags
        .get("tlen")
        .and_then(|v| v.trim().parse::<f64>().ok())
        && (ms / 1000.0 - info.duration).abs() > 1.0
    {
        info.warnings.push(format!(
            "the ID3 TLEN frame says {:.3} s but the audio is {:.3} s",
            ms / 1000.0,
            info.duration
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_headers_of_all_three_mpeg_versions() {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes, 1152 samples
        let h = parse_header(&[0xff, 0xfb, 0x90, 0x00]).expect("mpeg1");
        assert_eq!(
            (h.version, h.rate, h.bitrate, h.size, h.spf),
            (1, 44100, 128_000, 417, 1152)
        );
        // MPEG-2, 32 kbit/s, 22.05 kHz, padding: 72 * 32000 / 22050 + 1 = 105
        let h = parse_header(&[0xff, 0xf3, 0x42, 0x00]).expect("mpeg2");
        assert_eq!((h.version, h.rate, h.size, h.spf), (2, 22050, 105, 576));
        // MPEG-2.5, 8 kbit/s, 8 kHz
        let h = parse_header(&[0xff, 0xe3, 0x18, 0xc4]).expect("mpeg2.5");
        assert_eq!((h.version, h.rate, h.spf), (25, 8000, 576));
    }

    #[test]
    fn invalid_headers_are_rejected() {
        assert!(
            parse_header(&[0xff, 0xfb, 0x00, 0x00]).is_none(),
            "free format"
        );
        assert!(
            parse_header(&[0xff, 0xfb, 0xf0, 0x00]).is_none(),
            "bad bitrate"
        );
        assert!(
            parse_header(&[0xff, 0xfb, 0x9c, 0x00]).is_none(),
            "bad sample rate"
        );
        assert!(
            parse_header(&[0xff, 0xfd, 0x90, 0x00]).is_none(),
            "layer II"
        );
        assert!(
            parse_header(&[0xff, 0xeb, 0x90, 0x00]).is_none(),
            "reserved version"
        );
        assert!(parse_header(&[0xff, 0xfb]).is_none(), "short");
    }
}
