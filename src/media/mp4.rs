//! MP4/M4A (AAC, ALAC): the top-level atoms are skipped by their sizes, only `moov` is
//! read. The duration comes from the audio track's edit list (the priming samples an AAC
//! encoder adds are trimmed, as ffmpeg and Apple do) or else its sample table; tags come
//! from `udta/meta/ilst`, chapters from the QuickTime chapter track (`tref/chap`) or
//! the Nero `chpl` atom.

use super::source::{MAX_STRUCT, Source, be16, be32, be64, io_message};
use super::{
    Cover, MediaChapter, MediaInfo, bitrate, empty_info, finish_chapters, put_tag, seconds,
};

/// Child atoms of a buffer: (type, body).
fn atoms(b: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    let mut p = 0usize;
    while p + 8 <= b.len() {
        let size = be32(b, p) as u64;
        let kind = [b[p + 4], b[p + 5], b[p + 6], b[p + 7]];
        let (hdr, size) = match size {
            0 => (8, (b.len() - p) as u64),
            1 => (16, be64(b, p + 8)),
            s => (8, s),
        };
        if size < hdr || (p as u64).saturating_add(size) > b.len() as u64 {
            // A damaged child: take what is there and stop.
            if p + hdr as usize <= b.len() {
                out.push((kind, &b[p + hdr as usize..]));
            }
            break;
        }
        out.push((kind, &b[p + hdr as usize..p + size as usize]));
        p += size as usize;
    }
    out
}

fn child<'a>(b: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    atoms(b)
        .into_iter()
        .find(|(k, _)| k == kind)
        .map(|(_, v)| v)
}

fn path<'a>(b: &'a [u8], kinds: &[&[u8; 4]]) -> Option<&'a [u8]> {
    kinds.iter().try_fold(b, |cur, k| child(cur, k))
}

#[derive(Default, Debug)]
struct Track {
    id: u32,
    handler: [u8; 4],
    codec: [u8; 4],
    timescale: u32,
    channels: u16,
    rate: u32,
    /// Σ sample count × delta from `stts`, in the track's timescale.
    stts_total: u64,
    stts: Vec<(u32, u32)>,
    /// Edit list: (segment duration in movie timescale, media time in track timescale).
    edits: Vec<(u64, i64)>,
    chapter_refs: Vec<u32>,
    /// Sample sizes: one for all (`uniform_size` ≠ 0) or a table.
    uniform_size: u32,
    sample_count: u64,
    sample_sizes: Vec<u32>,
    chunk_offsets: Vec<u64>,
    /// (first chunk, samples per chunk)
    stsc: Vec<(u32, u32)>,
    /// A video track's coded size, from its visual sample entry.
    width: u16,
    height: u16,
}

fn full_box_body(b: &[u8]) -> (u8, &[u8]) {
    (b.first().copied().unwrap_or(0), b.get(4..).unwrap_or(&[]))
}

