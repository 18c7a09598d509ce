//! The three readers. Each takes text with `\n` line ends and no BOM and returns
//! the cues it could read plus every problem as (line, message); timing rules
//! are checked afterwards, on the cues, by [`super::check`].

use super::Cue;

type Problems = Vec<(usize, String)>;

/// Blocks of consecutive non-blank lines, each as (first line number, lines).
fn blocks(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut current: Option<(usize, Vec<&str>)> = None;
    for (i, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            out.extend(current.take());
        } else {
            current
                .get_or_insert_with(|| (i + 1, Vec::new()))
                .1
                .push(line);
        }
    }
    out.extend(current);
    out
}

/// WebVTT: header, NOTE/STYLE/REGION blocks, cues with optional ids and settings,
/// voice spans for speakers.
pub(super) fn vtt(text: &str) -> (Vec<Cue>, Problems) {
    let mut cues = Vec::new();
    let mut problems = Vec::new();
    let first = text.split('\n').next().unwrap_or("");
    let header_ok = first
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    if !header_ok {
        problems.push((1, "a WebVTT file starts with the line `WEBVTT`".to_string()));
        return (cues, problems);
    }
    for (n, (line_no, lines)) in blocks(text).into_iter().enumerate() {
        if n == 0 {
            // The header block (WEBVTT and optional header lines).
            continue;
        }
        let head = lines[0];
        let keyword = |k: &str| {
            head.strip_prefix(k)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        };
        if keyword("NOTE") {
            continue;
        }
        if keyword("STYLE") || keyword("REGION") {
            if !cues.is_empty() {
                problems.push((
                    line_no,
                    format!(
                        "a {} block after the first cue: move it above the cues",
                        head.split_whitespace().next().unwrap_or("STYLE")
                    ),
                ));
            }
            continue;
        }
        // An optional identifier line, then the timing line.
        let (timing_at, timing) = if head.contains("-->") {
            (0, head)
        } else if lines.len() > 1 && lines[1].contains("-->") {
            (1, lines[1])
        } else {
            problems.push((
                line_no,
                format!(
                    "expected a cue timing line like `00:01.000 --> 00:04.000`, found `{}`",
                    short(head)
                ),
            ));
            continue;
        };
        let cue_line = line_no + timing_at;
        let Some((start, end)) = timing_line(timing, vtt_time, cue_line, &mut problems) else {
            continue;
        };
        let payload = &lines[timing_at + 1..];
        if let Some(k) = payload.iter().position(|l| l.contains("-->")) {
            problems.push((
                cue_line + 1 + k,
                "`-->` inside cue text (is a blank line missing before this cue?)".into(),
            ));
            continue;
        }
        let (voice, text) = vtt_payload(&payload.join("\n"));
        // Podcast transcripts open a voice span on a change of speaker only
        // (Podcasting 2.0 guidance): a cue without one continues the last speaker.
        let speaker = voice.or_else(|| cues.last().and_then(|c: &Cue| c.speaker.clone()));
        cues.push(Cue {
            start,
            end,
            speaker,
            text,
            line: cue_line,
        });
    }
    (cues, problems)
}

/// `START --> END [settings]` with the given timestamp reader.
fn timing_line(
    line: &str,
    time: fn(&str) -> Option<f64>,
    line_no: usize,
    problems: &mut Problems,
) -> Option<(f64, f64)> {
    let (left, right) = line.split_once("-->")?;
    let mut right = right.split_whitespace();
    let end_text = right.next().unwrap_or("");
    let start = time(left.trim());
    let end = time(end_text);
    match (start, end) {
        (Some(s), Some(e)) => Some((s, e)),
        _ => {
            let bad = if start.is_none() {
                left.trim()
            } else {
                end_text
            };
            problems.push((line_no, format!("`{}` is not a valid cue time", short(bad))));
            None
        }
    }
}

