//! Stage 4: build the episode model.
//!
//! In: the loaded content, and for each manifest its probed audio and parsed
//! article. Out: a [`Show`], the one typed model every output is rendered
//! from. Cross-episode rules (unique GUIDs and enclosure URLs) are checked
//! here, and identity is reconciled with mspod.lock ([`identity`]). This
//! stage does no I/O.

pub mod anchors;
mod identity;

pub use identity::{Applied, Stated};
pub mod tags;

use crate::article::{Article, Block, Inline, Role};
use crate::error::{Error, Result};
// Defined below `load` (which derives a default `[show] guid`); the model names them here.
pub use crate::guid::{PODCAST_GUID_NAMESPACE, podcast_guid, podcast_guid_uuid};
use crate::load::{AnchorScheme, Content, EpisodeType, Manifest, ShowConfig};
use crate::lock::Lock;
use crate::media::MediaInfo;
use crate::transcript::Transcript;
use crate::youtube::VideoId;
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// The show and its episodes, newest first.
#[derive(Debug, Clone)]
pub struct Show {
    pub config: ShowConfig,
    /// `<podcast:guid>`: UUIDv5 of the feed URL without scheme and trailing slashes.
    pub podcast_guid: String,
    /// Where `feeds/` is served: the feed URL's folder, ending in `/`.
    pub feeds_base_url: String,
    /// `<lastBuildDate>` / channel `<pubDate>`: the newest episode's date, so
    /// the same content always gives the same feed.
    pub last_build: DateTime<Utc>,
    pub episodes: Vec<Listing>,
    /// `podcast:updateFrequency` (`update_frequency`, `complete`).
    pub update_frequency: Option<tags::Frequency>,
    /// The show cover's real size, for `podcast:image`.
    pub cover: Option<tags::Image>,
}

/// What the show-level outputs (the channel, the show pages, an episode's neighbours)
/// and mspod.lock know of an episode: small, so a show of any size keeps every
/// episode's listing in memory while only a few full [`Episode`]s exist at a time.
/// Stored per episode between publishes (`render::cache`), so an unchanged episode
/// is never built again.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Listing {
    pub slug: String,
    /// `<guid isPermaLink="false">`.
    pub guid: String,
    /// `<title>`, `<itunes:title>`, show-notes `<h1>`.
    pub title: String,
    /// Item `<link>`: the article's public URL.
    pub link: String,
    /// `<pubDate>`.
    pub published: DateTime<FixedOffset>,
    pub season: Option<u32>,
    pub number: Option<u32>,
    pub kind: EpisodeType,
    pub explicit: bool,
    pub enclosure: Enclosure,
    /// Exact duration in seconds; `<itunes:duration>` rounds it.
    pub duration: f64,
    pub youtube: Option<VideoId>,
    /// The video is a YouTube Short (vertical).
    pub youtube_short: bool,
    /// The video's own title from the YouTube cache `mspod pair` wrote (set by the
    /// pipeline, which reads the cache; never fetched by publish). `None`: use `title`.
    pub youtube_title: Option<String>,
    /// `feeds/<slug>/show-notes.html` once published.
    pub notes_url: String,
    /// `<podcast:chapters url>`, when there are chapters.
    pub chapters_url: Option<String>,
}

#[cfg(test)]
impl Listing {
    /// A plain published listing of episode `slug`, for tests of what reads listings.
    pub(crate) fn for_tests(slug: &str) -> Listing {
        serde_json::from_value(serde_json::json!({
            "slug": slug,
            "guid": format!("guid-{slug}"),
            "title": format!("Episode {slug}"),
            "link": format!("https://example.org/{slug}/"),
            "published": "2026-01-01T09:00:00Z",
            "season": null,
            "number": null,
            "kind": "full",
            "explicit": false,
            "enclosure": {"url": format!("https://media.example.org/{slug}.mp3"), "length": 1, "mime": "audio/mpeg"},
            "duration": 60.0,
            "youtube": null,
            "youtube_short": false,
            "youtube_title": null,
            "notes_url": format!("https://example.org/show/{slug}/show-notes.html"),
            "chapters_url": null
        }))
        .expect("a listing")
    }
}

