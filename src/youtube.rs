//! YouTube video ids from any URL form.
//!
//! Accepts `watch?v=`, `youtu.be/`, `shorts/`, `embed/`, `live/`, `v/`, `e/`,
//! `youtube-nocookie.com/embed/`, `m.`/`music.` hosts, extra query parameters
//! (`t=`, `si=`, `list=`, `feature=`) and bare 11-character ids. Everything
//! but the id is dropped: the id is the video's identity.

use std::fmt;

/// An 11-character YouTube video id (`[A-Za-z0-9_-]{11}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct VideoId(String);

// Read back from mspod's own caches: checked like any other input.
impl<'de> serde::Deserialize<'de> for VideoId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<VideoId, D::Error> {
        let s = String::deserialize(d)?;
        VideoId::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl VideoId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `https://www.youtube.com/watch?v=ID`: the canonical watch URL.
    pub fn watch_url(&self) -> String {
        format!("https://www.youtube.com/watch?v={}", self.0)
    }

    /// The privacy-enhanced embed URL (no cookies until the viewer presses play).
    pub fn embed_url(&self) -> String {
        format!("https://www.youtube-nocookie.com/embed/{}", self.0)
    }

    /// The default thumbnail, which YouTube serves for every public video.
    pub fn thumbnail_url(&self) -> String {
        format!("https://i.ytimg.com/vi/{}/hqdefault.jpg", self.0)
    }

    /// Parses any supported URL form, or a bare id.
    pub fn parse(input: &str) -> Result<VideoId, String> {
        let input = input.trim();
        if is_id(input) {
            return Ok(VideoId(input.to_string()));
        }
        if !input.contains('.') {
            return Err(format!(
                "`{input}` is neither a YouTube URL nor an 11-character video id"
            ));
        }
        let with_scheme = if input.contains("://") {
            input.to_string()
        } else {
            format!("https://{input}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|e| {
            format!("`{input}` is neither a YouTube URL nor an 11-character video id ({e})")
        })?;
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let segments = url
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect::<Vec<_>>())
            .unwrap_or_default();
        let candidate = match host {
            "youtu.be" => segments.first().map(|s| s.to_string()),
            "youtube.com" | "m.youtube.com" | "music.youtube.com" | "youtube-nocookie.com" => {
                match segments.as_slice() {
                    ["watch"] | [] => url
                        .query_pairs()
                        .find(|(k, _)| k == "v")
                        .map(|(_, v)| v.into_owned()),
                    ["shorts" | "embed" | "live" | "v" | "e", id, ..] => Some(id.to_string()),
                    _ => None,
                }
            }
            _ => return Err(format!("`{input}` is not a YouTube URL (host `{host}`)")),
        };
        match candidate {
            Some(id) if is_id(&id) => Ok(VideoId(id)),
            Some(id) => Err(format!(
                "`{input}`: `{id}` is not an 11-character YouTube video id"
            )),
            None => Err(format!(
                "`{input}` does not name a YouTube video (no id in it)"
            )),
        }
    }
}

impl fmt::Display for VideoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_id(s: &str) -> bool {
    s.len() == 11
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Every video id linked or embedded in a piece of text or HTML (`href`/`src`
/// values and bare URLs), in order of first appearance, without repeats.
pub fn ids_in_text(text: &str) -> Vec<VideoId> {
    let mut found: Vec<VideoId> = Vec::new();
    for start in find_all(
        text,
        &["youtube.com/", "youtu.be/", "youtube-nocookie.com/"],
    ) {
        // Walk back to the start of the URL and forward to its end.
        let begin = text[..start]
            .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | '<' | '>' | '='))
            .map(|i| i + 1)
            .unwrap_or(0);
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '<' | '>'))
            .map(|i| start + i)
            .unwrap_or(text.len());
        let candidate = text[begin..end].replace("&amp;", "&");
        if let Ok(id) = VideoId::parse(&candidate)
            && !found.contains(&id)
        {
            found.push(id);
        }
    }
    found
}

fn find_all(text: &str, needles: &[&str]) -> Vec<usize> {
    let mut positions: Vec<usize> = needles
        .iter()
        .flat_map(|n| text.match_indices(n).map(|(i, _)| i))
        .collect();
    positions.sort_unstable();
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> String {
        match VideoId::parse(s) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn every_url_form_gives_the_id() {
        for form in [
            "dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&list=PL123",
            "https://youtube.com/watch?v=dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://music.youtube.com/watch?v=dQw4w9WgXcQ",
            "http://youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=AbCdEf123&t=3",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ?start=10",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/live/dQw4w9WgXcQ?si=x",
            "https://www.youtube.com/v/dQw4w9WgXcQ",
            "www.youtube.com/watch?v=dQw4w9WgXcQ",
            "youtu.be/dQw4w9WgXcQ",
            "  https://youtu.be/dQw4w9WgXcQ  ",
        ] {
            assert_eq!(id(form), "dQw4w9WgXcQ", "{form}");
        }
    }

    #[test]
    fn bad_inputs_are_errors_that_say_why() {
        for (bad, why) in [
            ("dQw4w9WgXc", "neither"),
            ("https://vimeo.com/123456", "not a YouTube URL"),
            (
                "https://www.youtube.com/watch?v=short",
                "not an 11-character",
            ),
            (
                "https://www.youtube.com/channel/UCabc",
                "does not name a YouTube video",
            ),
            (
                "https://www.youtube.com/watch",
                "does not name a YouTube video",
            ),
            ("", "neither"),
        ] {
            let got = id(bad);
            assert!(got.starts_with("ERR") && got.contains(why), "{bad}: {got}");
        }
    }

    #[test]
    fn ids_are_found_in_html_in_order_without_repeats() {
        let html = r#"<iframe src="https://www.youtube-nocookie.com/embed/AAAAAAAAAAA?rel=0"></iframe>
            <a href="https://www.youtube.com/watch?v=BBBBBBBBBBB&amp;t=5">watch</a>
            see https://youtu.be/AAAAAAAAAAA again, and https://vimeo.com/1"#;
        let ids: Vec<String> = ids_in_text(html).iter().map(|v| v.to_string()).collect();
        assert_eq!(ids, ["AAAAAAAAAAA", "BBBBBBBBBBB"]);
    }
}
