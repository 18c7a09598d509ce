//! What the show page and the episode pages share: the `<head>` (sharing
//! cards, favicon), labels and dates, and what templates know about the show.
//!
//! Styles and script are inlined (by the templates) so each page stays a single
//! standalone file; the script only enhances (the pages work without it).

use super::blocks::escape;
use crate::load::EpisodeType;
use crate::model::{Listing, Show};

/// The show page's file name in the output folder.
pub(crate) const INDEX_FILE: &str = "index.html";

/// What a page's `<head>` says about it.
pub(super) struct Head<'a> {
    pub title: String,
    pub description: String,
    /// Absolute URL of this page.
    pub canonical: &'a str,
    /// Open Graph type: `website` for the show, `article` for an episode.
    pub og_type: &'a str,
    /// The episode's audio, for `og:audio`.
    pub audio: Option<(&'a str, &'a str)>,
    /// Extra elements (JSON-LD, prev/next links).
    pub extra: String,
}

/// The `<head>` elements (the template adds the styles).
pub(super) fn head(show: &Show, h: &Head) -> String {
    let cfg = &show.config;
    let mut out = String::from("<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&h.title)));
    let description = first_line(&h.description);
    out.push_str(&format!(
        "<meta name=\"description\" content=\"{}\">\n",
        escape(&description)
    ));
    out.push_str(&format!(
        "<link rel=\"canonical\" href=\"{}\">\n",
        escape(h.canonical)
    ));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{}\" href=\"{}\">\n",
        escape(&cfg.title),
        escape(&cfg.feed_url)
    ));
    // The cover is the favicon and the picture of every shared link.
    out.push_str(&format!(
        "<link rel=\"icon\" href=\"{0}\">\n<link rel=\"apple-touch-icon\" href=\"{0}\">\n",
        escape(&cfg.image_url)
    ));
    let mut meta = vec![
        ("og:type", h.og_type.to_string()),
        ("og:site_name", cfg.title.clone()),
        ("og:title", h.title.clone()),
        ("og:description", description.clone()),
        ("og:url", h.canonical.to_string()),
        ("og:image", cfg.image_url.clone()),
        ("og:image:alt", format!("Cover of {}", cfg.title)),
        ("og:locale", cfg.language.replace('-', "_")),
    ];
    if let Some((url, mime)) = h.audio {
        meta.push(("og:audio", url.to_string()));
        meta.push(("og:audio:type", mime.to_string()));
    }
    for (property, content) in meta {
        out.push_str(&format!(
            "<meta property=\"{property}\" content=\"{}\">\n",
            escape(&content)
        ));
    }
    for (name, content) in [
        ("twitter:card", "summary"),
        ("twitter:title", h.title.as_str()),
        ("twitter:description", description.as_str()),
        ("twitter:image", cfg.image_url.as_str()),
    ] {
        out.push_str(&format!(
            "<meta name=\"{name}\" content=\"{}\">\n",
            escape(content)
        ));
    }
    out.push_str(&h.extra);
    out
}

fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

/// What templates know about the show (`show.*`).
pub(super) fn show_value(show: &Show) -> minijinja::Value {
    let cfg = &show.config;
    let links: Vec<serde_json::Value> = cfg
        .links
        .iter()
        .map(|(key, url)| serde_json::json!({"key": key, "label": link_label(key), "url": url}))
        .collect();
    minijinja::Value::from_serialize(serde_json::json!({
        "title": cfg.title,
        "description": cfg.description,
        "link": cfg.link,
        "feed_url": cfg.feed_url,
        "page_url": show.feeds_base_url,
        "image_url": cfg.image_url,
        "language": cfg.language,
        "author": cfg.author,
        // `[show] hosts`, else the names of the `[[people]]` whose role is host.
        "hosts": if cfg.hosts.is_empty() {
            cfg.people
                .iter()
                .filter(|p| p.role == "host")
                .map(|p| p.name.clone())
                .collect()
        } else {
            cfg.hosts.clone()
        },
        "copyright": cfg.copyright.clone().unwrap_or_else(|| format!("© {}", cfg.author)),
        "disclaimer": cfg.disclaimer,
        "links": links,
    }))
}

/// The label of a `[show.links]` key: the app's name, else the key in words.
pub(super) fn link_label(key: &str) -> String {
    match crate::load::KNOWN_LINKS.iter().find(|(k, _)| *k == key) {
        Some((_, label)) => label.to_string(),
        None => {
            let words = key.replace(['_', '-'], " ");
            let mut c = words.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

/// "Trailer", "Bonus · episode 5", "Season 1, episode 4".
pub(super) fn label(ep: &Listing) -> String {
    let number = match (ep.season, ep.number) {
        (Some(s), Some(n)) => Some(format!("Season {s}, episode {n}")),
        (None, Some(n)) => Some(format!("Episode {n}")),
        _ => None,
    };
    match ep.kind {
        // A trailer's number is the slot it fills, not an episode to count.
        EpisodeType::Trailer => "Trailer".into(),
        EpisodeType::Bonus => match number {
            Some(n) => format!("Bonus · {n}"),
            None => "Bonus".into(),
        },
        EpisodeType::Full => number.unwrap_or_default(),
    }
}

/// A badge for trailers and bonus episodes, so they are not mistaken for episodes.
pub(super) fn badge(ep: &Listing) -> &'static str {
    match ep.kind {
        EpisodeType::Trailer => "<span class=\"badge\">Trailer</span> ",
        EpisodeType::Bonus => "<span class=\"badge\">Bonus</span> ",
        EpisodeType::Full => "",
    }
}

/// The date as pages show it, in a `<time>` element.
pub(super) fn date(ep: &Listing) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        ep.published.to_rfc3339(),
        ep.published.format("%B %-d, %Y")
    )
}

/// "12 min", "1 h 5 min", "45 s": a duration for people, not players.
pub(super) fn minutes(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match (s / 3600, (s % 3600 + 30) / 60) {
        _ if s < 60 => format!("{s} s"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::minutes;

    #[test]
    fn durations_for_people() {
        assert_eq!(minutes(45.0), "45 s");
        assert_eq!(minutes(61.0), "1 min");
        assert_eq!(minutes(12.0 * 60.0 + 40.0), "13 min");
        assert_eq!(minutes(3600.0 + 5.0 * 60.0), "1 h 5 min");
    }
}
