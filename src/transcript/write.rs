//! The three output formats, each converted from the one model. Deterministic:
//! times are rounded to milliseconds before formatting.

use super::{Cue, Transcript};
use serde::Serialize;

/// Milliseconds, rounded once so that no field can become `60`.
fn ms(seconds: f64) -> u64 {
    (seconds.max(0.0) * 1000.0).round() as u64
}

fn hms(seconds: f64, sep: char) -> String {
    let t = ms(seconds);
    format!(
        "{:02}:{:02}:{:02}{sep}{:03}",
        t / 3_600_000,
        t / 60_000 % 60,
        t / 1000 % 60,
        t % 1000
    )
}

/// Greedy word wrap at `width` characters (a longer word gets its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn vtt_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// WebVTT: a voice span on every cue with a speaker (Apple shows names only from
/// these), lines of at most about 65 characters.
pub fn vtt(t: &Transcript) -> String {
    let mut out = String::from("WEBVTT\n");
    for c in &t.cues {
        out.push('\n');
        out.push_str(&format!("{} --> {}\n", hms(c.start, '.'), hms(c.end, '.')));
        let lines = wrap(&c.text, 65);
        let body = lines
            .iter()
            .map(|l| vtt_escape(l))
            .collect::<Vec<_>>()
            .join("\n");
        match &c.speaker {
            // `>` would end the tag; the name is escaped like text.
            Some(s) => out.push_str(&format!("<v {}>{body}\n", vtt_escape(s))),
            None => out.push_str(&format!("{body}\n")),
        }
    }
    out
}

/// SRT: numbered from 1, CRLF, `Name: ` when the speaker changes (the
/// Podcasting 2.0 guidance), lines of at most about 32 characters.
pub fn srt(t: &Transcript) -> String {
    let mut out = String::new();
    let mut last: Option<&str> = None;
    for (i, c) in t.cues.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(&format!(
            "{}\r\n{} --> {}\r\n",
            i + 1,
            hms(c.start, ','),
            hms(c.end, ',')
        ));
        let mut text = c.text.clone();
        if let Some(s) = c.speaker.as_deref()
            && last != Some(s)
        {
            text = format!("{s}: {text}");
        }
        last = c.speaker.as_deref();
        for line in wrap(&text, 32) {
            out.push_str(&line);
            out.push_str("\r\n");
        }
    }
    out
}

#[derive(Serialize)]
struct JsonFile<'a> {
    version: &'static str,
    segments: Vec<Segment<'a>>,
}

#[derive(Serialize)]
struct Segment<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    #[serde(rename = "startTime")]
    start_time: f64,
    #[serde(rename = "endTime")]
    end_time: f64,
    body: &'a str,
}

/// Podcasting 2.0 JSON transcript 1.0.0, one segment per cue, speaker repeated.
pub fn json(t: &Transcript) -> String {
    let seconds = |x: f64| ms(x) as f64 / 1000.0;
    let file = JsonFile {
        version: "1.0.0",
        segments: t
            .cues
            .iter()
            .map(|c: &Cue| Segment {
                speaker: c.speaker.as_deref(),
                start_time: seconds(c.start),
                end_time: seconds(c.end),
                body: &c.text,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_before_formatting() {
        assert_eq!(hms(59.9996, '.'), "00:01:00.000");
        assert_eq!(hms(3723.004, ','), "01:02:03,004");
    }

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh x", 3), vec!["abcdefgh", "x"]);
    }
}
