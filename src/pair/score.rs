//! Scoring one article against one audio file or one video.
//!
//! Explicit evidence (the article embeds the video, the video description or
//! the audio tags name the article) decides on its own: score 1.0. Otherwise
//! the score is a weighted sum: slug 0.45 (exact) or 0.25 (one slug's words
//! contain the other's), title similarity × 0.40, date proximity × 0.15.
//! Every part that contributes is recorded as evidence, so a person can see
//! why a pair was proposed.

use super::normalize::{Branding, clean_title, slugify, title_similarity};
use crate::youtube::VideoId;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::path::PathBuf;

/// Weight of an exact slug match.
pub const SLUG_EXACT: f64 = 0.45;
/// Weight of a slug whose words contain (or are contained in) the other's.
pub const SLUG_PARTIAL: f64 = 0.25;
/// Weight of title similarity.
pub const TITLE: f64 = 0.40;
/// Weight of date proximity.
pub const DATE: f64 = 0.15;

/// Thresholds of the decision (see [`super::plan`]).
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// At or above: accepted without asking, if the margin holds.
    pub auto_accept: f64,
    /// Below: not even proposed.
    pub propose_min: f64,
    /// The best candidate must beat the runner-up by this much.
    pub margin: f64,
    /// Dates this many days apart (or more) add nothing.
    pub date_window_days: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            auto_accept: 0.85,
            propose_min: 0.60,
            margin: 0.10,
            date_window_days: 21.0,
        }
    }
}

/// An article, reduced to what pairing looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleCandidate {
    /// Where it was read from (a local file, or the saved copy of a downloaded page).
    pub path: PathBuf,
    /// From the URL's last path segment, else the file stem.
    pub slug: String,
    pub title: String,
    /// The canonical URL, when the page names one.
    pub url: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// Every video the article embeds or links.
    pub video_ids: Vec<VideoId>,
}

/// An audio file, reduced to what pairing looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioCandidate {
    pub path: PathBuf,
    /// The file stem without date and episode-number prefixes.
    pub slug: String,
    /// The ID3 / container title tag.
    pub title: Option<String>,
    /// The date tag, when it holds a full date.
    pub date: Option<DateTime<FixedOffset>>,
    /// Tag values that may hold a link to the article (comment, url, description…).
    pub link_text: Vec<String>,
}

/// A YouTube video, reduced to what pairing looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoCandidate {
    pub id: VideoId,
    pub title: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// The video description (channel feed `media:description`), if known.
    pub description: String,
}

/// How one article relates to one audio file or video.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0..=1; explicit evidence gives exactly 1.
    pub score: f64,
    /// Decisive evidence was found.
    pub explicit: bool,
    /// The weighted part alone (slug + title + date), which also ranks
    /// several explicit candidates against each other.
    #[serde(skip)]
    pub weighted: f64,
    /// Human-readable reasons, strongest first.
    pub evidence: Vec<String>,
}

/// Scores an article against an audio file.
pub fn article_audio(
    article: &ArticleCandidate,
    audio: &AudioCandidate,
    branding: &Branding,
    t: &Thresholds,
) -> Score {
    let mut explicit = Vec::new();
    for text in &audio.link_text {
        if let Some(url) = &article.url
            && contains_url(text, url)
        {
            explicit.push("audio tags link the article URL".to_string());
            break;
        }
        if names_slug(text, &article.slug) {
            explicit.push(format!("audio tags name the slug `{}`", article.slug));
            break;
        }
    }
    let (title, source) = match &audio.title {
        Some(t) => (t.as_str(), "ID3 title"),
        None => (audio.slug.as_str(), "file name"),
    };
    weighted(
        explicit,
        &article.slug,
        &audio.slug,
        "file name",
        &article.title,
        title,
        source,
        article.published,
        audio.date,
        branding,
        t,
    )
}

/// Scores an article against a video.
pub fn article_video(
    article: &ArticleCandidate,
    video: &VideoCandidate,
    branding: &Branding,
    t: &Thresholds,
) -> Score {
    let mut explicit = Vec::new();
    if article.video_ids.contains(&video.id) {
        explicit.push(format!("article embeds or links video {}", video.id));
    }
    if let Some(url) = &article.url
        && contains_url(&video.description, url)
    {
        explicit.push("video description links the article URL".to_string());
    }
    if explicit.is_empty() && names_slug(&video.description, &article.slug) {
        explicit.push(format!(
            "video description links a page named `{}`",
            article.slug
        ));
    }
    let title = video.title.as_deref().unwrap_or_default();
    let video_slug = slugify(&clean_title(title, branding));
    weighted(
        explicit,
        &article.slug,
        &video_slug,
        "video title",
        &article.title,
        title,
        "video title",
        article.published,
        video.published,
        branding,
        t,
    )
}

