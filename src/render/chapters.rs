//! Chapter timestamps and the Podcasting 2.0 JSON chapters file.

use crate::model::Episode;
use serde::Serialize;

/// `M:SS`, or `H:MM:SS` from one hour on (YouTube's and Spotify's form).
pub(crate) fn timestamp(seconds: f64) -> String {
    let total = seconds.max(0.0).floor() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[derive(Serialize)]
struct File<'a> {
    version: &'static str,
    chapters: Vec<Entry<'a>>,
    /// Provenance (an extension field; apps ignore it): manifest, audio or derived.
    #[serde(rename = "mspodSource")]
    source: &'static str,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "startTime")]
    start_time: f64,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// `chapters.json` (`application/json+chapters`, version 1.2.0).
pub(super) fn json(ep: &Episode) -> Vec<u8> {
    let file = File {
        version: "1.2.0",
        chapters: ep
            .chapters
            .iter()
            .map(|c| Entry {
                // Millisecond precision: enough for seeking, stable in text.
                start_time: (c.start * 1000.0).round() / 1000.0,
                title: &c.title,
                url: c.url.as_deref(),
            })
            .collect(),
        source: ep.chapters_source.as_str(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_use_hours_only_when_needed() {
        assert_eq!(timestamp(0.0), "0:00");
        assert_eq!(timestamp(59.9), "0:59");
        assert_eq!(timestamp(600.0), "10:00");
        assert_eq!(timestamp(3723.4), "1:02:03");
    }
}