fn parse_track(trak: &[u8]) -> Track {
    let mut t = Track::default();
    if let Some(tkhd) = child(trak, b"tkhd") {
        let (v, body) = full_box_body(tkhd);
        t.id = be32(body, if v == 1 { 16 } else { 8 });
    }
    if let Some(elst) = path(trak, &[b"edts", b"elst"]) {
        let (v, body) = full_box_body(elst);
        let n = be32(body, 0) as usize;
        let entry = if v == 1 { 20 } else { 12 };
        for i in 0..n.min(body.len() / entry) {
            let at = 4 + i * entry;
            if v == 1 {
                t.edits.push((be64(body, at), be64(body, at + 8) as i64));
            } else {
                t.edits.push((
                    u64::from(be32(body, at)),
                    i64::from(be32(body, at + 4) as i32),
                ));
            }
        }
    }
    if let Some(tref) = child(trak, b"tref")
        && let Some(chap) = child(tref, b"chap")
    {
        t.chapter_refs = chap.chunks_exact(4).map(|c| be32(c, 0)).collect();
    }
    let Some(mdia) = child(trak, b"mdia") else {
        return t;
    };
    if let Some(mdhd) = child(mdia, b"mdhd") {
        let (v, body) = full_box_body(mdhd);
        t.timescale = be32(body, if v == 1 { 16 } else { 8 });
    }
    if let Some(hdlr) = child(mdia, b"hdlr") {
        let (_, body) = full_box_body(hdlr);
        if let Some(h) = body.get(4..8) {
            t.handler.copy_from_slice(h);
        }
    }
    let Some(stbl) = path(mdia, &[b"minf", b"stbl"]) else {
        return t;
    };
    if let Some(stsd) = child(stbl, b"stsd") {
        let (_, body) = full_box_body(stsd);
        if let Some(entry) = atoms(body.get(4..).unwrap_or(&[])).first() {
            t.codec = entry.0;
            let e = entry.1;
            // VisualSampleEntry (ISO 14496-12 §12.1.3): 8 bytes of SampleEntry, 16 reserved,
            // then width and height.
            if t.handler == *b"vide" && e.len() >= 28 {
                t.width = be16(e, 24);
                t.height = be16(e, 26);
            }
            if t.handler == *b"soun" && e.len() >= 28 {
                t.channels = be16(e, 16);
                t.rate = be32(e, 24) >> 16;
                // The AAC decoder config (esds) has the real channel count and rate;
                // the sample entry's are often templates (2 channels).
                if entry.0 == *b"mp4a"
                    && let Some(esds) = child(e.get(28..).unwrap_or(&[]), b"esds")
                    && let Some((rate, ch)) = aac_config(esds.get(4..).unwrap_or(&[]))
                {
                    if ch > 0 {
                        t.channels = ch;
                    }
                    if rate > 0 {
                        t.rate = rate;
                    }
                }
                // ALAC keeps the exact rate in its own config atom.
                if entry.0 == *b"alac"
                    && let Some(cfg) = child(e.get(28..).unwrap_or(&[]), b"alac")
                {
                    let r = be32(cfg, 4 + 20);
                    if r > 0 {
                        t.rate = r;
                    }
                }
            }
        }
    }
    if let Some(stts) = child(stbl, b"stts") {
        let (_, body) = full_box_body(stts);
        let n = be32(body, 0) as usize;
        for i in 0..n.min(body.len().saturating_sub(4) / 8) {
            let (count, delta) = (be32(body, 4 + i * 8), be32(body, 8 + i * 8));
            t.stts_total = t
                .stts_total
                .saturating_add(u64::from(count) * u64::from(delta));
            t.stts.push((count, delta));
        }
    }
    // Sample positions: for a chapter text track, and for the audio of a truncated file.
    if matches!(&t.handler, b"text" | b"sbtl" | b"soun") {
        if let Some(stsz) = child(stbl, b"stsz") {
            let (_, body) = full_box_body(stsz);
            let (uniform, n) = (be32(body, 0), be32(body, 4) as usize);
            t.uniform_size = uniform;
            if uniform != 0 {
                t.sample_count = n as u64;
            } else {
                // The table is inside moov, so its size bounds the memory used.
                t.sample_sizes = (0..n.min(body.len().saturating_sub(8) / 4))
                    .map(|i| be32(body, 8 + i * 4))
                    .collect();
                t.sample_count = t.sample_sizes.len() as u64;
            }
        }
        if let Some(stsc) = child(stbl, b"stsc") {
            let (_, body) = full_box_body(stsc);
            let n = be32(body, 0) as usize;
            t.stsc = (0..n.min(body.len().saturating_sub(4) / 12))
                .map(|i| (be32(body, 4 + i * 12), be32(body, 8 + i * 12)))
                .collect();
        }
        if let Some(stco) = child(stbl, b"stco") {
            let (_, body) = full_box_body(stco);
            let n = be32(body, 0) as usize;
            t.chunk_offsets = (0..n.min(body.len().saturating_sub(4) / 4))
                .map(|i| u64::from(be32(body, 4 + i * 4)))
                .collect();
        } else if let Some(co64) = child(stbl, b"co64") {
            let (_, body) = full_box_body(co64);
            let n = be32(body, 0) as usize;
            t.chunk_offsets = (0..n.min(body.len().saturating_sub(4) / 8))
                .map(|i| be64(body, 4 + i * 8))
                .collect();
        }
    }
    t
}

