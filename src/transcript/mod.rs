//! Transcripts: WebVTT, SRT or Podcasting 2.0 JSON in → one typed [`Transcript`];
//! checks against the audio; the three formats out ([`write`]); chapters derived
//! from the transcript and the article ([`align`]).
//!
//! Found as `episodes/<slug>/transcript.{vtt,srt,json}` or named by the manifest's
//! `transcript` key. Every problem in a file is reported together, each naming
//! file:line. This module does no I/O except [`read`].

pub mod align;
mod parse;
pub mod write;

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The file names looked for in an episode folder, in order of preference.
pub const FILE_NAMES: [&str; 3] = ["transcript.vtt", "transcript.srt", "transcript.json"];

/// A transcript that ends more than this many seconds after the audio belongs to another cut.
pub const DURATION_TOLERANCE: f64 = 5.0;

/// At most this many problems are listed per file (the rest are counted).
const MAX_ERRORS: usize = 20;

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Vtt,
    Srt,
    Json,
}

impl Format {
    /// By file extension (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "vtt" => Format::Vtt,
            "srt" => Format::Srt,
            "json" => Format::Json,
            _ => return None,
        })
    }
}

/// One timed piece of speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// Seconds from the start of the audio.
    pub start: f64,
    pub end: f64,
    /// Who speaks (VTT `<v Name>`, SRT `Name: `, JSON `speaker`).
    pub speaker: Option<String>,
    /// Plain text: markup removed, entities decoded, lines joined by spaces.
    pub text: String,
    /// Where the cue starts in its file (1-based), for messages.
    pub line: usize,
}

/// A checked transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    /// The file it was read from.
    pub file: PathBuf,
    pub format: Format,
    pub cues: Vec<Cue>,
}

impl Transcript {
    /// The distinct speakers, in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in self.cues.iter().filter_map(|c| c.speaker.as_deref()) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// Reads, parses and checks a transcript against the audio's duration (seconds).
pub fn read(path: &Path, audio_duration: f64) -> Result<Transcript> {
    let bytes = crate::fs::read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::content(path, "the transcript is not UTF-8 text"))?;
    let format = Format::from_path(path).ok_or_else(|| {
        Error::content(
            path,
            "unknown transcript format: name it .vtt (WebVTT), .srt (SubRip) or .json (Podcasting 2.0)",
        )
    })?;
    from_str(&text, format, path, audio_duration)
}

/// Parses and checks transcript text; `file` only names the source in messages.
pub fn from_str(
    text: &str,
    format: Format,
    file: &Path,
    audio_duration: f64,
) -> Result<Transcript> {
    // Any line ending and an optional BOM are accepted by every format.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let (cues, mut problems) = match format {
        Format::Vtt => parse::vtt(&text),
        Format::Srt => parse::srt(&text),
        Format::Json => parse::json(&text),
    };
    problems.extend(check(&cues, audio_duration));
    if cues.is_empty() && problems.is_empty() {
        problems.push((1, "the transcript has no cues".into()));
    }
    problems.sort_by_key(|(line, _)| *line);
    let total = problems.len();
    let mut errors: Vec<Error> = problems
        .into_iter()
        .take(MAX_ERRORS)
        .map(|(line, message)| Error::content_at(file, line, message))
        .collect();
    if total > MAX_ERRORS {
        errors.push(Error::content(
            file,
            format!("… and {} more problems", total - MAX_ERRORS),
        ));
    }
    Error::from_list(errors)?;
    Ok(Transcript {
        file: file.to_path_buf(),
        format,
        cues,
    })
}

/// Timing and content rules, as (line, message).
pub fn check(cues: &[Cue], audio_duration: f64) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut beyond_reported = false;
    for (i, c) in cues.iter().enumerate() {
        if c.text.trim().is_empty() {
            out.push((c.line, "empty cue: give it text or remove it".into()));
        }
        if c.speaker.as_deref().is_some_and(|s| s.trim().is_empty()) {
            out.push((c.line, "a voice or speaker without a name".into()));
        }
        if !(c.start.is_finite() && c.end.is_finite()) || c.start < 0.0 {
            out.push((c.line, "cue times must be zero or positive".into()));
            continue;
        }
        if c.end <= c.start {
            out.push((
                c.line,
                format!(
                    "the cue ends ({}) before or when it starts ({})",
                    clock(c.end),
                    clock(c.start)
                ),
            ));
        }
        if let Some(prev) = i.checked_sub(1).map(|p| &cues[p]) {
            if c.start < prev.start {
                out.push((
                    c.line,
                    format!(
                        "the cue starts at {}, before the previous cue (line {}, {}): list cues in time order",
                        clock(c.start),
                        prev.line,
                        clock(prev.start)
                    ),
                ));
            } else if c.start + 0.0005 < prev.end {
                out.push((
                    c.line,
                    format!(
                        "the cue starts at {}, while the previous cue (line {}) runs until {}: cues must not overlap",
                        clock(c.start),
                        prev.line,
                        clock(prev.end)
                    ),
                ));
            }
        }
        // One message is enough: every later cue is beyond the end too.
        if !beyond_reported && c.end > audio_duration + DURATION_TOLERANCE {
            beyond_reported = true;
            out.push((
                c.line,
                format!(
                    "the cue ends at {}, {:.1} s after the audio ends ({}): this transcript belongs to another cut or episode",
                    clock(c.end),
                    c.end - audio_duration,
                    clock(audio_duration)
                ),
            ));
        }
    }
    out
}

/// `H:MM:SS.mmm` for messages.
pub fn clock(seconds: f64) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}