#[allow(clippy::too_many_arguments)]
fn weighted(
    explicit: Vec<String>,
    slug: &str,
    other_slug: &str,
    slug_source: &str,
    title: &str,
    other_title: &str,
    title_source: &str,
    date: Option<DateTime<FixedOffset>>,
    other_date: Option<DateTime<FixedOffset>>,
    branding: &Branding,
    t: &Thresholds,
) -> Score {
    let mut evidence = explicit;
    let is_explicit = !evidence.is_empty();
    let mut total = 0.0;

    let slug_part = slug_score(slug, other_slug);
    if slug_part == SLUG_EXACT {
        evidence.push(format!(
            "slug `{slug}` equals the {slug_source} (+{SLUG_EXACT:.2})"
        ));
    } else if slug_part > 0.0 {
        evidence.push(format!(
            "slug `{slug}` and the {slug_source} `{other_slug}` share all words of one (+{SLUG_PARTIAL:.2})"
        ));
    }
    total += slug_part;

    let similarity = title_similarity(
        &clean_title(title, branding),
        &clean_title(other_title, branding),
    );
    if similarity > 0.0 {
        evidence.push(format!(
            "{title_source} {:.0}% similar to the article title (+{:.2})",
            similarity * 100.0,
            similarity * TITLE
        ));
    }
    total += similarity * TITLE;

    if let (Some(a), Some(b)) = (date, other_date) {
        let days = (a - b).num_seconds().abs() as f64 / 86_400.0;
        let closeness = (1.0 - days / t.date_window_days).max(0.0);
        if closeness > 0.0 {
            evidence.push(format!(
                "dates {days:.1} days apart (+{:.2})",
                closeness * DATE
            ));
        }
        total += closeness * DATE;
    }

    let weighted = round3(total.min(1.0));
    Score {
        score: if is_explicit { 1.0 } else { weighted },
        explicit: is_explicit,
        weighted,
        evidence,
    }
}

/// 0.45 for equal slugs, 0.25 when all words of the shorter one appear in the longer one.
fn slug_score(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return SLUG_EXACT;
    }
    let wa: Vec<&str> = a.split('-').collect();
    let wb: Vec<&str> = b.split('-').collect();
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    if short.len() >= 2 && short.iter().all(|w| long.contains(w)) {
        SLUG_PARTIAL
    } else {
        0.0
    }
}

/// Scores are compared and printed at 3 decimals; rounding keeps float noise
/// out of ties and of the JSON.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `https://Example.org/blog/x/` and `http://example.org/blog/x` are the same page.
fn url_key(url: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    let no_scheme = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let no_www = no_scheme.strip_prefix("www.").unwrap_or(no_scheme);
    let no_query = no_www.split(['?', '#']).next().unwrap_or(no_www);
    no_query.trim_end_matches('/').to_string()
}