/// (sample rate, channels) from an MPEG-4 ES descriptor's AudioSpecificConfig.
fn aac_config(b: &[u8]) -> Option<(u32, u16)> {
    // Descriptors: tag, then a length of 1–4 bytes with a continuation bit.
    fn desc(b: &[u8], at: usize) -> Option<(u8, usize, usize)> {
        let tag = *b.get(at)?;
        let mut len = 0usize;
        let mut p = at + 1;
        for _ in 0..4 {
            let c = *b.get(p)?;
            p += 1;
            len = (len << 7) | usize::from(c & 0x7f);
            if c & 0x80 == 0 {
                break;
            }
        }
        Some((tag, p, len))
    }
    let (tag, mut p, _) = desc(b, 0)?;
    if tag != 3 {
        return None;
    }
    let flags = *b.get(p + 2)?;
    p += 3;
    if flags & 0x80 != 0 {
        p += 2;
    }
    if flags & 0x40 != 0 {
        p += 1 + usize::from(*b.get(p)?);
    }
    if flags & 0x20 != 0 {
        p += 2;
    }
    let (tag, dp, _) = desc(b, p)?;
    if tag != 4 {
        return None;
    }
    let (tag, ap, len) = desc(b, dp + 13)?;
    if tag != 5 || len < 2 {
        return None;
    }
    let asc = b.get(ap..ap + len)?;
    let bits = u64::from_be_bytes({
        let mut a = [0u8; 8];
        for (i, x) in asc.iter().take(8).enumerate() {
            a[i] = *x;
        }
        a
    });
    let mut pos = 5;
    if bits >> 59 == 31 {
        pos += 6; // escaped object type
    }
    let idx = ((bits >> (60 - pos)) & 0xf) as usize;
    pos += 4;
    const RATES: [u32; 13] = [
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    ];
    let rate = if idx == 15 {
        let r = ((bits >> (40 - pos)) & 0xff_ffff) as u32;
        pos += 24;
        r
    } else {
        RATES.get(idx).copied().unwrap_or(0)
    };
    let ch = ((bits >> (60 - pos)) & 0xf) as u16;
    Some((rate, ch))
}

/// Calls `f(index, offset, size)` for the samples of a track in file order (chunk by
/// chunk, from stsc + stco + stsz) until it returns false or `limit` samples were seen.
fn for_each_sample(t: &Track, limit: u64, mut f: impl FnMut(u64, u64, u32) -> bool) {
    let mut sample = 0u64;
    let mut run = 0usize; // index into stsc, advanced as chunks pass its first_chunk
    for (ci, &off) in t.chunk_offsets.iter().enumerate() {
        let chunk_no = ci as u64 + 1;
        while run + 1 < t.stsc.len() && u64::from(t.stsc[run + 1].0) <= chunk_no {
            run += 1;
        }
        let per = t.stsc.get(run).map_or(1, |&(_, n)| n);
        let mut pos = off;
        for _ in 0..per {
            if sample >= t.sample_count || sample >= limit {
                return;
            }
            let size = if t.uniform_size != 0 {
                t.uniform_size
            } else {
                t.sample_sizes.get(sample as usize).copied().unwrap_or(0)
            };
            if !f(sample, pos, size) {
                return;
            }
            pos = pos.saturating_add(u64::from(size));
            sample += 1;
        }
    }
}

/// Byte offset of every sample of a (chapter) track.
fn sample_offsets(t: &Track) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_sample(t, 10_000, |_, off, _| {
        out.push(off);
        true
    });
    out
}

/// How many samples lie wholly inside the first `len` bytes of the file.
fn samples_present(t: &Track, len: u64) -> u64 {
    let mut n = 0;
    for_each_sample(t, 50_000_000, |_, off, size| {
        let inside = off.saturating_add(u64::from(size)) <= len;
        n += u64::from(inside);
        inside
    });
    n
}

/// Duration (in the track's timescale) of its first `n` samples, from stts.
fn time_of_samples(t: &Track, mut n: u64) -> u64 {
    let mut total = 0u64;
    for &(count, delta) in &t.stts {
        let take = n.min(u64::from(count));
        total = total.saturating_add(take * u64::from(delta));
        n -= take;
        if n == 0 {
            break;
        }
    }
    total
}

/// An MP4's video track, read from `moov` without decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoTrack {
    /// `avc1`, `hvc1`, … as the sample entry names it.
    pub codec: String,
    pub width: u32,
    pub height: u32,
    /// Seconds, from the track's sample table.
    pub duration: f64,
}