/// What the show page shows of an episode beside its listing's title and dates: its
/// summary's first paragraph and its help line, as plain text (escaped where they are
/// written). Made when the episode is rendered and kept in its record, not in its
/// listing: the show page reads it back as it is written (at 100,000 episodes these
/// were a third of the listings' memory).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageEntry {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// One published episode, whole: its listing and what only its own files need.
#[derive(Debug, Clone)]
pub struct Episode {
    pub listing: Listing,
    /// The hook: the article's quick answer, or the manifest's `summary`.
    pub summary: Vec<Block>,
    /// The article's help section(s) (crisis lines).
    pub help: Vec<crate::article::Section>,
    pub article: Article,
    pub chapters: Vec<Chapter>,
    /// People, artwork, block, soundbites, location, video.
    pub tags: tags::ItemTags,
    /// Where `chapters` came from.
    pub chapters_source: ChapterSource,
    /// The checked transcript, when the episode has one.
    pub transcript: Option<Transcript>,
}

// An episode reads as its listing (`ep.title`), so code that needs only the listing
// takes `&Listing` and is handed either.
impl std::ops::Deref for Episode {
    type Target = Listing;
    fn deref(&self) -> &Listing {
        &self.listing
    }
}

impl std::ops::DerefMut for Episode {
    fn deref_mut(&mut self) -> &mut Listing {
        &mut self.listing
    }
}

/// Where an episode's chapters came from (recorded in `chapters.json` and shown by `publish -v`).
#[derive(Debug, Clone, PartialEq)]
pub enum ChapterSource {
    None,
    /// `[[chapters]]` in episode.toml.
    Manifest,
    /// The audio file's own chapters (ID3 CHAP, MP4).
    Audio,
    /// Aligned from the transcript and the article's sections.
    Derived {
        /// Per chapter after the first: how sure its start is (similarity margin).
        confidence: Vec<f64>,
        /// Mean similarity of each chapter's speech with its section.
        match_score: f64,
    },
}

impl ChapterSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            ChapterSource::None => "none",
            ChapterSource::Manifest => "manifest",
            ChapterSource::Audio => "audio",
            ChapterSource::Derived { .. } => "derived",
        }
    }
}

/// `<enclosure>`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Enclosure {
    pub url: String,
    pub length: u64,
    pub mime: String,
}

/// A chapter on the audio timeline (one type from the manifest to the outputs).
pub use crate::load::Chapter;

impl Listing {
    /// `<itunes:duration>`: whole seconds.
    pub fn duration_secs(&self) -> u64 {
        self.duration.round() as u64
    }

    /// `article_url#id`.
    pub fn section_url(&self, id: &str) -> String {
        let base = self.link.split('#').next().unwrap_or(&self.link);
        format!("{base}#{id}")
    }
}

impl Episode {
    /// The help section(s): crisis lines, kept whole.
    pub fn help(&self) -> Vec<&Block> {
        self.help.iter().flat_map(|s| &s.blocks).collect()
    }

    /// Takeaway items, in order.
    pub fn takeaways(&self) -> Vec<&[Inline]> {
        list_items(&self.article, Role::Takeaways)
    }

    /// Body sections: what the episode talks about, linked to the article.
    pub fn body_sections(&self) -> impl Iterator<Item = &crate::article::Section> {
        self.article.sections_with(Role::Body)
    }
}

