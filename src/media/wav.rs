//! WAV (RIFF/WAVE, and RF64's 64-bit sizes): `fmt ` gives the format, `data` the
//! length (bytes ÷ block size = samples), `LIST/INFO` the tags. Only chunk headers are
//! read, never the samples.

use super::source::{Source, io_message, le16, le32, le64};
use super::{MediaInfo, bitrate, empty_info, put_tag, seconds};

pub(super) fn probe(src: &mut Source) -> Result<MediaInfo, String> {
    let mut info = empty_info(src.len, "wav", "pcm", "audio/wav");
    let rf64 = src.read_at(0, 4).map_err(|e| io_message(&e))? == b"RF64";
    let mut pos = 12u64;
    let mut fmt = None;
    let mut data: Option<(u64, u64)> = None;
    let mut ds64_data = None;
    for _ in 0..10_000 {
        if pos + 8 > src.len {
            break;
        }
        let h = src.read_at(pos, 8).map_err(|e| io_message(&e))?;
        let id = [h[0], h[1], h[2], h[3]];
        let size = u64::from(le32(&h, 4));
        let body = pos + 8;
        match &id {
            b"fmt " => fmt = Some(src.read_exact_at(body, size.min(40), "WAV fmt chunk")?),
            b"ds64" if rf64 => {
                let b = src.read_at(body, 28).map_err(|e| io_message(&e))?;
                ds64_data = Some(le64(&b, 8));
            }
            b"data" => {
                let size = if rf64 && size == 0xffff_ffff {
                    ds64_data.unwrap_or(u64::MAX)
                } else {
                    size
                };
                data = Some((body, size));
                // The data chunk is usually last, and may be huge: do not step over it
                // unless tags could follow inside the file.
                if body.saturating_add(size) >= src.len {
                    break;
                }
            }
            b"LIST" => {
                let b = src
                    .read_at(body, size.min(1 << 20))
                    .map_err(|e| io_message(&e))?;
                if b.starts_with(b"INFO") {
                    read_info(&b[4..], &mut info);
                }
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        pos = body.saturating_add(size).saturating_add(size & 1);
    }
    let Some(fmt) = fmt else {
        return Err("WAV: no fmt chunk".into());
    };
    let Some((data_at, declared)) = data else {
        return Err("WAV: no data chunk".into());
    };
    let format = le16(&fmt, 0);
    let channels = le16(&fmt, 2);
    let rate = le32(&fmt, 4);
    let byte_rate = le32(&fmt, 8);
    let block = u64::from(le16(&fmt, 12));
    let sub = if format == 0xfffe {
        le16(&fmt, 24)
    } else {
        format
    };
    info.codec = match sub {
        1 => "pcm".into(),
        3 => "pcm_float".into(),
        6 => "alaw".into(),
        7 => "mulaw".into(),
        other => format!("wav-format-{other:#06x}"),
    };
    if rate == 0 || block == 0 {
        return Err("WAV: the fmt chunk has no sample rate or block size".into());
    }
    info.sample_rate = Some(rate);
    info.channels = Some(channels);
    let available = src.len.saturating_sub(data_at);
    let bytes = if declared > available {
        if declared != u64::MAX && declared != 0xffff_ffff {
            info.warnings.push(format!(
                "WAV: the data chunk claims {declared} bytes but only {available} are there (file truncated)"
            ));
        }
        available
    } else {
        declared
    };
    if matches!(sub, 1 | 3 | 6 | 7) {
        info.duration = seconds(bytes / block, rate);
        info.duration_method = "wav-data".into();
    } else {
        // Compressed audio in WAV: only the average byte rate is known.
        if byte_rate == 0 {
            return Err("WAV: compressed audio without a byte rate".into());
        }
        info.duration = bytes as f64 / f64::from(byte_rate);
        info.duration_method = "wav-byte-rate".into();
        info.warnings.push(
            "WAV holds compressed audio: the duration is an estimate from the byte rate".into(),
        );
    }
    if bytes == 0 {
        return Err("WAV: the data chunk is empty".into());
    }
    info.bitrate = bitrate(bytes, info.duration);
    Ok(info)
}

fn read_info(b: &[u8], info: &mut MediaInfo) {
    let mut p = 0usize;
    while p + 8 <= b.len() {
        let id = &b[p..p + 4];
        let size = le32(b, p + 4) as usize;
        let Some(v) = b.get(p + 8..(p + 8).saturating_add(size)) else {
            break;
        };
        let key = match id {
            b"INAM" => Some("title"),
            b"IART" => Some("artist"),
            b"IPRD" => Some("album"),
            b"ICRD" => Some("year"),
            b"ICMT" => Some("comment"),
            b"IGNR" => Some("genre"),
            b"ICOP" => Some("copyright"),
            b"ISFT" => Some("encoder"),
            _ => None,
        };
        if let Some(k) = key {
            let text = String::from_utf8_lossy(v);
            let text = if k == "year" {
                text.chars().take(4).collect::<String>()
            } else {
                text.into_owned()
            };
            put_tag(&mut info.tags, k, &text);
        }
        p += 8 + size + (size & 1);
    }
}
