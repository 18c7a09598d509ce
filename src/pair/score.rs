//! Scoring one article against one audio file or one video.
//!
//! Each signal is a log-likelihood ratio in nats: how much more likely the
//! observation is if the two belong together than if they do not. Signals are
//! independent enough to add; contradictions are negative, so they lower the
//! score instead of merely not raising it. The total `L` maps to a score in
//! 0..1 with `σ(L − 1.3)`, which puts `L = 3.5` (33 : 1 for) at 0.90.
//!
//! | signal | nats |
//! |---|---|
//! | explicit link: embed, article URL or slug in the tags / description | decisive (score 1.0) |
//! | shared words, each weighted by its rarity `w = ln((N+20)/(df+1))` among the N articles | + Σ w |
//! | a candidate word the article lacks (it points elsewhere) | − w (−1.0 if no article has it) |
//! | an article word the candidate lacks (names abbreviate) | − 0.15 w |
//! | a title or name equals the article's title or slug, word for word (on top) | +4.0 (one word: +2.0) |
//! | episode numbers agree / differ | +3.0 / −6.0 |
//! | part numbers agree / differ / only one side has one | +2.0 / −8.0 / −1.5 |
//! | dates ≤ 1 / 3 / 10 days apart; > 45 / 365 days apart | +2.0 / +1.5 / +0.75; −1.5 / −3.0 |
//! | the candidate is a trailer, teaser, outtake… and the article is not | −15.0 |
//! | the video is a Short, a live stream, a premiere or a re-upload | −20.0 |
//!
//! A few function words (`a`, `the`, `to`…) are ignored; `what`, `how`, `why`
//! count, weighted by rarity like every other word: they tell "What to Do
//! About Anxiety" from "Understanding Anxiety".

use super::name::{self, Name};
use super::normalize::{Branding, clean_title};
use crate::youtube::VideoId;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// An equal title or name of at least two words, in the same order (on top of the words).
pub(crate) const EXACT: f64 = 4.0;
/// An equal one-word title or name.
pub(crate) const EXACT_ONE_WORD: f64 = 2.0;
/// A candidate word that no article has (a guest's name, a typo).
pub(crate) const UNKNOWN_WORD: f64 = 1.0;
/// Share of its rarity an article word the candidate lacks costs (file names abbreviate).
pub(crate) const MISSING_WORD: f64 = 0.15;
pub(crate) const EPISODE_AGREE: f64 = 3.0;
pub(crate) const EPISODE_DIFFER: f64 = -6.0;
pub(crate) const PART_AGREE: f64 = 2.0;
pub(crate) const PART_DIFFER: f64 = -8.0;
pub(crate) const PART_ONE_SIDED: f64 = -1.5;
pub(crate) const DECOY: f64 = -15.0;
pub(crate) const NOT_AN_EPISODE_VIDEO: f64 = -20.0;
/// `L` at which the score is 0.5.
pub(crate) const OFFSET: f64 = 1.3;
/// Floor of the word-overlap signal, so words never outvote an explicit link's rival evidence entirely.
const OVERLAP_MIN: f64 = -10.0;

/// Thresholds of the decision (see [`super::plan`]); `[pairing]` in `mspod.toml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Thresholds {
    /// At or above: accepted without asking, if the margin holds.
    pub auto_accept: f64,
    /// Below: not even proposed.
    pub propose_min: f64,
    /// The best candidate's log-likelihood must beat every alternative by this many nats.
    pub margin_nats: f64,
}

impl From<&crate::load::Pairing> for Thresholds {
    fn from(p: &crate::load::Pairing) -> Self {
        Thresholds {
            auto_accept: p.auto_accept,
            propose_min: p.propose_min,
            margin_nats: p.margin_nats,
        }
    }
}

/// The defaults of `[pairing]`, which `load` owns.
impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::from(&crate::load::Pairing::default())
    }
}

/// Score in 0..1 ↔ log-likelihood. Only an explicit link scores 1.0, so
/// anything else stops at 0.999.
pub(crate) fn score_of(llr: f64) -> f64 {
    round3(1.0 / (1.0 + (-(llr - OFFSET)).exp())).min(0.999)
}