/// Whether `text` links `url` (ignoring scheme, `www.`, query and trailing `/`).
pub fn contains_url(text: &str, url: &str) -> bool {
    let key = url_key(url);
    if key.is_empty() || !key.contains('/') {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    lower.match_indices(&key).any(|(i, _)| {
        let after = lower[i + key.len()..].chars().next();
        // The match must end the path: `/blog/x` must not match `/blog/x-part-2`.
        !matches!(after, Some(c) if c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// Whether `text` holds the slug as a URL path segment (`…/slug`, `…/slug/`)
/// or is exactly the slug. Plain words do not count: "welcome" in a comment
/// is not a link to the `welcome` article.
pub fn names_slug(text: &str, slug: &str) -> bool {
    if slug.is_empty() {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    if lower.trim() == slug {
        return true;
    }
    let needle = format!("/{slug}");
    lower.match_indices(&needle).any(|(i, _)| {
        let after = lower[i + needle.len()..].chars().next();
        matches!(
            after,
            None | Some('/' | '?' | '#' | '.' | '"' | '\'' | ')' | ' ' | '\n' | '\r' | '\t' | '<')
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(s).ok()
    }

    fn article() -> ArticleCandidate {
        ArticleCandidate {
            path: "articles/grounding.md".into(),
            slug: "grounding-techniques-for-panic".into(),
            title: "Grounding Techniques for Panic Attacks".into(),
            url: Some("https://example.org/blog/grounding-techniques-for-panic/".into()),
            published: date("2026-05-13T09:00:00-04:00"),
            video_ids: vec![],
        }
    }

    fn audio(stem_slug: &str, title: Option<&str>) -> AudioCandidate {
        AudioCandidate {
            path: format!("audio/{stem_slug}.mp3").into(),
            slug: stem_slug.into(),
            title: title.map(str::to_string),
            date: None,
            link_text: vec![],
        }
    }

    fn video(id: &str, title: &str, published: &str, description: &str) -> VideoCandidate {
        VideoCandidate {
            id: VideoId::parse(id).expect("test id"),
            title: Some(title.into()),
            published: date(published),
            description: description.into(),
        }
    }

    fn b() -> Branding {
        Branding::new(["MentalSpace Therapy"])
    }

    #[test]
    fn matching_file_name_and_id3_title_is_confident() {
        let s = article_audio(
            &article(),
            &audio(
                "grounding-techniques-for-panic",
                Some("Grounding Techniques for Panic Attacks"),
            ),
            &b(),
            &Thresholds::default(),
        );
        assert!(!s.explicit);
        assert_eq!(s.score, 0.85);
        assert!(
            s.evidence[0].contains("equals the file name"),
            "{:?}",
            s.evidence
        );
        assert!(
            s.evidence[1].contains("ID3 title 100% similar"),
            "{:?}",
            s.evidence
        );
    }

    #[test]
    fn the_article_url_in_an_audio_tag_is_decisive() {
        let mut a = audio("ep03", None);
        a.link_text =
            vec!["Read more: http://example.org/blog/grounding-techniques-for-panic".into()];
        let s = article_audio(&article(), &a, &b(), &Thresholds::default());
        assert!(s.explicit);
        assert_eq!(s.score, 1.0);
        assert_eq!(s.evidence[0], "audio tags link the article URL");
    }

    #[test]
    fn a_longer_url_is_not_the_article_url() {
        assert!(!contains_url(
            "https://example.org/blog/grounding-techniques-for-panic-part-2/",
            "https://example.org/blog/grounding-techniques-for-panic/"
        ));
        assert!(contains_url(
            "see HTTPS://www.example.org/blog/grounding-techniques-for-panic?utm=x",
            "https://example.org/blog/grounding-techniques-for-panic/"
        ));
        assert!(!names_slug("welcome to the show", "welcome"));
        assert!(names_slug("https://x.org/welcome/", "welcome"));
        assert!(names_slug("welcome", "welcome"));
    }

    #[test]
    fn an_embedded_video_is_decisive_and_a_description_link_too() {
        let mut a = article();
        a.video_ids = vec![VideoId::parse("Gp4nT8wLqZc").expect("id")];
        let v = video("Gp4nT8wLqZc", "Something else", "2026-01-01T00:00:00Z", "");
        let s = article_video(&a, &v, &b(), &Thresholds::default());
        assert!(s.explicit && s.score == 1.0, "{s:?}");

        let v = video(
            "AAAAAAAAAAA",
            "Grounding",
            "2026-05-13T15:00:00Z",
            "Full article: https://example.org/blog/grounding-techniques-for-panic/\n0:00 Intro",
        );
        let s = article_video(&article(), &v, &b(), &Thresholds::default());
        assert!(s.explicit, "{s:?}");
        assert_eq!(s.evidence[0], "video description links the article URL");
    }

    #[test]
    fn video_scores_add_title_and_date() {
        let v = video(
            "AAAAAAAAAAA",
            "Ep. 3: Grounding Techniques for Panic Attacks | MentalSpace Therapy",
            "2026-05-13T13:00:00Z",
            "",
        );
        let s = article_video(&article(), &v, &b(), &Thresholds::default());
        // Partial slug (0.25) + identical title (0.40) + same day (0.15).
        assert_eq!(s.score, 0.8, "{s:?}");
    }

    #[test]
    fn dates_a_window_apart_add_nothing() {
        let mut a = audio("unrelated", None);
        a.date = date("2026-06-03T09:00:00-04:00");
        let s = article_audio(&article(), &a, &b(), &Thresholds::default());
        assert_eq!(s.score, 0.0, "{s:?}");
        a.date = date("2026-05-20T09:00:00-04:00");
        let s = article_audio(&article(), &a, &b(), &Thresholds::default());
        assert_eq!(s.score, round3(DATE * (1.0 - 7.0 / 21.0)), "{s:?}");
    }
}
