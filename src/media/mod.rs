//! Stage 2: probe media.
//!
//! In: an audio file path. Out: [`MediaInfo`]: exact duration (with the method
//! that established it), byte size, sniffed MIME type, tags, chapters and
//! cover-art dimensions. Reads headers only; never decodes audio.
//!
//! Every container has its own small header parser (mp3, mp4, ogg, flac, wav);
//! they read only what they need: tags, the Xing/VBRI header, the MP4 `moov`, the
//! first and last Ogg pages. The one expensive path, an MP3 frame walk, runs only
//! when an MP3 has no Xing/VBRI frame count or when that count disagrees with the
//! file size. `duration_method` names the source of each duration:
//!
//! | method | meaning |
//! |---|---|
//! | `xing+lame` | Xing/Info frame count, LAME encoder delay and padding trimmed (gapless) |
//! | `xing` | Xing/Info frame count (no LAME tag: nothing to trim) |
//! | `vbri` | VBRI frame count |
//! | `frame-walk` | every MP3 frame header counted (no decoding) |
//! | `mp4-edit-list` | MP4 edit list (priming and padding trimmed) |
//! | `mp4-sample-table` | MP4 sample table (`stts`) of the audio track (for a truncated file: of the samples present) |
//! | `ogg-granule` | last Ogg granule position (minus the Opus pre-skip) |
//! | `flac-streaminfo` | FLAC STREAMINFO total samples |
//! | `flac-frames` | truncated FLAC: the start of the last (cut) frame, from its header |
//! | `wav-data` | WAV `data` chunk size ÷ block size |
//! | `wav-byte-rate` | compressed audio in WAV: data size ÷ average byte rate (an estimate, with a warning) |

pub mod cache;
mod flac;
mod id3tag;
mod mp3;
pub mod mp4;
mod ogg;
mod sniff;
mod source;
mod vorbis;
mod wav;

pub use cache::sha256_file;

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Everything mspod knows about one audio file.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MediaInfo {
    /// RSS `<enclosure length>`: the file's size in bytes.
    pub bytes: u64,
    /// RSS `<enclosure type>`, sniffed from the content (not the extension).
    pub mime: String,
    /// `mp3`, `mp4`, `ogg`, `flac`, `wav`, `adts`.
    pub container: String,
    /// `mp3`, `aac`, `alac`, `vorbis`, `opus`, `flac`, `pcm`.
    pub codec: String,
    pub sample_rate: Option<u32>,
    pub channels: Option<u16>,
    /// Average bitrate in bits per second.
    pub bitrate: Option<u32>,
    /// `<itunes:duration>` (rounded): decoded sample count ÷ sample rate, in seconds.
    pub duration: f64,
    /// How the duration was established: `xing+lame`, `xing`, `vbri`, `frame-walk`,
    /// `mp4-edit-list`, `mp4-sample-table`, `ogg-granule`, `flac-streaminfo`, `flac-frames`,
    /// `wav-data`, `wav-byte-rate`
    /// (see the module documentation).
    pub duration_method: String,
    /// Normalised tag names (`title`, `artist`, `album`, `year`, `comment`, `url`, …).
    pub tags: BTreeMap<String, String>,
    /// Embedded chapters (ID3 CHAP, MP4 chapters), in start order.
    pub chapters: Vec<MediaChapter>,
    /// Embedded cover art.
    pub cover: Option<Cover>,
    /// Non-fatal problems (a header that disagrees with the frames, extension vs content…).
    pub warnings: Vec<String>,
}

/// A chapter embedded in the audio file.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MediaChapter {
    /// Seconds from the start.
    pub start: f64,
    pub end: Option<f64>,
    pub title: String,
    pub url: Option<String>,
    /// The chapter's own picture (ID3 CHAP with an APIC sub-frame).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Cover>,
}

/// Embedded cover art, read from its header only.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Cover {
    pub mime: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl Cover {
    /// Describes an embedded picture from its bytes: the MIME type is sniffed from the
    /// image header when possible (tags often say `PNG`, `jpg` or nothing), and the size
    /// comes from the image header alone.
    pub(crate) fn from_image(declared_mime: &str, data: &[u8]) -> Cover {
        let sniffed = match imagesize::image_type(data) {
            Ok(imagesize::ImageType::Jpeg) => Some("image/jpeg"),
            Ok(imagesize::ImageType::Png) => Some("image/png"),
            Ok(imagesize::ImageType::Gif) => Some("image/gif"),
            Ok(imagesize::ImageType::Webp) => Some("image/webp"),
            _ => None,
        };
        let mime = match sniffed {
            Some(m) => m.to_string(),
            None => normalise_image_mime(declared_mime),
        };
        let (width, height) = match imagesize::blob_size(data) {
            Ok(size) => (
                u32::try_from(size.width).ok(),
                u32::try_from(size.height).ok(),
            ),
            Err(_) => (None, None),
        };
        Cover {
            mime,
            width,
            height,
        }
    }
}