#[cfg(test)] // the inverse of `score_of`, for tests that reason in scores
pub(crate) fn llr_of(score: f64) -> f64 {
    let s = score.clamp(1e-6, 1.0 - 1e-6);
    OFFSET + (s / (1.0 - s)).ln()
}

/// An article, reduced to what pairing looks at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArticleCandidate {
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
    /// Front matter `episode`, JSON-LD `episodeNumber`, or `Ep. N` in the title.
    pub episode: Option<u32>,
}

/// An audio file, reduced to what pairing looks at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AudioCandidate {
    pub path: PathBuf,
    /// The file stem without date and episode-number prefixes.
    pub slug: String,
    /// The ID3 / container title tag.
    pub title: Option<String>,
    /// The date tag, when it holds a full date.
    pub date: Option<DateTime<FixedOffset>>,
    /// Tag values that may hold a link to the article (comment, url, description…).
    pub link_text: Vec<String>,
    /// The track number tag (ID3 TRCK).
    pub track: Option<u32>,
}

/// A YouTube video, reduced to what pairing looks at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VideoCandidate {
    pub id: VideoId,
    pub title: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// The video description (channel feed `media:description`), if known.
    pub description: String,
    /// Why this is not an episode's video (a Short, a live stream, a re-upload…), if it is not.
    pub not_episode: Option<String>,
}

/// How one article relates to one audio file or video.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Score {
    /// 0..=1; explicit evidence gives exactly 1.
    pub score: f64,
    /// Decisive evidence was found.
    pub explicit: bool,
    /// The sum of the signals in nats (explicit links not counted), which
    /// also ranks several explicit candidates against each other.
    #[serde(skip)]
    pub llr: f64,
    /// Human-readable reasons, explicit first, then each signal with its nats.
    pub evidence: Vec<String>,
}

/// The text settings: branding to strip and extra noise words.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    pub branding: Branding,
    /// Literal phrases stripped from titles before anything else (`[pairing] branding`).
    pub branding_phrases: Vec<String>,
    /// Words of the show's title: removed from file names that carry them.
    pub show_words: Vec<String>,
    /// `[pairing] noise_words`.
    pub noise: Vec<String>,
}

impl Text {
    fn title(&self, title: &str) -> (Name, Name) {
        let mut t = super::normalize::fold(title);
        for phrase in &self.branding_phrases {
            let p = super::normalize::fold(phrase);
            if !p.trim().is_empty() {
                t = t.replace(p.trim(), " ");
            }
        }
        let raw = name::parse_title(&t, &self.noise);
        let cleaned = name::parse_title(&clean_title(&t, &self.branding), &self.noise);
        (raw, cleaned)
    }

    fn file(&self, stem: &str) -> Name {
        let mut n = name::parse_file(stem, &self.noise);
        let k = self.show_words.len();
        if k >= 1
            && n.words.len() > k
            && let Some(at) = n
                .words
                .windows(k)
                .position(|w| w == self.show_words.as_slice())
        {
            n.words.drain(at..at + k);
            n.stems = name::parse_file(&n.words.join(" "), &self.noise).stems;
        }
        n
    }
}

/// Where a name came from, for evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Source {
    Slug,
    ArticleTitle,
    FileName,
    Id3Title,
    VideoTitle,
    Track,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Slug => "slug",
            Source::ArticleTitle => "article title",
            Source::FileName => "file name",
            Source::Id3Title => "ID3 title",
            Source::VideoTitle => "video title",
            Source::Track => "track number",
        }
    }
}

/// One side of a comparison, read once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    pub names: Vec<(Source, Name)>,
    pub stems: BTreeSet<String>,
    pub episode: Option<(u32, Source)>,
    pub part: Option<u32>,
    pub date: Option<NaiveDate>,
    pub decoy: Option<&'static str>,
    pub not_episode: Option<String>,
}

impl Features {
    fn finish(mut self, raw: &[(Source, &Name)]) -> Features {
        for (source, n) in raw
            .iter()
            .map(|(s, n)| (*s, *n))
            .chain(self.names.iter().map(|(s, n)| (*s, n)))
        {
            if self.episode.is_none()
                && let Some(e) = n.episode
            {
                self.episode = Some((e, source));
            }
            self.part = self.part.or(n.part);
            self.date = self.date.or(n.date);
            self.decoy = self.decoy.or(n.decoy);
        }
        self.names.retain(|(_, n)| !n.words.is_empty());
        self.stems = self
            .names
            .iter()
            .flat_map(|(_, n)| n.stems.iter().cloned())
            .collect();
        self
    }

