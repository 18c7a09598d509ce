//! Ogg (Vorbis, Opus, FLAC): the first two packets of the first logical stream give the
//! codec, rate, channels and comments; the last page's granule position gives the length
//! (for Opus minus the pre-skip, which a decoder drops). Only the first pages and the
//! last 64 KiB (up to 1 MiB) are read.

use super::source::{Source, be16, io_message, le16, le32, le64};
use super::{MediaInfo, bitrate, empty_info, seconds, vorbis};

const MAX_PACKET: usize = 16 << 20;

struct Page {
    flags: u8,
    granule: u64,
    serial: u32,
    /// Header length (27 + segment count).
    header: usize,
    segments: Vec<u8>,
}

impl Page {
    fn parse(b: &[u8]) -> Option<Page> {
        if b.len() < 27 || &b[0..4] != b"OggS" || b[4] != 0 {
            return None;
        }
        let n = b[26] as usize;
        let segments = b.get(27..27 + n)?.to_vec();
        Some(Page {
            flags: b[5],
            granule: le64(b, 6),
            serial: le32(b, 14),
            header: 27 + n,
            segments,
        })
    }

    fn body_len(&self) -> usize {
        self.segments.iter().map(|&s| s as usize).sum()
    }
}

/// The first two packets of the stream that starts the file.
fn first_packets(src: &mut Source) -> Result<(u32, Vec<Vec<u8>>), String> {
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let mut current = Vec::new();
    let mut pos = 0u64;
    let mut serial = None;
    let mut pages = 0;
    while packets.len() < 2 && pos < src.len && pages < 10_000 {
        pages += 1;
        let head = src.read_at(pos, 27 + 255).map_err(|e| io_message(&e))?;
        let Some(page) = Page::parse(&head) else {
            return Err(format!(
                "Ogg: no page at byte {pos} (damaged or truncated file)"
            ));
        };
        let body_at = pos + page.header as u64;
        let body = src
            .read_at(body_at, page.body_len() as u64)
            .map_err(|e| io_message(&e))?;
        if body.len() < page.body_len() {
            return Err("Ogg: the file ends inside its header pages (truncated)".into());
        }
        pos = body_at + body.len() as u64;
        let s = *serial.get_or_insert(page.serial);
        if page.serial != s {
            continue; // another multiplexed stream
        }
        let mut at = 0usize;
        for &seg in &page.segments {
            let seg = seg as usize;
            if current.len() < MAX_PACKET {
                current.extend_from_slice(&body[at..at + seg]);
            }
            at += seg;
            if seg < 255 {
                packets.push(std::mem::take(&mut current));
                if packets.len() == 2 {
                    break;
                }
            }
        }
    }
    match serial {
        Some(s) if !packets.is_empty() => Ok((s, packets)),
        _ => Err("Ogg: no complete header packet".into()),
    }
}

/// The granule position of the last complete page of `serial`, and whether it is marked
/// end-of-stream and whether anything follows it.
fn last_granule(src: &mut Source, serial: u32) -> Result<Option<(u64, bool, bool)>, String> {
    let mut span = 64u64 << 10;
    loop {
        let from = src.len.saturating_sub(span);
        let tail = src.read_at(from, span).map_err(|e| io_message(&e))?;
        let mut i = tail.len().saturating_sub(27);
        loop {
            if tail[i..].starts_with(b"OggS")
                && let Some(page) = Page::parse(&tail[i..])
            {
                let end = i + page.header + page.body_len();
                if page.serial == serial && end <= tail.len() && page.granule != u64::MAX {
                    return Ok(Some((page.granule, page.flags & 4 != 0, end < tail.len())));
                }
            }
            if i == 0 {
                break;
            }
            i -= 1;
        }
        if from == 0 || span >= 1 << 20 {
            return Ok(None);
        }
        span *= 4;
    }
}

pub(super) fn probe(src: &mut Source) -> Result<MediaInfo, String> {
    let (serial, packets) = first_packets(src)?;
    let id = &packets[0];
    let comments = packets.get(1).map(Vec::as_slice).unwrap_or(&[]);
    let mut info;
    let rate;
    let mut preskip = 0u64;
    if id.starts_with(b"\x01vorbis") {
        info = empty_info(src.len, "ogg", "vorbis", "audio/ogg");
        info.channels = id.get(11).map(|&c| u16::from(c));
        rate = le32(id, 12);
        if comments.starts_with(b"\x03vorbis") {
            vorbis::apply_comments(&comments[7..], &mut info);
        }
    } else if id.starts_with(b"OpusHead") {
        info = empty_info(src.len, "ogg", "opus", "audio/opus");
        info.channels = id.get(9).map(|&c| u16::from(c));
        preskip = u64::from(le16(id, 10));
        // Opus always decodes at 48 kHz; the header's rate is only the input's.
        rate = 48_000;
        if comments.starts_with(b"OpusTags") {
            vorbis::apply_comments(&comments[8..], &mut info);
        }
    } else if id.starts_with(b"\x7fFLAC") && id.get(9..13) == Some(b"fLaC") {
        info = empty_info(src.len, "ogg", "flac", "audio/ogg");
        let si = id.get(17..).unwrap_or(&[]);
        rate = (u32::from(be16(si, 10)) << 4) | u32::from(si.get(12).copied().unwrap_or(0) >> 4);
        info.channels = si.get(12).map(|&c| u16::from((c >> 1) & 7) + 1);
        if comments.len() > 4 && comments[0] & 0x7f == 4 {
            vorbis::apply_comments(&comments[4..], &mut info);
        }
    } else {
        return Err("Ogg: unsupported codec (only Vorbis, Opus and FLAC are read)".into());
    }
    if rate == 0 {
        return Err("Ogg: the stream header has no sample rate".into());
    }
    info.sample_rate = Some(rate);
    let Some((granule, eos, trailing)) = last_granule(src, serial)? else {
        return Err("Ogg: no complete audio page (file truncated?)".into());
    };
    if !eos {
        info.warnings
            .push("Ogg: the last page is not marked end-of-stream (file truncated?)".into());
    } else if trailing {
        info.warnings.push(
            "Ogg: bytes after the end-of-stream page (truncated page or another stream)".into(),
        );
    }
    let samples = granule.saturating_sub(preskip);
    info.duration = seconds(samples, rate);
    info.duration_method = "ogg-granule".into();
    if samples == 0 {
        return Err("Ogg: the stream holds no audio".into());
    }
    info.bitrate = bitrate(src.len, info.duration);
    Ok(info)
}