fn normalise_image_mime(declared: &str) -> String {
    let lower = declared.trim().to_ascii_lowercase();
    match lower.as_str() {
        "png" => "image/png".into(),
        "jpg" | "jpeg" | "image/jpg" => "image/jpeg".into(),
        "" => "application/octet-stream".into(),
        _ => lower,
    }
}

/// Probes one file. The error is a message naming what is wrong with the file
/// (the caller adds the path).
pub fn probe(path: &Path) -> Result<MediaInfo, String> {
    let mut src = source::Source::open(path).map_err(|e| source::io_message(&e))?;
    let mut info = sniff::probe_source(&mut src)?;
    if let Some(w) = sniff::extension_warning(path, &info) {
        info.warnings.push(w);
    }
    Ok(info)
}

/// The warning that says the file is cut short (frames stop mid-stream, or the header
/// promises more than is there), if any: an interrupted copy publishes as a short
/// episode, so `publish` refuses it unless the episode allows it. Every container's
/// truncation warning says "file truncated" or "(truncated)".
pub fn truncation(info: &MediaInfo) -> Option<&str> {
    info.warnings
        .iter()
        .map(String::as_str)
        .find(|w| w.contains("file truncated") || w.contains("(truncated)"))
}

/// Probes audio held in memory; `name` is only used for the extension check.
/// (The fuzz target's entry point; files go through [`probe`].)
pub fn probe_bytes(data: &[u8], name: &str) -> Result<MediaInfo, String> {
    let mut src = source::Source::from_bytes(data.to_vec());
    let mut info = sniff::probe_source(&mut src)?;
    if let Some(w) = sniff::extension_warning(Path::new(name), &info) {
        info.warnings.push(w);
    }
    Ok(info)
}

/// A video file offered beside the audio: its video track, size and checksum.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoInfo {
    pub track: mp4::VideoTrack,
    pub bytes: u64,
    /// Average bitrate of the whole file, bits per second.
    pub bitrate: Option<u32>,
    /// Subresource Integrity value: `sha384-` and the base64 of the file's SHA-384.
    pub sri: String,
}

/// Reads an MP4 video's track header and hashes the file (for `podcast:integrity`).
pub fn probe_video(path: &Path) -> Result<VideoInfo, String> {
    use sha2::{Digest, Sha384};
    let mut src = source::Source::open(path).map_err(|e| source::io_message(&e))?;
    let track = mp4::probe_video(&mut src)?;
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| source::io_message(&e))?;
    let mut h = Sha384::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| source::io_message(&e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok(VideoInfo {
        bitrate: bitrate(bytes, track.duration),
        track,
        bytes,
        sri: format!("sha384-{}", base64(&h.finalize())),
    })
}

/// Standard base64 with padding (RFC 4648 §4), as SRI values use.
pub fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Seconds from a sample count, for durations stated in samples.
pub(crate) fn seconds(samples: u64, rate: u32) -> f64 {
    if rate == 0 {
        0.0
    } else {
        samples as f64 / f64::from(rate)
    }
}

/// Average bitrate from payload bytes and seconds.
pub(crate) fn bitrate(bytes: u64, seconds: f64) -> Option<u32> {
    if seconds > 0.0 {
        let b = (bytes as f64 * 8.0 / seconds).round();
        if b.is_finite() && b >= 0.0 && b <= f64::from(u32::MAX) {
            return Some(b as u32);
        }
    }
    None
}

/// Adds a tag if it has a non-blank value and is not already set (the first source wins).
pub(crate) fn put_tag(tags: &mut BTreeMap<String, String>, key: &str, value: &str) {
    let v = value.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    if !v.is_empty() {
        tags.entry(key.to_string()).or_insert_with(|| v.to_string());
    }
}

/// A fresh result with nothing known yet.
pub(crate) fn empty_info(bytes: u64, container: &str, codec: &str, mime: &str) -> MediaInfo {
    MediaInfo {
        bytes,
        mime: mime.into(),
        container: container.into(),
        codec: codec.into(),
        sample_rate: None,
        channels: None,
        bitrate: None,
        duration: 0.0,
        duration_method: String::new(),
        tags: BTreeMap::new(),
        chapters: Vec::new(),
        cover: None,
        warnings: Vec::new(),
    }
}

/// Orders chapters by start and fills a missing end with the next start (or the duration).
pub(crate) fn finish_chapters(chapters: &mut [MediaChapter], duration: f64) {
    chapters.sort_by(|a, b| a.start.total_cmp(&b.start));
    let starts: Vec<f64> = chapters.iter().map(|c| c.start).collect();
    for (i, c) in chapters.iter_mut().enumerate() {
        if c.end.is_none() {
            let next = starts.get(i + 1).copied().unwrap_or(duration);
            if next > c.start {
                c.end = Some(next);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (raw, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), want);
        }
    }
}
