//! Transcript bodies against their declared type: the first bytes (`--online`) and the
//! whole file read by mspod's own transcript reader (`--media`).

use super::mime::mime_essence;
use std::path::Path;

/// Checks a transcript body against its declared type (PC-TRANS).
pub fn transcript_problem(body: &[u8], mime: &str) -> Result<(), String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim_start_matches('\u{feff}');
    match mime_essence(mime).as_str() {
        "text/vtt" => {
            if !text.starts_with("WEBVTT") {
                return Err("declared text/vtt but does not start with WEBVTT".into());
            }
            if !text.contains("-->") {
                return Err("a WebVTT file without cues (no `-->` line)".into());
            }
        }
        "application/x-subrip" | "application/srt" | "text/srt" if !text.contains("-->") => {
            return Err("declared SRT but has no `-->` cue times".into());
        }
        "application/json" => {
            let v: serde_json::Value = serde_json::from_str(text)
                .map_err(|e| format!("declared JSON but does not parse ({e})"))?;
            if !v.get("segments").is_some_and(serde_json::Value::is_array) {
                return Err("JSON transcript without a \"segments\" array".into());
            }
        }
        "text/html" if !text.contains('<') => {
            return Err("declared text/html but has no markup".into());
        }
        _ => {}
    }
    Ok(())
}

/// Beyond the first bytes: the whole file read as the declared format (mspod's
/// own transcript reader, no duration limit); the first problem, with its line.
pub fn transcript_parse_problem(body: &[u8], mime: &str) -> Option<String> {
    use crate::transcript::Format;
    let format = match mime {
        "text/vtt" => Format::Vtt,
        "application/x-subrip" | "application/srt" | "text/srt" => Format::Srt,
        "application/json" => Format::Json,
        _ => return None,
    };
    let text = String::from_utf8_lossy(body);
    let err = crate::transcript::from_str(&text, format, Path::new("line"), f64::INFINITY).err()?;
    err.to_string().lines().next().map(str::to_string)
}