/// The first video track of an MP4 (cover-art tracks are not video).
pub fn probe_video(src: &mut Source) -> Result<VideoTrack, String> {
    let mut pos = 0u64;
    let mut moov = None;
    for _ in 0..10_000 {
        if pos + 8 > src.len {
            break;
        }
        let h = src.read_at(pos, 16).map_err(|e| io_message(&e))?;
        let (size, hdr) = match u64::from(be32(&h, 0)) {
            1 => (be64(&h, 8), 16),
            0 => (src.len - pos, 8),
            n => (n, 8),
        };
        if size < hdr || pos.saturating_add(size) > src.len {
            break;
        }
        if &h[4..8] == b"moov" {
            if size > MAX_STRUCT {
                return Err(format!(
                    "MP4: moov atom of {size} bytes is implausibly large"
                ));
            }
            moov = Some(
                src.read_at(pos + hdr, size - hdr)
                    .map_err(|e| io_message(&e))?,
            );
            break;
        }
        pos += size;
    }
    let Some(moov) = moov else {
        return Err("not an MP4 file, or no complete moov atom".into());
    };
    let track = atoms(&moov)
        .into_iter()
        .filter(|(k, _)| k == b"trak")
        .map(|(_, b)| parse_track(b))
        .find(|t| t.handler == *b"vide" && t.codec != *b"jpeg" && t.codec != *b"png ")
        .ok_or("MP4: no video track")?;
    if track.timescale == 0 || track.width == 0 || track.height == 0 {
        return Err("MP4: the video track has no timescale or size".into());
    }
    Ok(VideoTrack {
        codec: String::from_utf8_lossy(&track.codec).trim().to_string(),
        width: u32::from(track.width),
        height: u32::from(track.height),
        duration: seconds(track.stts_total, track.timescale),
    })
}