/// WebVTT `[hh:]mm:ss.ttt`: minutes and seconds two digits below 60, exactly three decimals.
fn vtt_time(s: &str) -> Option<f64> {
    let (clock, frac) = s.split_once('.')?;
    if frac.len() != 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [m, s] => ("0", *m, *s),
        [h, m, s] if h.len() >= 2 => (*h, *m, *s),
        _ => return None,
    };
    let two = |x: &str| -> Option<u64> {
        (x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())?
            .filter(|v| *v < 60)
    };
    let h: u64 = h
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| h.parse().ok())??;
    let m = two(m)?;
    let sec = two(sec)?;
    let ms: u64 = frac.parse().ok()?;
    // Whole milliseconds first, so that times survive a round trip exactly.
    Some(((h * 3600 + m * 60 + sec) * 1000 + ms) as f64 / 1000.0)
}

/// The speaker of the first voice span and the payload as plain text.
fn vtt_payload(payload: &str) -> (Option<String>, String) {
    let mut speaker = None;
    let mut text = String::new();
    let mut rest = payload;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            // A lone `<` is kept as text (lenient; writers escape it).
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        if speaker.is_none()
            && let Some(v) = tag.strip_prefix('v')
            && (v.starts_with([' ', '\t', '.']))
        {
            // `<v.class Name>`: the name follows the first whitespace.
            let name = v.split_once([' ', '\t']).map_or("", |(_, n)| n.trim());
            speaker = Some(decode_entities(name));
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    (speaker, collapse(&decode_entities(&text)))
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "\u{200e}")
        .replace("&rlm;", "\u{200f}")
        .replace("&amp;", "&")
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// SRT, read leniently: counter optional, `.` or `,` before the milliseconds,
/// a `Name: ` prefix starts a speaker's turn (later cues keep that speaker).
pub(super) fn srt(text: &str) -> (Vec<Cue>, Problems) {
    let mut cues = Vec::new();
    let mut problems = Vec::new();
    let mut speaker: Option<String> = None;
    for (line_no, lines) in blocks(text) {
        let mut at = 0;
        if !lines[0].contains("-->") {
            if lines[0].trim().bytes().all(|b| b.is_ascii_digit()) && lines.len() > 1 {
                at = 1;
            } else {
                problems.push((
                    line_no,
                    format!(
                        "expected a cue number or a time line like `00:00:01,000 --> 00:00:04,000`, found `{}`",
                        short(lines[0])
                    ),
                ));
                continue;
            }
        }
        let cue_line = line_no + at;
        if !lines[at].contains("-->") {
            problems.push((
                cue_line,
                format!(
                    "expected a time line like `00:00:01,000 --> 00:00:04,000`, found `{}`",
                    short(lines[at])
                ),
            ));
            continue;
        }
        let Some((start, end)) = timing_line(lines[at], srt_time, cue_line, &mut problems) else {
            continue;
        };
        let raw = lines[at + 1..].join("\n");
        let mut text = collapse(&strip_tags(&raw));
        if let Some((name, rest)) = speaker_prefix(&text) {
            speaker = Some(name.to_string());
            text = rest.to_string();
        }
        cues.push(Cue {
            start,
            end,
            speaker: speaker.clone(),
            text,
            line: cue_line,
        });
    }
    (cues, problems)
}

/// SRT `HH:MM:SS,mmm` (also `.`, and 1–3 fraction digits).
fn srt_time(s: &str) -> Option<f64> {
    let (clock, frac) = s.split_once([',', '.'])?;
    if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let [h, m, sec] = parts.as_slice() else {
        return None;
    };
    let num = |x: &str| -> Option<u64> {
        (!x.is_empty() && x.len() <= 3 && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())?
    };
    let (h, m, sec) = (num(h)?, num(m)?, num(sec)?);
    if m >= 60 || sec >= 60 {
        return None;
    }
    let ms: u64 = format!("{frac:0<3}").parse().ok()?;
    Some(((h * 3600 + m * 60 + sec) * 1000 + ms) as f64 / 1000.0)
}

/// `<i>`, `<b>`, `<font …>` and similar tags in SRT text.
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `Dr. Lee: text` → ("Dr. Lee", "text"): a short capitalised name of at most four words.
pub(super) fn speaker_prefix(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once(": ")?;
    let ok = name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().count() <= 40
        && name.split_whitespace().count() <= 4
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || " .'-".contains(c));
    ok.then_some((name, rest.trim_start()))
}

