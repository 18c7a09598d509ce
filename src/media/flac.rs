//! FLAC: the metadata blocks before the audio. STREAMINFO states the exact sample count;
//! VORBIS_COMMENT and PICTURE give tags and the cover. Of the audio, only the last
//! 64 KiB are looked at: the last frame headers there tell whether the frames reach the
//! length STREAMINFO states (a truncated file's do not).

use super::source::{Source, be32, io_message};
use super::{MediaInfo, bitrate, empty_info, seconds, vorbis};

pub(super) fn probe(src: &mut Source, start: u64) -> Result<MediaInfo, String> {
    let mut info = empty_info(src.len, "flac", "flac", "audio/flac");
    let mut pos = start + 4;
    let mut total = None;
    let mut rate = 0;
    let mut block = 0u64;
    for _ in 0..1000 {
        let h = src.read_exact_at(pos, 4, "FLAC metadata block header")?;
        let last = h[0] & 0x80 != 0;
        let kind = h[0] & 0x7f;
        let len = u64::from(be32(&h, 0) & 0x00ff_ffff);
        pos += 4;
        match kind {
            0 => {
                let si = src.read_exact_at(pos, 34, "FLAC STREAMINFO")?;
                rate =
                    (u32::from(si[10]) << 12) | (u32::from(si[11]) << 4) | (u32::from(si[12]) >> 4);
                info.channels = Some(u16::from((si[12] >> 1) & 7) + 1);
                block = u64::from(be32(&si, 0) & 0xffff);
                total = Some((u64::from(si[13] & 0x0f) << 32) | u64::from(be32(&si, 14)));
            }
            4 => {
                let b = src.read_at(pos, len).map_err(|e| io_message(&e))?;
                vorbis::apply_comments(&b, &mut info);
            }
            6 if info.cover.is_none() => {
                let b = src.read_at(pos, len).map_err(|e| io_message(&e))?;
                info.cover = vorbis::picture_block(&b);
            }
            127 => return Err("FLAC: invalid metadata block type 127".into()),
            _ => {}
        }
        pos += len;
        if last {
            break;
        }
    }
    if pos > src.len {
        return Err("FLAC: the file ends inside its metadata (truncated)".into());
    }
    let Some(total) = total else {
        return Err("FLAC: no STREAMINFO block".into());
    };
    if rate == 0 {
        return Err("FLAC: STREAMINFO has no sample rate".into());
    }
    info.sample_rate = Some(rate);
    if total == 0 {
        return Err(
            "FLAC: STREAMINFO does not state the length (streamed FLAC is not supported)".into(),
        );
    }
    if pos >= src.len {
        return Err("FLAC: no audio frames after the metadata (truncated)".into());
    }
    info.duration = seconds(total, rate);
    info.duration_method = "flac-streaminfo".into();
    if let Some((last_start, last_end)) = last_frame(src, pos, block)?
        && last_end < total
    {
        // The last frame is cut off too, most likely: a decoder plays the frames before it.
        info.warnings.push(format!(
            "FLAC: STREAMINFO says {:.3} s but the file ends inside the frame at {:.3}–{:.3} s (truncated); using {:.3} s",
            info.duration,
            seconds(last_start, rate),
            seconds(last_end, rate),
            seconds(last_start, rate)
        ));
        info.duration = seconds(last_start, rate);
        info.duration_method = "flac-frames".into();
    }
    info.bitrate = bitrate(src.len - pos, info.duration);
    Ok(info)
}

/// A FLAC frame header at the start of `b`: (first sample, block size), if its CRC-8 holds.
fn frame_header(b: &[u8], fixed_block: u64) -> Option<(u64, u64)> {
    if b.len() < 6 || b[0] != 0xff || b[1] & 0xfe != 0xf8 || b[3] & 1 != 0 {
        return None;
    }
    let variable = b[1] & 1 == 1;
    let (bs_code, sr_code) = (b[2] >> 4, b[2] & 0xf);
    if bs_code == 0 || sr_code == 15 || b[3] >> 4 > 10 {
        return None;
    }
    // The frame or sample number, UTF-8 style (1–7 bytes).
    let lead = b[4];
    let extra = lead.leading_ones() as usize;
    let (mut num, n_bytes) = match extra {
        0 => (u64::from(lead), 1),
        2..=6 => (u64::from(lead & (0x7f >> extra)), extra),
        7 if lead == 0xfe => (0, 7),
        _ => return None,
    };
    let mut p = 5;
    for _ in 1..n_bytes {
        let c = *b.get(p)?;
        if c & 0xc0 != 0x80 {
            return None;
        }
        num = (num << 6) | u64::from(c & 0x3f);
        p += 1;
    }
    let block = match bs_code {
        1 => 192,
        2..=5 => 576 << (bs_code - 2),
        6 => {
            p += 1;
            u64::from(*b.get(p - 1)?) + 1
        }
        7 => {
            p += 2;
            u64::from(u16::from_be_bytes([*b.get(p - 2)?, *b.get(p - 1)?])) + 1
        }
        _ => 256 << (bs_code - 8),
    };
    p += match sr_code {
        12 => 1,
        13 | 14 => 2,
        _ => 0,
    };
    let crc = b.get(..p)?.iter().fold(0u8, |mut c, &x| {
        c ^= x;
        for _ in 0..8 {
            c = if c & 0x80 != 0 {
                (c << 1) ^ 0x07
            } else {
                c << 1
            };
        }
        c
    });
    if crc != *b.get(p)? {
        return None;
    }
    let first = if variable {
        num
    } else {
        num.checked_mul(fixed_block)?
    };
    Some((first, block))
}

/// (first sample, end sample) of the last frame in the final 64 KiB. A header only counts
/// if the header before it is its predecessor: CRC-8 alone lets random audio bytes pass.
fn last_frame(
    src: &mut Source,
    audio_at: u64,
    fixed_block: u64,
) -> Result<Option<(u64, u64)>, String> {
    let from = src.len.saturating_sub(64 << 10).max(audio_at);
    let tail = src.read_at(from, 64 << 10).map_err(|e| io_message(&e))?;
    let headers: Vec<(u64, u64)> = (0..tail.len())
        .filter(|&i| tail[i] == 0xff)
        .filter_map(|i| frame_header(&tail[i..], fixed_block))
        .collect();
    let found = headers
        .windows(2)
        .rev()
        .find(|w| w[0].0 + w[0].1 == w[1].0)
        .map(|w| (w[1].0, w[1].0 + w[1].1));
    Ok(found)
}
