//! FLAC: the metadata blocks before the audio. STREAMINFO states the exact sample count;
//! VORBIS_COMMENT and PICTURE give tags and the cover. The audio frames are not read.

use super::source::{Source, be32, io_message};
use super::{MediaInfo, bitrate, empty_info, seconds, vorbis};

pub fn probe(src: &mut Source, start: u64) -> Result<MediaInfo, String> {
    let mut info = empty_info(src.len, "flac", "flac", "audio/flac");
    let mut pos = start + 4;
    let mut total = None;
    let mut rate = 0;
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
    info.bitrate = bitrate(src.len - pos, info.duration);
    Ok(info)
}