    pub(crate) fn article(a: &ArticleCandidate, text: &Text) -> Features {
        let slug = text.file(&a.slug);
        let (raw, title) = text.title(&a.title);
        let f = Features {
            names: vec![(Source::ArticleTitle, title), (Source::Slug, slug)],
            episode: a.episode.map(|e| (e, Source::ArticleTitle)),
            date: a.published.map(|d| d.date_naive()),
            ..Features::default()
        };
        f.finish(&[(Source::ArticleTitle, &raw)])
    }

    pub(crate) fn audio(x: &AudioCandidate, text: &Text) -> Features {
        let stem = x
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut names = vec![(Source::FileName, text.file(&stem))];
        let mut raw_names = Vec::new();
        if let Some(t) = &x.title {
            let (raw, clean) = text.title(t);
            names.push((Source::Id3Title, clean));
            raw_names.push(raw);
        }
        let f = Features {
            names,
            episode: x.track.map(|t| (t, Source::Track)),
            ..Features::default()
        };
        let raws: Vec<(Source, &Name)> = raw_names.iter().map(|n| (Source::Id3Title, n)).collect();
        let mut f = f.finish(&raws);
        // A date in the file name is what the team wrote down; the tag is a fallback.
        f.date = f.date.or(x.date.map(|d| d.date_naive()));
        f
    }

    pub(crate) fn video(v: &VideoCandidate, text: &Text) -> Features {
        let (raw, clean) = text.title(v.title.as_deref().unwrap_or_default());
        let f = Features {
            names: vec![(Source::VideoTitle, clean)],
            date: v.published.map(|d| d.date_naive()),
            not_episode: v.not_episode.clone(),
            ..Features::default()
        };
        f.finish(&[(Source::VideoTitle, &raw)])
    }

    /// The keys an equal name is found by.
    pub(crate) fn keys(&self) -> impl Iterator<Item = String> + '_ {
        self.names
            .iter()
            .map(|(_, n)| n.key())
            .filter(|k| !k.is_empty())
    }
}

/// How rare each word is among the articles: a shared rare word says more.
#[derive(Debug, Clone, Default)]
pub(crate) struct Weights {
    n: usize,
    df: BTreeMap<String, usize>,
}

impl Weights {
    pub(crate) fn new<'a>(articles: impl IntoIterator<Item = &'a Features>) -> Weights {
        let mut w = Weights::default();
        for a in articles {
            w.n += 1;
            for s in &a.stems {
                *w.df.entry(s.clone()).or_default() += 1;
            }
        }
        w
    }

    pub(crate) fn df(&self, stem: &str) -> usize {
        self.df.get(stem).copied().unwrap_or(0)
    }

    /// `ln((N + 20) / (df + 1))`: 20 stands for the titles not in this archive,
    /// so a small archive does not make every word look rare.
    pub(crate) fn weight(&self, stem: &str) -> f64 {
        ((self.n as f64 + 20.0) / (self.df(stem) as f64 + 1.0))
            .ln()
            .max(0.3)
    }

    /// What a candidate word the article lacks costs: its rarity when other
    /// articles use it (it points at one of them), else a fixed amount.
    pub(crate) fn extra_weight(&self, stem: &str) -> f64 {
        if self.df(stem) == 0 {
            UNKNOWN_WORD
        } else {
            self.weight(stem)
        }
    }
}