pub fn probe(src: &mut Source) -> Result<MediaInfo, String> {
    let mut info = empty_info(src.len, "mp4", "aac", "audio/x-m4a");
    // Walk the top-level atoms by their headers: mdat can be gigabytes and is never read.
    let mut pos = 0u64;
    let mut moov = None;
    let mut mdat_bytes = 0u64;
    let mut mdat_cut = false;
    let mut count = 0;
    while pos + 8 <= src.len {
        count += 1;
        if count > 10_000 {
            return Err("MP4: too many top-level atoms".into());
        }
        let h = src.read_at(pos, 16).map_err(|e| io_message(&e))?;
        let mut size = u64::from(be32(&h, 0));
        let kind = [h[4], h[5], h[6], h[7]];
        let mut hdr = 8;
        if size == 1 {
            size = be64(&h, 8);
            hdr = 16;
        } else if size == 0 {
            size = src.len - pos;
        }
        if size < hdr {
            if moov.is_some() {
                info.warnings
                    .push(format!("MP4: damaged atom at byte {pos} ignored"));
                break;
            }
            return Err(format!("MP4: damaged atom at byte {pos}"));
        }
        let truncated = pos.saturating_add(size) > src.len;
        match &kind {
            b"moov" => {
                if size > MAX_STRUCT {
                    return Err(format!(
                        "MP4: moov atom of {size} bytes is implausibly large"
                    ));
                }
                if truncated {
                    return Err("MP4: the moov atom is cut off (file truncated)".into());
                }
                moov = Some(
                    src.read_at(pos + hdr, size - hdr)
                        .map_err(|e| io_message(&e))?,
                );
            }
            b"mdat" => {
                mdat_bytes += size.min(src.len - pos).saturating_sub(hdr);
                if truncated {
                    mdat_cut = true;
                    info.warnings.push(format!(
                        "MP4: the mdat atom claims {size} bytes but only {} are there (file truncated)",
                        src.len - pos
                    ));
                }
            }
            _ => {}
        }
        if truncated {
            break;
        }
        pos += size;
    }
    let Some(moov) = moov else {
        return Err("MP4: no moov atom (file truncated, or still being written)".into());
    };
    let mvhd_scale = child(&moov, b"mvhd").map_or(0, |m| {
        let (v, body) = full_box_body(m);
        be32(body, if v == 1 { 16 } else { 8 })
    });
    let tracks: Vec<Track> = atoms(&moov)
        .into_iter()
        .filter(|(k, _)| k == b"trak")
        .map(|(_, b)| parse_track(b))
        .collect();
    let Some(audio) = tracks.iter().find(|t| t.handler == *b"soun") else {
        return Err("MP4: no audio track".into());
    };
    if tracks
        .iter()
        .any(|t| t.handler == *b"vide" && t.codec != *b"jpeg" && t.codec != *b"png ")
    {
        info.mime = "video/mp4".into();
    }
    info.codec = match &audio.codec {
        b"mp4a" => "aac".into(),
        b"alac" => "alac".into(),
        b"ac-3" => "ac3".into(),
        b"ec-3" => "eac3".into(),
        b"Opus" => "opus".into(),
        b"fLaC" => "flac".into(),
        other => String::from_utf8_lossy(other).trim().to_string(),
    };
    let ts = audio.timescale;
    if ts == 0 {
        return Err("MP4: the audio track has no timescale".into());
    }
    info.channels = (audio.channels > 0).then_some(audio.channels);
    info.sample_rate = Some(if audio.rate > 0 { audio.rate } else { ts });
    // The edit list: skip empty edits (media time −1); the first real edit says where
    // playback starts (the priming samples before it are not heard) and how long it lasts.
    let real: Vec<&(u64, i64)> = audio.edits.iter().filter(|(_, mt)| *mt >= 0).collect();
    let start = real.first().map_or(0, |(_, s)| *s as u64);
    let (mut samples, mut method) = match real.as_slice() {
        [(dur, start)] if mvhd_scale > 0 => {
            let avail = audio.stts_total.saturating_sub(*start as u64);
            let stated = (u128::from(*dur) * u128::from(ts) / u128::from(mvhd_scale)) as u64;
            // A zero segment duration means "to the end of the media".
            let n = if stated == 0 {
                avail
            } else {
                stated.min(avail)
            };
            (n, "mp4-edit-list")
        }
        _ => (audio.stts_total, "mp4-sample-table"),
    };
    if mdat_cut {
        // Only the samples really in the file will play.
        let present = time_of_samples(audio, samples_present(audio, src.len)).saturating_sub(start);
        if present < samples {
            info.warnings.push(format!(
                "MP4: the header says {:.3} s but only {:.3} s of audio are in the file",
                seconds(samples, ts),
                seconds(present, ts)
            ));
            samples = present;
            method = "mp4-sample-table";
        }
    }
    info.duration = seconds(samples, ts);
    info.duration_method = method.into();
    if samples == 0 {
        return Err("MP4: the audio track is empty".into());
    }
    info.bitrate = bitrate(mdat_bytes, info.duration);

    if let Some(udta) = child(&moov, b"udta") {
        if let Some(meta) = child(udta, b"meta") {
            // ISO meta is a full box; QuickTime's is not (its first child follows at once).
            let body = if meta.get(4..8) == Some(b"hdlr") {
                meta
            } else {
                meta.get(4..).unwrap_or(&[])
            };
            if let Some(ilst) = child(body, b"ilst") {
                read_ilst(ilst, &mut info);
            }
        }
        if let Some(chpl) = child(udta, b"chpl") {
            info.chapters = read_chpl(chpl);
        }
    }
    // The QuickTime chapter track wins over chpl: Apple's players read it.
    if let Some(chap) = tracks
        .iter()
        .find(|t| audio.chapter_refs.contains(&t.id) && t.id != 0)
    {
        let ch = read_chapter_track(src, chap);
        if !ch.is_empty() {
            info.chapters = ch;
        }
    }
    let d = info.duration;
    finish_chapters(&mut info.chapters, d);
    Ok(info)
}

fn read_ilst(ilst: &[u8], info: &mut MediaInfo) {
    for (kind, item) in atoms(ilst) {
        let Some(data) = child(item, b"data") else {
            continue;
        };
        let dtype = be32(data, 0) & 0x00ff_ffff;
        let payload = data.get(8..).unwrap_or(&[]);
        let key = match &kind {
            b"\xa9nam" => "title",
            b"\xa9ART" => "artist",
            b"\xa9alb" => "album",
            b"aART" => "album_artist",
            b"\xa9day" => "year",
            b"\xa9cmt" => "comment",
            b"desc" => "description",
            b"\xa9gen" => "genre",
            b"\xa9too" => "encoder",
            b"cprt" => "copyright",
            b"covr" => {
                if info.cover.is_none() {
                    let declared = match dtype {
                        13 => "image/jpeg",
                        14 => "image/png",
                        _ => "",
                    };
                    info.cover = Some(Cover::from_image(declared, payload));
                }
                continue;
            }
            _ => continue,
        };
        if dtype == 1 {
            let text = String::from_utf8_lossy(payload);
            let value = if key == "year" {
                text.chars().take(4).collect::<String>()
            } else {
                text.into_owned()
            };
            put_tag(&mut info.tags, key, &value);
        }
    }
}

