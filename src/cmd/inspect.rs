//! `mspod inspect [--json] FILE...`: probes files in parallel and prints, in the order
//! given, what the media stage knows about each. A file that cannot be read is reported
//! (an `error` object in JSON) and never stops the others; the exit code is 1 if any
//! file failed.

use crate::cli::InspectArgs;
use crate::error::{Result, exit};
use crate::media::{self, MediaInfo};
use crate::ui::Ui;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One `--json` line. Field order is the documented one.
#[derive(Serialize)]
struct JsonInfo<'a> {
    path: String,
    bytes: u64,
    mime: &'a str,
    container: &'a str,
    codec: &'a str,
    sample_rate: Option<u32>,
    channels: Option<u16>,
    bitrate: Option<u32>,
    duration: f64,
    duration_method: &'a str,
    tags: &'a BTreeMap<String, String>,
    chapters: Vec<JsonChapter<'a>>,
    cover: &'a Option<media::Cover>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct JsonChapter<'a> {
    start: f64,
    end: Option<f64>,
    title: &'a str,
    url: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: &'a Option<media::Cover>,
}

#[derive(Serialize)]
struct JsonError {
    path: String,
    error: String,
}

/// Seconds rounded to milliseconds, as they are printed.
fn ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

fn json_line(path: &Path, result: &std::result::Result<MediaInfo, String>) -> String {
    let path_s = path.display().to_string();
    let line = match result {
        Ok(i) => serde_json::to_string(&JsonInfo {
            path: path_s.clone(),
            bytes: i.bytes,
            mime: &i.mime,
            container: &i.container,
            codec: &i.codec,
            sample_rate: i.sample_rate,
            channels: i.channels,
            bitrate: i.bitrate,
            duration: ms(i.duration),
            duration_method: &i.duration_method,
            tags: &i.tags,
            chapters: i
                .chapters
                .iter()
                .map(|c| JsonChapter {
                    start: ms(c.start),
                    end: c.end.map(ms),
                    title: &c.title,
                    url: &c.url,
                    image: &c.image,
                })
                .collect(),
            cover: &i.cover,
            warnings: &i.warnings,
        }),
        Err(e) => serde_json::to_string(&JsonError {
            path: path_s.clone(),
            error: e.clone(),
        }),
    };
    // Serialising these plain structs cannot fail; keep a valid line regardless.
    line.unwrap_or_else(|e| format!("{{\"path\":{:?},\"error\":{:?}}}", path_s, e.to_string()))
}

/// `H:MM:SS.mmm`.
pub fn clock(s: f64) -> String {
    let total_ms = (s * 1000.0).round().max(0.0) as u64;
    let (h, rest) = (total_ms / 3_600_000, total_ms % 3_600_000);
    format!(
        "{h}:{:02}:{:02}.{:03}",
        rest / 60_000,
        (rest / 1000) % 60,
        rest % 1000
    )
}

fn text_block(path: &Path, i: &MediaInfo) -> String {
    let mut s = format!("{}\n", path.display());
    let mut line = |k: &str, v: String| s.push_str(&format!("  {k:<10}{v}\n"));
    let mut kind = format!("{} ({} in {})", i.mime, i.codec, i.container);
    if let Some(r) = i.sample_rate {
        kind.push_str(&format!(", {r} Hz"));
    }
    if let Some(c) = i.channels {
        kind.push_str(&format!(", {c} ch"));
    }
    if let Some(b) = i.bitrate {
        kind.push_str(&format!(", {} kbit/s", (b + 500) / 1000));
    }
    line("type", kind);
    line("bytes", i.bytes.to_string());
    line(
        "duration",
        format!(
            "{:.3} s ({}) from {}",
            i.duration,
            clock(i.duration),
            i.duration_method
        ),
    );
    for (k, v) in &i.tags {
        line(k, v.clone());
    }
    if let Some(c) = &i.cover {
        line("cover", cover_text(c));
    }
    if !i.chapters.is_empty() {
        line("chapters", i.chapters.len().to_string());
        for c in &i.chapters {
            let mut t = format!("    {} {}", clock(c.start), c.title);
            if let Some(end) = c.end {
                t = format!("    {}-{} {}", clock(c.start), clock(end), c.title);
            }
            if let Some(u) = &c.url {
                t.push_str(&format!(" <{u}>"));
            }
            if let Some(img) = &c.image {
                t.push_str(&format!(" [{}]", cover_text(img)));
            }
            s.push_str(&t);
            s.push('\n');
        }
    }
    for w in &i.warnings {
        s.push_str(&format!("  warning:  {w}\n"));
    }
    s
}

fn cover_text(c: &media::Cover) -> String {
    match (c.width, c.height) {
        (Some(w), Some(h)) => format!("{} {w}x{h}", c.mime),
        _ => format!("{} (size unknown)", c.mime),
    }
}

pub fn run(args: &InspectArgs, ui: &Ui) -> Result<i32> {
    let results: Vec<(&PathBuf, std::result::Result<MediaInfo, String>)> = args
        .files
        .par_iter()
        .map(|p| (p, media::probe(p)))
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    for (path, result) in &results {
        let written = if args.json {
            writeln!(out, "{}", json_line(path, result))
        } else {
            match result {
                Ok(info) => write!(out, "{}", text_block(path, info)),
                Err(e) => {
                    // Keep stdout and stderr in order for a reader watching both.
                    let _ = out.flush();
                    eprintln!("error: {}: {e}", path.display());
                    Ok(())
                }
            }
        };
        written.map_err(crate::ui::stdout_error)?;
        if result.is_err() {
            failed += 1;
        }
    }
    out.flush().map_err(crate::ui::stdout_error)?;
    if failed > 0 {
        ui.detail(format!(
            "{failed} of {} files could not be read",
            results.len()
        ));
        return Ok(exit::CONTENT);
    }
    Ok(exit::OK)
}