#[derive(serde::Deserialize)]
struct JsonFile {
    #[allow(dead_code)]
    version: Option<serde_json::Value>,
    segments: Vec<JsonSegment>,
}

#[derive(serde::Deserialize)]
struct JsonSegment {
    speaker: Option<String>,
    #[serde(rename = "startTime")]
    start: f64,
    #[serde(rename = "endTime")]
    end: Option<f64>,
    body: String,
}

/// Podcasting 2.0 JSON: `{"version":"1.0.0","segments":[{startTime, endTime?, speaker?, body}]}`.
pub(super) fn json(text: &str) -> (Vec<Cue>, Problems) {
    let file: JsonFile = match serde_json::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            return (
                Vec::new(),
                vec![(
                    e.line().max(1),
                    format!("not a Podcasting 2.0 JSON transcript: {e}"),
                )],
            );
        }
    };
    // Each segment's line: the n-th `"startTime"` key (an escaped one inside a
    // string is `\"startTime\"` and does not match).
    let lines: Vec<usize> = text
        .match_indices("\"startTime\"")
        .map(|(at, _)| text[..at].matches('\n').count() + 1)
        .collect();
    let n = file.segments.len();
    let starts: Vec<f64> = file.segments.iter().map(|s| s.start).collect();
    let cues = file
        .segments
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            // No endTime: the segment lasts until the next one (the last, until
            // its words are read at about 2.5 words a second).
            let end = s.end.unwrap_or_else(|| {
                if i + 1 < n {
                    starts[i + 1]
                } else {
                    s.start + (s.body.split_whitespace().count().max(1) as f64 * 0.4)
                }
            });
            Cue {
                start: s.start,
                end,
                speaker: s.speaker.map(|x| x.trim().to_string()),
                text: collapse(&s.body),
                line: lines.get(i).copied().unwrap_or(1),
            }
        })
        .collect();
    (cues, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vtt_times_follow_the_spec() {
        assert_eq!(vtt_time("00:01.500"), Some(1.5));
        assert_eq!(vtt_time("01:00:01.000"), Some(3601.0));
        assert_eq!(vtt_time("100:00:00.000"), Some(360_000.0));
        assert_eq!(vtt_time("1:01.000"), None);
        assert_eq!(vtt_time("00:60.000"), None);
        assert_eq!(vtt_time("00:01.5"), None);
        assert_eq!(vtt_time("00:01,500"), None);
    }

    #[test]
    fn srt_times_are_read_leniently() {
        assert_eq!(srt_time("00:00:01,500"), Some(1.5));
        assert_eq!(srt_time("00:00:01.500"), Some(1.5));
        assert_eq!(srt_time("01:02:03,004"), Some(3723.004));
        assert_eq!(srt_time("00:61:00,000"), None);
        assert_eq!(srt_time("00:01,000"), None);
    }

    #[test]
    fn voice_spans_give_the_speaker() {
        assert_eq!(
            vtt_payload("<v.host Dr. Lee>Hello &amp; <i>welcome</i></v>"),
            (Some("Dr. Lee".into()), "Hello & welcome".into())
        );
        assert_eq!(vtt_payload("plain\ntext"), (None, "plain text".into()));
    }

    #[test]
    fn speaker_prefixes_are_names_not_sentences() {
        assert_eq!(speaker_prefix("Ana: Hi."), Some(("Ana", "Hi.")));
        assert_eq!(speaker_prefix("the thing is: this"), None);
        assert_eq!(
            speaker_prefix("Remember this, please and thank you: x"),
            None
        );
    }
}