/// Nero chapters: start times in 100 ns units and titles, no ends.
fn read_chpl(chpl: &[u8]) -> Vec<MediaChapter> {
    let (v, body) = full_box_body(chpl);
    let mut p = if v == 1 { 4 } else { 0 };
    let n = body.get(p).copied().unwrap_or(0);
    p += 1;
    let mut out = Vec::new();
    for _ in 0..n {
        let Some(start) = body.get(p..p + 8).map(|_| be64(body, p)) else {
            break;
        };
        let Some(&len) = body.get(p + 8) else { break };
        let Some(title) = body.get(p + 9..p + 9 + len as usize) else {
            break;
        };
        out.push(MediaChapter {
            start: start as f64 / 1e7,
            end: None,
            title: String::from_utf8_lossy(title).into_owned(),
            url: None,
            image: None,
        });
        p += 9 + len as usize;
    }
    out
}

/// QuickTime chapters: a text track whose samples are (u16 length, text) and whose
/// sample times are the chapter starts.
fn read_chapter_track(src: &mut Source, t: &Track) -> Vec<MediaChapter> {
    if t.timescale == 0 {
        return Vec::new();
    }
    let offsets = sample_offsets(t);
    let mut out = Vec::new();
    let mut time = 0u64;
    let mut durations = t
        .stts
        .iter()
        .flat_map(|&(n, d)| std::iter::repeat_n(d, n as usize));
    for (i, &off) in offsets.iter().enumerate().take(10_000) {
        let size = if t.uniform_size != 0 {
            t.uniform_size
        } else {
            t.sample_sizes.get(i).copied().unwrap_or(0)
        }
        .min(4096);
        let dur = u64::from(durations.next().unwrap_or(0));
        let Ok(b) = src.read_at(off, u64::from(size)) else {
            break;
        };
        let len = usize::from(be16(&b, 0));
        let raw = b.get(2..2 + len).unwrap_or(&[]);
        let title = if raw.starts_with(&[0xfe, 0xff]) {
            let units: Vec<u16> = raw[2..]
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(raw).into_owned()
        };
        out.push(MediaChapter {
            start: seconds(time, t.timescale),
            end: Some(seconds(time + dur, t.timescale)),
            title,
            url: None,
            image: None,
        });
        time += dur;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nero_chpl_gives_starts_and_titles() {
        // version 1, flags, reserved u32, count, then (u64 start in 100 ns, u8 len, title)
        let mut b = vec![1, 0, 0, 0, 0, 0, 0, 0, 2];
        b.extend_from_slice(&0u64.to_be_bytes());
        b.push(5);
        b.extend_from_slice(b"Intro");
        b.extend_from_slice(&15_000_000u64.to_be_bytes());
        b.push(4);
        b.extend_from_slice(b"Main");
        let ch = read_chpl(&b);
        let got: Vec<(f64, &str)> = ch.iter().map(|c| (c.start, c.title.as_str())).collect();
        assert_eq!(got, vec![(0.0, "Intro"), (1.5, "Main")]);
    }

    #[test]
    fn a_truncated_chpl_keeps_the_complete_entries() {
        let mut b = vec![1, 0, 0, 0, 0, 0, 0, 0, 3];
        b.extend_from_slice(&0u64.to_be_bytes());
        b.push(1);
        b.push(b'A');
        b.extend_from_slice(&[0, 0, 0]);
        assert_eq!(read_chpl(&b).len(), 1);
    }

    #[test]
    fn aac_config_reads_rate_and_channels() {
        // ES descriptor → decoder config (object type 0x40) → AudioSpecificConfig
        // AAC-LC (2), 22050 Hz (index 7), mono: 00010 0111 0001 000 = 0x13 0x88
        let asc = [0x13, 0x88];
        let mut dc = vec![0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        dc.extend_from_slice(&[0x05, asc.len() as u8]);
        dc.extend_from_slice(&asc);
        let mut es = vec![
            0x03,
            (3 + 2 + dc.len()) as u8,
            0,
            1,
            0,
            0x04,
            dc.len() as u8,
        ];
        es.extend_from_slice(&dc);
        assert_eq!(aac_config(&es), Some((22050, 1)));
    }
}
