//! Container detection from the first bytes, never from the file name, and the
//! documented container → MIME mapping:
//!
//! | content | `mime` | extensions that match |
//! |---|---|---|
//! | MP3 (MPEG audio layer III) | `audio/mpeg` | mp3 |
//! | MP4/M4A audio (AAC, ALAC) | `audio/x-m4a` (`video/mp4` if it has a video track) | m4a, m4b, mp4, aac |
//! | Ogg Vorbis (or FLAC in Ogg) | `audio/ogg` | ogg, oga |
//! | Ogg Opus | `audio/opus` | opus, ogg, oga |
//! | FLAC | `audio/flac` | flac |
//! | WAV (RIFF/WAVE) | `audio/wav` | wav, wave |

use super::source::Source;
use super::{MediaInfo, flac, id3tag, mp3, mp4, ogg, wav};
use std::path::Path;

pub(super) fn probe_source(src: &mut Source) -> Result<MediaInfo, String> {
    if src.len == 0 {
        return Err("empty file (0 bytes)".into());
    }
    let head = src
        .read_at(0, 64)
        .map_err(|e| super::source::io_message(&e))?;
    if head.starts_with(b"OggS") {
        return ogg::probe(src);
    }
    if head.starts_with(b"fLaC") {
        return flac::probe(src, 0);
    }
    if head.len() >= 12
        && (&head[0..4] == b"RIFF" || &head[0..4] == b"RF64")
        && &head[8..12] == b"WAVE"
    {
        return wav::probe(src);
    }
    if head.len() >= 8
        && matches!(
            &head[4..8],
            b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip"
        )
    {
        return mp4::probe(src);
    }
    if head.starts_with(b"ID3") {
        // Anything may follow an ID3v2 tag; FLAC files sometimes carry one.
        let tag = id3tag::read_v2(src)?;
        let after = src
            .read_at(tag.declared_end, 4)
            .map_err(|e| super::source::io_message(&e))?;
        if after.starts_with(b"fLaC") {
            let mut info = flac::probe(src, tag.declared_end)?;
            info.warnings
                .push("FLAC file starts with an ID3v2 tag (non-standard)".into());
            return Ok(info);
        }
        return mp3::probe(src, Some(tag));
    }
    mp3::probe(src, None).map_err(|e| {
        if head
            .iter()
            .take(64)
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        {
            "not an audio file (it starts with text)".to_string()
        } else {
            e
        }
    })
}

/// The extensions that fit a sniffed result.
fn expected_extensions(info: &MediaInfo) -> &'static [&'static str] {
    match (info.container.as_str(), info.codec.as_str()) {
        ("mp3", _) => &["mp3"],
        ("mp4", _) => &["m4a", "m4b", "mp4", "aac", "m4v"],
        ("ogg", "opus") => &["opus", "ogg", "oga"],
        ("ogg", _) => &["ogg", "oga"],
        ("flac", _) => &["flac"],
        ("wav", _) => &["wav", "wave"],
        _ => &[],
    }
}

/// A warning when the file name's extension does not fit what the content is.
pub(super) fn extension_warning(path: &Path, info: &MediaInfo) -> Option<String> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let expected = expected_extensions(info);
    if expected.is_empty() || expected.contains(&ext.as_str()) {
        return None;
    }
    Some(format!(
        "the content is {} ({}) but the name ends in .{ext}; the feed will say {}",
        info.container, info.codec, info.mime
    ))
}
