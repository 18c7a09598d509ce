//! Vorbis comments (Ogg Vorbis, Opus, FLAC) and the FLAC PICTURE block they share,
//! including a cover carried as base64 in `METADATA_BLOCK_PICTURE`.

use super::source::{be32, le32};
use super::{Cover, MediaInfo, put_tag};

/// Parses a comment block (`vendor, n, n × "KEY=value"`, little-endian lengths).
pub(super) fn apply_comments(b: &[u8], info: &mut MediaInfo) {
    let vendor = le32(b, 0) as usize;
    // Lengths come from the file: after this check every step stays inside the buffer.
    let Some(mut p) = 4usize.checked_add(vendor).filter(|&p| p + 4 <= b.len()) else {
        return;
    };
    let n = le32(b, p);
    p += 4;
    for _ in 0..n.min(10_000) {
        let len = le32(b, p) as usize;
        let Some(entry) = b.get(p + 4..(p + 4).saturating_add(len)) else {
            break;
        };
        p += 4 + len;
        let text = String::from_utf8_lossy(entry);
        let Some((key, value)) = text.split_once('=') else {
            continue;
        };
        let key = key.to_ascii_uppercase();
        let name = match key.as_str() {
            "TITLE" => "title",
            "ARTIST" => "artist",
            "ALBUM" => "album",
            "ALBUMARTIST" | "ALBUM ARTIST" => "album_artist",
            "DATE" | "YEAR" => "year",
            "COMMENT" | "DESCRIPTION" => "comment",
            "GENRE" => "genre",
            "COPYRIGHT" => "copyright",
            "PUBLISHER" | "ORGANIZATION" => "publisher",
            "CONTACT" | "URL" | "WEBSITE" => "url",
            "ENCODER" => "encoder",
            "METADATA_BLOCK_PICTURE" => {
                if info.cover.is_none()
                    && let Some(block) = base64_decode(value)
                {
                    info.cover = picture_block(&block);
                }
                continue;
            }
            _ => continue,
        };
        let value = if name == "year" {
            value.chars().take(4).collect::<String>()
        } else {
            value.to_string()
        };
        put_tag(&mut info.tags, name, &value);
    }
}

/// A FLAC PICTURE block: type, MIME, description, width, height, depth, colours, data.
pub(super) fn picture_block(b: &[u8]) -> Option<Cover> {
    let mime_len = be32(b, 4) as usize;
    let mime = b.get(8..8 + mime_len)?;
    let mut p = 8 + mime_len;
    let desc_len = be32(b, p) as usize;
    p = p.checked_add(4 + desc_len)?;
    let (w, h) = (be32(b, p), be32(b, p + 4));
    let data_len = be32(b, p + 16) as usize;
    let data = b
        .get(p + 20..(p + 20).saturating_add(data_len))
        .unwrap_or(b.get(p + 20..).unwrap_or(&[]));
    let mut cover = Cover::from_image(&String::from_utf8_lossy(mime), data);
    // The block states the size; use it when the image header could not be read.
    if cover.width.is_none() && w > 0 {
        cover.width = Some(w);
        cover.height = Some(h);
    }
    Some(cover)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        acc = ((acc << 6) | u32::from(v)) & 0x00ff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_rejects_garbage() {
        assert_eq!(
            base64_decode("aGVsbG8gd29ybGQ=").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert!(base64_decode("not*base64").is_none());
    }

    #[test]
    fn comments_map_to_normalised_tags() {
        let mut b = Vec::new();
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(b"enc");
        let entries = ["TITLE=T", "artist=A", "DATE=2020-05-01", "X=ignored"];
        b.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for e in entries {
            b.extend_from_slice(&(e.len() as u32).to_le_bytes());
            b.extend_from_slice(e.as_bytes());
        }
        let mut info = crate::media::empty_info(0, "ogg", "vorbis", "audio/ogg");
        apply_comments(&b, &mut info);
        let tags: Vec<(&str, &str)> = info
            .tags
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            tags,
            vec![("artist", "A"), ("title", "T"), ("year", "2020")]
        );
    }
}