/// Scores an article against an audio file or video. `explicit` holds the
/// decisive links already found; `explain` builds the evidence text.
pub(crate) fn score(
    a: &Features,
    c: &Features,
    explicit: Vec<String>,
    weights: &Weights,
    explain: bool,
) -> Score {
    let mut evidence = explicit;
    let is_explicit = !evidence.is_empty();
    let mut total = 0.0;
    let mut add = |llr: f64, why: &dyn Fn() -> String, evidence: &mut Vec<String>| {
        total += llr;
        if explain {
            evidence.push(format!("{} ({llr:+.1})", why()));
        }
    };

    // Equal names, in the same order: the strongest one found.
    let mut exact: Option<(f64, Source, Source)> = None;
    for (cs, cn) in &c.names {
        for (as_, an) in &a.names {
            if cn.words == an.words && !cn.stems.is_empty() {
                let llr = if cn.words.len() >= 2 {
                    EXACT
                } else {
                    EXACT_ONE_WORD
                };
                if exact.is_none_or(|e| llr > e.0) {
                    exact = Some((llr, *cs, *as_));
                }
            }
        }
    }
    if let Some((llr, cs, as_)) = exact {
        add(
            llr,
            &|| format!("{} equals the {}", cs.as_str(), as_.as_str()),
            &mut evidence,
        );
    }

    // Word overlap: the candidate name that agrees best. A shared word adds
    // its rarity; a word of the candidate's that the article lacks subtracts
    // its rarity (it points at another article); a word of the article's the
    // candidate lacks subtracts a little (file names abbreviate).
    let best = c
        .names
        .iter()
        .filter(|(_, n)| !n.stems.is_empty())
        .map(|(s, n)| {
            let shared: Vec<&String> = n.stems.intersection(&a.stems).collect();
            let gain: f64 = shared.iter().map(|w| weights.weight(w)).sum();
            let extra: f64 = n
                .stems
                .difference(&a.stems)
                .map(|w| weights.extra_weight(w))
                .sum();
            let missing: f64 = a
                .stems
                .difference(&n.stems)
                .map(|w| MISSING_WORD * weights.weight(w))
                .sum();
            let llr = (gain - extra - missing).max(OVERLAP_MIN);
            let n_extra = n.stems.len() - shared.len();
            (llr, *s, shared, n_extra)
        })
        .max_by(|x, y| x.0.total_cmp(&y.0));
    if let Some((llr, source, shared, n_extra)) = best {
        add(
            llr,
            &|| {
                let words: Vec<&str> = shared.iter().map(|s| s.as_str()).collect();
                format!(
                    "{} shares {} word(s) with the article [{}] and has {n_extra} it lacks",
                    source.as_str(),
                    shared.len(),
                    words.join(" ")
                )
            },
            &mut evidence,
        );
    }
    if let (Some((ea, asrc)), Some((ec, csrc))) = (a.episode, c.episode) {
        if ea == ec {
            add(
                EPISODE_AGREE,
                &|| {
                    format!(
                        "episode {ea} in the {} and the {}",
                        csrc.as_str(),
                        asrc.as_str()
                    )
                },
                &mut evidence,
            );
        } else {
            add(
                EPISODE_DIFFER,
                &|| {
                    format!(
                        "episode {ec} in the {}, but {ea} in the {}",
                        csrc.as_str(),
                        asrc.as_str()
                    )
                },
                &mut evidence,
            );
        }
    }

    match (a.part, c.part) {
        (Some(x), Some(y)) if x == y => {
            add(PART_AGREE, &|| format!("both are part {x}"), &mut evidence)
        }
        (Some(x), Some(y)) => add(
            PART_DIFFER,
            &|| format!("part {y}, but the article is part {x}"),
            &mut evidence,
        ),
        (Some(x), None) => add(
            PART_ONE_SIDED,
            &|| format!("the article is part {x}; the candidate names no part"),
            &mut evidence,
        ),
        (None, Some(y)) => add(
            PART_ONE_SIDED,
            &|| format!("part {y}; the article names no part"),
            &mut evidence,
        ),
        (None, None) => {}
    }

    if let (Some(x), Some(y)) = (a.date, c.date) {
        let days = (x - y).num_days().abs();
        let llr = match days {
            0..=1 => 2.0,
            2..=3 => 1.5,
            4..=10 => 0.75,
            11..=45 => 0.0,
            46..=365 => -1.5,
            _ => -3.0,
        };
        if llr != 0.0 {
            add(llr, &|| format!("dates {days} day(s) apart"), &mut evidence);
        }
    }

    if let Some(kind) = c.decoy
        && a.decoy.is_none()
    {
        add(
            DECOY,
            &|| format!("the candidate is a {kind}; the article is not"),
            &mut evidence,
        );
    }
    // Counted even next to an explicit link: it ranks the original above its
    // re-upload when the description of both links the article.
    if let Some(why) = &c.not_episode {
        add(NOT_AN_EPISODE_VIDEO, &|| why.clone(), &mut evidence);
    }

    let llr = round3(total);
    Score {
        score: if is_explicit { 1.0 } else { score_of(llr) },
        explicit: is_explicit,
        llr,
        evidence,
    }
}