fn list_items(article: &Article, role: Role) -> Vec<&[Inline]> {
    article
        .sections_with(role)
        .flat_map(|s| &s.blocks)
        .flat_map(|b| match b {
            Block::List { items, .. } => items.iter().map(Vec::as_slice).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// One episode's inputs, as gathered by the earlier stages.
pub struct Parts {
    pub manifest: Manifest,
    pub media: MediaInfo,
    pub article: Article,
    /// SHA-256 of the audio file, for identity in mspod.lock.
    pub audio_sha256: Option<String>,
    /// The probed `video_file`, if the manifest has one.
    pub video: Option<crate::media::VideoInfo>,
    /// The checked transcript, if the episode has one.
    pub transcript: Option<Transcript>,
}

/// What publishing may change about already-published episodes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Let a published episode's enclosure URL change (apps may download it again).
    pub allow_enclosure_change: bool,
    /// Let an episode in mspod.lock disappear from the feed.
    pub allow_removal: bool,
    /// Let a published episode's first pubDate change to the manifest's `published`.
    pub allow_date_change: bool,
    /// Accept `published` dates more than a day ahead of `now`.
    pub allow_future: bool,
    /// The current time, for the future-date check; `None` skips it.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

impl Policy {
    /// The options that change a publish's results, for its fingerprint (not the clock).
    pub fn fingerprint(&self) -> String {
        format!(
            "enclosure={} removal={} date={} future={}",
            self.allow_enclosure_change,
            self.allow_removal,
            self.allow_date_change,
            self.allow_future
        )
    }
}

/// Where a show's files are served, and its `podcast:guid`: what every episode's
/// URLs and default GUID derive from.
#[derive(Debug, Clone)]
pub struct Frame {
    /// `<podcast:guid>`: UUIDv5 of the feed URL without scheme and trailing slashes.
    pub podcast_guid: String,
    /// The feed URL's folder, ending in `/`.
    pub feeds_base_url: String,
}

impl Frame {
    pub fn of(show: &ShowConfig) -> Frame {
        let feeds_base_url = match show.feed_url.rfind('/') {
            Some(i) => show.feed_url[..=i].to_string(),
            None => format!("{}/", show.feed_url),
        };
        Frame {
            podcast_guid: podcast_guid(&show.feed_url),
            feeds_base_url,
        }
    }
}

/// One episode built from its inputs, before mspod.lock is applied (see [`assemble`]).
/// Problems go to `warnings` and `errors`.
pub fn episode(
    show: &ShowConfig,
    frame: &Frame,
    p: Parts,
    warnings: &mut Vec<String>,
    errors: &mut Vec<Error>,
) -> Episode {
    let Parts {
        manifest: m,
        media,
        article,
        video,
        transcript,
        ..
    } = p;
    let m = &m;
    let item_tags = tags::item_tags(
        show,
        m,
        article.author.as_deref(),
        media.duration,
        video.as_ref(),
        warnings,
        errors,
    );
    let title = m
        .title
        .clone()
        .or_else(|| Some(article.title.clone()).filter(|t| !t.trim().is_empty()))
        .or_else(|| media.tags.get("title").cloned())
        .unwrap_or_else(|| m.slug.clone());
    let (guid, published, enclosure_url) = manifest_identity(show, frame, m);

    let summary = summary(m, &article);
    if summary.is_empty() {
        warnings.push(format!("{}: no summary: the article has no \"Quick answer\" section, no description and no intro; add `summary` to episode.toml", m.file.display()));
    }

    let (chapters, chapters_source) = chapters(
        m,
        &media,
        &article,
        show.anchors,
        transcript.as_ref(),
        warnings,
    );
    for w in &media.warnings {
        warnings.push(format!("{}: {w}", m.audio.display()));
    }
    if let Some(last) = chapters.last()
        && last.start >= media.duration
    {
        warnings.push(format!(
            "{}: chapter \"{}\" starts at {:.0} s, after the audio ends ({:.0} s)",
            m.file.display(),
            last.title,
            last.start,
            media.duration
        ));
    }
    let base = &frame.feeds_base_url;
    let chapters_url = (!chapters.is_empty()).then(|| format!("{base}{}/chapters.json", m.slug));
    Episode {
        listing: Listing {
            notes_url: format!("{base}{}/show-notes.html", m.slug),
            chapters_url,
            slug: m.slug.clone(),
            guid,
            title,
            link: m.article_url.clone(),
            published,
            season: m.season,
            number: m.number,
            kind: m.kind,
            explicit: m.explicit.unwrap_or(show.explicit),
            enclosure: Enclosure {
                url: enclosure_url,
                length: media.bytes,
                mime: media.mime.clone(),
            },
            duration: media.duration,
            youtube: m.youtube.clone(),
            youtube_short: m.youtube_short,
            youtube_title: None,
        },
        summary,
        help: article.sections_with(Role::Help).cloned().collect(),
        tags: item_tags,
        chapters_source,
        transcript,
        chapters,
        article,
    }
}

/// The identity an episode's manifest gives it (GUID, date, enclosure URL), before
/// mspod.lock is applied.
fn manifest_identity(
    show: &ShowConfig,
    frame: &Frame,
    m: &Manifest,
) -> (String, DateTime<FixedOffset>, String) {
    let guid = m.guid.clone().unwrap_or_else(|| {
        // The article URL is the episode's public identity and is not edited casually
        // (changing it breaks the website too); mspod.lock freezes it once published.
        let ns = Uuid::parse_str(&frame.podcast_guid).unwrap_or(PODCAST_GUID_NAMESPACE);
        Uuid::new_v5(&ns, m.article_url.as_bytes()).to_string()
    });
    (guid, m.published, m.enclosure_url(&show.media_base_url))
}

/// Puts back the identity `m` gives a listing that had mspod.lock applied, so it can
/// be assembled again like a freshly built one.
pub fn draft_identity(show: &ShowConfig, frame: &Frame, m: &Manifest, listing: &mut Listing) {
    let (guid, published, url) = manifest_identity(show, frame, m);
    listing.guid = guid;
    listing.published = published;
    listing.enclosure.url = url;
}

/// The show from every episode's listing (in manifest order, with what its manifest
/// states and the SHA-256 of its audio), and the lock that records its identity:
/// mspod.lock is applied, cross-episode rules checked, episodes put newest first.
/// All problems are collected; warnings go to `warnings`.
pub fn assemble(
    content: &Content,
    mut episodes: Vec<Listing>,
    stated: &[identity::Stated],
    hashes: &[Option<String>],
    lock: Lock,
    policy: Policy,
    warnings: &mut Vec<String>,
) -> Result<(Show, Applied)> {
    let show = &content.config.show;
    let frame = Frame::of(show);
    let mut errors = Vec::new();
    let new_lock = identity::apply(
        lock,
        &mut episodes,
        stated,
        hashes,
        policy,
        warnings,
        &mut errors,
    );

    // Two items sharing an enclosure or a GUID would make apps merge or drop episodes.
    let mut by_url: HashMap<&str, &Listing> = HashMap::new();
    let mut by_guid: HashMap<&str, &Listing> = HashMap::new();
    for ep in &episodes {
        if let Some(other) = by_url.insert(&ep.enclosure.url, ep) {
            errors.push(Error::content(
                content.root.join(crate::load::EPISODES_DIR).join(&ep.slug),
                format!(
                    "episodes `{}` and `{}` have the same enclosure URL {}",
                    other.slug, ep.slug, ep.enclosure.url
                ),
            ));
        }
        if let Some(other) = by_guid.insert(&ep.guid, ep) {
            errors.push(Error::content(
                content.root.join(crate::load::EPISODES_DIR).join(&ep.slug),
                format!(
                    "episodes `{}` and `{}` have the same GUID {}",
                    other.slug, ep.slug, ep.guid
                ),
            ));
        }
    }
    Error::from_list(errors)?;

    episodes.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let last_build = episodes
        .iter()
        .map(|e| e.published.with_timezone(&Utc))
        .max()
        .unwrap_or_default();
    let dates: Vec<_> = episodes.iter().map(|e| (e.published, e.kind)).collect();
    let update_frequency = tags::frequency(show, &dates);
    if matches!(
        show.tags.update_frequency,
        Some(crate::load::tags::UpdateFrequency::Auto)
    ) && tags::auto_rule(&dates).is_none()
    {
        warnings.push(format!(
            "{}: `update_frequency = \"auto\"` needs at least three full episodes to read a schedule from; no podcast:updateFrequency written",
            content.root.join(crate::load::CONFIG_FILE).display()
        ));
    }
    let cover = show.tags.cover.as_ref().map(|a| tags::Image {
        url: show.image_url.clone(),
        width: a.width,
        height: a.height,
        mime: a.mime,
    });
    Ok((
        Show {
            config: show.clone(),
            podcast_guid: frame.podcast_guid,
            feeds_base_url: frame.feeds_base_url,
            last_build,
            episodes,
            update_frequency,
            cover,
        },
        new_lock,
    ))
}

impl Episode {
    /// Gives this episode the identity (GUID, first date, enclosure URL) and the
    /// cached video title its listing in the assembled show has.
    pub fn take_identity(&mut self, settled: &Listing) {
        self.listing.guid.clone_from(&settled.guid);
        self.listing.published = settled.published;
        self.listing
            .enclosure
            .url
            .clone_from(&settled.enclosure.url);
        self.listing
            .youtube_title
            .clone_from(&settled.youtube_title);
    }
}

fn summary(m: &Manifest, article: &Article) -> Vec<Block> {
    let paragraph = |text: &str| Block::Paragraph {
        text: vec![Inline::Text {
            text: text.trim().to_string(),
        }],
    };
    if let Some(s) = m.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        return s
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(paragraph)
            .collect();
    }
    let quick: Vec<Block> = article
        .sections_with(Role::Summary)
        .flat_map(|s| s.blocks.iter().cloned())
        .filter(|b| matches!(b, Block::Paragraph { .. }))
        .collect();
    if !quick.is_empty() {
        return quick;
    }
    if let Some(d) = article
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        return vec![paragraph(d)];
    }
    article
        .intro
        .iter()
        .find(|b| matches!(b, Block::Paragraph { .. }))
        .cloned()
        .into_iter()
        .collect()
}

/// Manifest chapters win; else chapters embedded in the audio; else chapters
/// derived from the transcript and the article. A chapter whose title names an
/// article section links to it.
fn chapters(
    m: &Manifest,
    media: &MediaInfo,
    article: &Article,
    scheme: AnchorScheme,
    transcript: Option<&Transcript>,
    warnings: &mut Vec<String>,
) -> (Vec<Chapter>, ChapterSource) {
    let base = m.article_url.split('#').next().unwrap_or(&m.article_url);
    let fragments = anchors::fragments(scheme, article);
    let section_url = |title: &str| {
        let key = normalise(title);
        article
            .sections
            .iter()
            .zip(&fragments)
            .find(|(s, _)| normalise(&s.title) == key)
            .map(|(_, f)| match f {
                Some(id) => format!("{base}#{id}"),
                None => base.to_string(),
            })
    };
    // A chapter given without a link links the section it names, if any.
    let linked = |start: f64, title: &str, url: &Option<String>| Chapter {
        start,
        title: title.to_string(),
        url: url.clone().or_else(|| section_url(title)),
    };
    if !m.chapters.is_empty() {
        let list = m
            .chapters
            .iter()
            .map(|c| linked(c.start, &c.title, &c.url))
            .collect();
        return (list, ChapterSource::Manifest);
    }
    if !media.chapters.is_empty() {
        let list = media
            .chapters
            .iter()
            .map(|c| linked(c.start, &c.title, &c.url))
            .collect();
        return (list, ChapterSource::Audio);
    }
    match transcript {
        Some(t) => derive_chapters(base, article, scheme, t, warnings),
        None => (Vec::new(), ChapterSource::None),
    }
}

/// The first chapter's title when the episode opens before its first aligned section.
pub const INTRODUCTION: &str = "Introduction";

/// Chapters aligned from the transcript and the article (see [`crate::transcript::align`]);
/// `base` is the article URL the chapters link into. Why there are none goes to `warnings`.
pub fn derive_chapters(
    base: &str,
    article: &Article,
    scheme: AnchorScheme,
    t: &Transcript,
    warnings: &mut Vec<String>,
) -> (Vec<Chapter>, ChapterSource) {
    use crate::transcript::align::{self, Alignment, SectionText};
    let mut sections = vec![SectionText {
        title: INTRODUCTION.to_string(),
        anchor: None,
        text: format!(
            "{0} {0} {0} {1}",
            article.title,
            blocks_plain(&article.intro)
        ),
    }];
    // What an episode talks through: everything but references and skipped parts.
    sections.extend(
        article
            .sections
            .iter()
            .zip(anchors::fragments(scheme, article))
            .filter(|(s, _)| !matches!(s.role, Role::References | Role::Skip))
            .map(|(s, anchor)| SectionText {
                title: s.title.clone(),
                anchor,
                // The heading counts three times: spoken transitions echo it.
                text: format!("{0} {0} {0} {1}", s.title, blocks_plain(&s.blocks)),
            }),
    );
    match align::align(&sections, &t.cues) {
        Alignment::Rejected(why) => {
            warnings.push(format!("{}: no chapters derived: {why}", t.file.display()));
            (Vec::new(), ChapterSource::None)
        }
        Alignment::Chapters {
            boundaries,
            dropped,
            match_score,
        } => {
            if !dropped.is_empty() {
                warnings.push(format!(
                    "{}: derived chapters leave out sections placed with low confidence: {}",
                    t.file.display(),
                    dropped.join("; ")
                ));
            }
            let mut list = Vec::new();
            let mut confidence = Vec::new();
            for (i, b) in boundaries.iter().enumerate() {
                let s = &sections[b.section];
                let mut start = b.start;
                if i == 0 {
                    // The first chapter starts at 0:00: the section itself when
                    // speech opens with it, else an introduction before it.
                    if b.section != 0 && start >= 1.0 {
                        list.push(Chapter {
                            start: 0.0,
                            title: INTRODUCTION.to_string(),
                            url: Some(base.to_string()),
                        });
                    } else {
                        start = 0.0;
                    }
                }
                if i > 0 || !list.is_empty() {
                    confidence.push(b.confidence);
                }
                list.push(Chapter {
                    start,
                    title: s.title.clone(),
                    url: Some(match &s.anchor {
                        Some(a) => format!("{base}#{a}"),
                        None => base.to_string(),
                    }),
                });
            }
            (
                list,
                ChapterSource::Derived {
                    confidence,
                    match_score,
                },
            )
        }
    }
}

/// The plain text of blocks, for text similarity.
fn blocks_plain(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Paragraph { text } | Block::Heading { text, .. } => {
                out.push_str(&crate::article::plain(text));
            }
            Block::List { items, .. } => {
                for i in items {
                    out.push_str(&crate::article::plain(i));
                    out.push(' ');
                }
            }
            Block::Table { head, rows } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    out.push_str(&crate::article::plain(cell));
                    out.push(' ');
                }
            }
            Block::Quote { blocks } => out.push_str(&blocks_plain(blocks)),
        }
        out.push(' ');
    }
    out
}

/// Lower case, letters, digits and single spaces: for comparing titles and names.
pub(crate) fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