/// Decisive links between an article and an audio file: its URL or slug in the tags.
pub(crate) fn audio_links(article: &ArticleCandidate, audio: &AudioCandidate) -> Vec<String> {
    for text in &audio.link_text {
        if let Some(url) = &article.url
            && contains_url(text, url)
        {
            return vec!["audio tags link the article URL".to_string()];
        }
        if names_slug(text, &article.slug) {
            return vec![format!("audio tags name the slug `{}`", article.slug)];
        }
    }
    Vec::new()
}

/// Decisive links between an article and a video: an embed, or the article in the description.
pub(crate) fn video_links(article: &ArticleCandidate, video: &VideoCandidate) -> Vec<String> {
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
    explicit
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
pub(crate) fn contains_url(text: &str, url: &str) -> bool {
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
pub(crate) fn names_slug(text: &str, slug: &str) -> bool {
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

/// Path segments in `text` that could be an article slug (for finding explicit links fast).
pub(crate) fn linked_segments(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut out = vec![lower.trim().to_string()];
    for piece in
        lower.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '(' | ')'))
    {
        if piece.contains('/') {
            for seg in piece.split(['/', '?', '#']) {
                let seg = seg.trim_end_matches('.');
                if !seg.is_empty() && !out.iter().any(|o| o == seg) {
                    out.push(seg.to_string());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(s).ok()
    }

    fn text() -> Text {
        Text {
            branding: Branding::new(["MentalSpace Therapy"]),
            show_words: vec!["mentalspace".into(), "therapy".into()],
            ..Text::default()
        }
    }

    fn article(slug: &str, title: &str) -> ArticleCandidate {
        ArticleCandidate {
            path: format!("articles/{slug}.md").into(),
            slug: slug.into(),
            title: title.into(),
            url: Some(format!("https://example.org/blog/{slug}/")),
            published: date("2026-05-13T09:00:00-04:00"),
            video_ids: vec![],
            episode: None,
        }
    }

    fn grounding() -> ArticleCandidate {
        article(
            "grounding-techniques-for-panic",
            "Grounding Techniques for Panic Attacks",
        )
    }

    fn audio(file: &str, title: Option<&str>) -> AudioCandidate {
        AudioCandidate {
            path: format!("audio/{file}").into(),
            slug: String::new(),
            title: title.map(str::to_string),
            date: None,
            link_text: vec![],
            track: None,
        }
    }

    fn video(id: &str, title: &str, published: &str, description: &str) -> VideoCandidate {
        VideoCandidate {
            id: VideoId::parse(id).expect("test id"),
            title: Some(title.into()),
            published: date(published),
            description: description.into(),
            not_episode: None,
        }
    }

    /// Scores against a small archive: the article, a decoy and three unrelated ones.
    fn rate(a: &ArticleCandidate, c: &Features) -> Score {
        let t = text();
        let others = [
            article(
                "grounding-techniques-for-sleep",
                "Grounding Techniques for Better Sleep",
            ),
            article("relationship-as-medicine", "Relationship as Medicine"),
            article(
                "first-therapy-session",
                "What to Expect in Your First Therapy Session",
            ),
        ];
        let feats: Vec<Features> = std::iter::once(a)
            .chain(others.iter())
            .map(|x| Features::article(x, &t))
            .collect();
        let w = Weights::new(&feats);
        score(&feats[0], c, vec![], &w, true)
    }

    fn rate_audio(a: &ArticleCandidate, x: &AudioCandidate) -> Score {
        rate(a, &Features::audio(x, &text()))
    }

    #[test]
    fn an_equal_id3_title_is_enough_on_its_own() {
        let s = rate_audio(
            &grounding(),
            &audio(
                "track_0193.mp3",
                Some("Grounding Techniques for Panic Attacks"),
            ),
        );
        assert!(s.score >= Thresholds::default().auto_accept, "{s:?}");
        assert_eq!(s.evidence[0], "ID3 title equals the article title (+4.0)");
    }

    #[test]
    fn a_file_named_exactly_as_the_slug_is_enough_on_its_own() {
        let s = rate_audio(
            &grounding(),
            &audio("grounding-techniques-for-panic.mp3", None),
        );
        assert_eq!(s.score, 0.999, "{s:?}");
        assert_eq!(s.evidence[0], "file name equals the slug (+4.0)");
        let dated = rate_audio(
            &grounding(),
            &audio("2026-05-13-grounding-techniques-for-panic.mp3", None),
        );
        assert!(dated.llr > s.llr, "{dated:?}");
        assert!(
            dated
                .evidence
                .iter()
                .any(|e| e.starts_with("dates 0 day(s) apart (+2.0)")),
            "{dated:?}"
        );
    }

    #[test]
    fn an_abbreviated_file_name_with_noise_agrees_by_its_words() {
        let s = rate_audio(
            &grounding(),
            &audio("ep07_Grounding_Panic_FINAL_v2.mp3", None),
        );
        assert!(s.score >= Thresholds::default().auto_accept, "{s:?}");
        let decoy = rate_audio(
            &article(
                "grounding-techniques-for-sleep",
                "Grounding Techniques for Better Sleep",
            ),
            &audio("ep07_Grounding_Panic_FINAL_v2.mp3", None),
        );
        assert!(
            s.llr - decoy.llr >= Thresholds::default().margin_nats,
            "{s:?} {decoy:?}"
        );
        assert!(decoy.evidence[0].contains("has 1 it lacks"), "{decoy:?}");
    }

    #[test]
    fn camel_case_names_read_as_words() {
        let s = rate_audio(
            &grounding(),
            &audio("GroundingTechniquesForPanic.mp3", None),
        );
        assert_eq!(s.evidence[0], "file name equals the slug (+4.0)");
    }

    #[test]
    fn episode_numbers_agree_or_contradict() {
        let mut a = grounding();
        a.episode = Some(7);
        let agree = rate_audio(&a, &audio("ep07-grounding.mp3", None));
        let differ = rate_audio(&a, &audio("ep08-grounding.mp3", None));
        assert!(
            agree
                .evidence
                .contains(&"episode 7 in the file name and the article title (+3.0)".to_string()),
            "{agree:?}"
        );
        assert!(
            differ.evidence.contains(
                &"episode 8 in the file name, but 7 in the article title (-6.0)".to_string()
            ),
            "{differ:?}"
        );
        assert!((agree.llr - differ.llr - 9.0).abs() < 1e-9);
        let mut tagged = audio("grounding.mp3", None);
        tagged.track = Some(7);
        assert!(
            rate_audio(&a, &tagged)
                .evidence
                .iter()
                .any(|e| e.starts_with("episode 7 in the track number"))
        );
    }

    #[test]
    fn dates_far_apart_count_against() {
        let near = rate_audio(&grounding(), &audio("2026-05-15 grounding panic.mp3", None));
        let far = rate_audio(&grounding(), &audio("2024-05-15 grounding panic.mp3", None));
        assert!(
            near.evidence
                .iter()
                .any(|e| e == "dates 2 day(s) apart (+1.5)"),
            "{near:?}"
        );
        assert!(
            far.evidence
                .iter()
                .any(|e| e.ends_with("day(s) apart (-3.0)")),
            "{far:?}"
        );
        assert!(far.score < near.score);
    }

    #[test]
    fn parts_must_agree() {
        let a = article("grounding-part-2", "Grounding, Part 2");
        let right = rate_audio(&a, &audio("grounding_pt2.mp3", None));
        let wrong = rate_audio(&a, &audio("grounding_pt1.mp3", None));
        assert!(
            right.score >= 0.9 && wrong.score < 0.1,
            "{right:?} {wrong:?}"
        );
    }

    #[test]
    fn a_teaser_with_the_same_title_is_not_the_episode() {
        let s = rate_audio(
            &grounding(),
            &audio(
                "grounding-techniques-for-panic-teaser.mp3",
                Some("Grounding Techniques for Panic Attacks"),
            ),
        );
        assert!(
            s.evidence
                .iter()
                .any(|e| e == "the candidate is a teaser; the article is not (-15.0)"),
            "{s:?}"
        );
        assert!(
            s.score
                < rate_audio(
                    &grounding(),
                    &audio("x.mp3", Some("Grounding Techniques for Panic Attacks"))
                )
                .score
        );
    }

    #[test]
    fn video_titles_lose_branding_and_shorts_stay_out() {
        let v = video(
            "AAAAAAAAAAA",
            "Ep. 3: Grounding Techniques for Panic Attacks | MentalSpace Therapy",
            "2026-05-13T13:00:00Z",
            "",
        );
        let s = rate(&grounding(), &Features::video(&v, &text()));
        assert_eq!(s.evidence[0], "video title equals the article title (+4.0)");
        let mut short = v.clone();
        short.not_episode = Some("a Short (#shorts)".into());
        let s = rate(&grounding(), &Features::video(&short, &text()));
        assert!(s.score < 0.01, "{s:?}");
    }

    #[test]
    fn explicit_links_are_decisive() {
        let mut a = audio("ep03.mp3", None);
        a.link_text =
            vec!["Read more: http://example.org/blog/grounding-techniques-for-panic".into()];
        assert_eq!(
            audio_links(&grounding(), &a),
            ["audio tags link the article URL"]
        );
        let mut art = grounding();
        art.video_ids = vec![VideoId::parse("Gp4nT8wLqZc").expect("id")];
        let v = video("Gp4nT8wLqZc", "Something else", "2026-01-01T00:00:00Z", "");
        assert_eq!(
            video_links(&art, &v),
            ["article embeds or links video Gp4nT8wLqZc"]
        );
        let t = text();
        let s = score(
            &Features::article(&art, &t),
            &Features::video(&v, &t),
            video_links(&art, &v),
            &Weights::default(),
            true,
        );
        assert!(s.explicit && s.score == 1.0, "{s:?}");
        let v = video(
            "AAAAAAAAAAA",
            "Grounding",
            "2026-05-13T15:00:00Z",
            "Full article: https://example.org/blog/grounding-techniques-for-panic/\n0:00 Intro",
        );
        assert_eq!(
            video_links(&grounding(), &v),
            ["video description links the article URL"]
        );
        assert!(
            linked_segments(&v.description).contains(&"grounding-techniques-for-panic".to_string())
        );
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
    fn scores_and_log_likelihoods_map_both_ways() {
        assert_eq!(score_of(OFFSET), 0.5);
        assert!((llr_of(0.9) - 3.497).abs() < 0.01);
        assert_eq!((score_of(100.0), score_of(-100.0)), (0.999, 0.0));
    }

    #[test]
    fn a_shared_rare_word_says_more_than_a_common_one() {
        let t = text();
        let articles: Vec<ArticleCandidate> = (0..30)
            .map(|n| article(&format!("anxiety-note-{n}"), &format!("Anxiety note {n}")))
            .chain(std::iter::once(article("hoarding", "Hoarding")))
            .collect();
        let feats: Vec<Features> = articles.iter().map(|a| Features::article(a, &t)).collect();
        let w = Weights::new(&feats);
        assert!(w.weight("hoarding") > w.weight("anxiety") + 2.0);
        assert_eq!(w.extra_weight("zebra"), UNKNOWN_WORD);
    }

    #[test]
    fn configured_branding_phrases_and_noise_words_are_ignored() {
        let mut t = text();
        t.branding_phrases = vec!["The Calm Hour Podcast".into()];
        t.noise = vec!["bouncedown".into()];
        let v = VideoCandidate {
            id: VideoId::parse("AAAAAAAAAAA").expect("id"),
            title: Some("The Calm Hour Podcast: Grounding Techniques for Panic Attacks".into()),
            published: None,
            description: String::new(),
            not_episode: None,
        };
        let a = Features::article(&grounding(), &t);
        let w = Weights::new([&a]);
        let s = score(&a, &Features::video(&v, &t), vec![], &w, true);
        assert_eq!(
            s.evidence[0], "video title equals the article title (+4.0)",
            "{s:?}"
        );
        let x = audio("grounding_techniques_for_panic_bouncedown.mp3", None);
        let s = score(&a, &Features::audio(&x, &t), vec![], &w, true);
        assert_eq!(s.evidence[0], "file name equals the slug (+4.0)", "{s:?}");
    }
}
