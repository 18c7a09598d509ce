//! Stage 5: render outputs.
//!
//! In: the [`Show`] model. Out: every output file as bytes, keyed by its path
//! relative to the output folder, in a fixed order. Rendering is pure: it
//! never reads the filesystem or the clock, so the same show always renders
//! to the same bytes.

mod anchors;
mod blocks;
mod chapters;
mod feed;
mod help;
mod layout;
mod notes;
mod page;
pub(crate) mod safe;
mod site;
pub(crate) mod theme;
mod youtube;

use crate::model::Show;
use rayon::prelude::*;
use std::path::PathBuf;

/// The feed's file name inside the output folder.
pub(crate) const FEED_FILE: &str = "podcast.xml";

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What an earlier publish rendered for an episode whose inputs have not changed
/// since, and whose files are still as it left them: reused instead of rendered.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Reused {
    /// The episode's `<item>` in the feed.
    pub item: String,
    /// Its files, relative to the output folder (left as they are).
    pub files: Vec<PathBuf>,
    /// The warnings rendering it gave.
    pub warnings: Vec<String>,
    /// Things worth knowing that need no action (shown by `publish -v`).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Everything a render produced.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// Files to write: the feed first, then the notes of every episode rendered now.
    pub outputs: Vec<Output>,
    /// Files of reused episodes, current as they are.
    pub kept: Vec<PathBuf>,
    /// What each episode rendered (or reused), by slug, for the next publish to reuse.
    pub episodes: Vec<(String, Reused)>,
}

/// Renders the feed and every episode's notes, reusing `reuse[slug]` where given.
/// Problems that do not stop publishing (a chapter list YouTube would reject,
/// notes trimmed to fit) go to `warnings`.
pub(crate) fn render(
    show: &mut Show,
    reuse: &mut std::collections::HashMap<String, Reused>,
    warnings: &mut Vec<String>,
) -> Rendered {
    let mut notes = Vec::new();
    let collect = &mut |files: Vec<Output>| {
        notes.extend(files);
        Ok(())
    };
    // The collecting sink cannot fail.
    let mut rendered = render_with(show, reuse, warnings, collect).unwrap_or_default();
    rendered.outputs.extend(notes);
    rendered
}

/// Episodes rendered (and handed to the sink) at a time: enough to keep every core
/// busy, few enough that a show's files are never all in memory at once.
const CHUNK: usize = 256;

/// [`render`], handing each batch of episode files to `sink` as soon as it is
/// rendered instead of keeping them: the result's `outputs` are then the feed and
/// the show pages only. Stops at the sink's first error. Once an episode is
/// rendered, what only its own files needed (the article's body, chapters,
/// transcript) is dropped from `show`, so memory does not grow with the show.
pub(crate) fn render_with(
    show: &mut Show,
    reuse: &mut std::collections::HashMap<String, Reused>,
    warnings: &mut Vec<String>,
    sink: &mut (dyn FnMut(Vec<Output>) -> crate::error::Result<()> + Send),
) -> crate::error::Result<Rendered> {
    let mut rendered = Rendered::default();
    // Renderers see the show's text cleaned (see `safe`); each episode is
    // cleaned as it is rendered, so reused ones cost nothing.
    let shell = Show {
        config: safe::config(&show.config),
        podcast_guid: show.podcast_guid.clone(),
        feeds_base_url: show.feeds_base_url.clone(),
        last_build: show.last_build,
        episodes: Vec::new(),
        update_frequency: show.update_frequency.clone(),
        cover: show.cover.clone(),
    };
    // Episodes render independently, so in parallel; collecting keeps their order.
    // The theme reads only its files; a copy leaves `show` free to be trimmed.
    let theme_files = show.config.theme.clone();
    let theme = theme::Theme::new(&theme_files);
    for c in 0..show.episodes.len().div_ceil(CHUNK) {
        let range = c * CHUNK..((c + 1) * CHUNK).min(show.episodes.len());
        let show_ref: &Show = show;
        let chunk = &show_ref.episodes[range.clone()];
        // Moved out of `reuse`: each is used once, by its own episode.
        let taken: Vec<Option<Reused>> = chunk.iter().map(|ep| reuse.remove(&ep.slug)).collect();
        let each: Vec<(Option<Vec<Output>>, Reused)> = chunk
            .par_iter()
            .zip(taken)
            .enumerate()
            .map(|(j, (ep, reused))| match reused {
                Some(r) => (None, r),
                None => {
                    let i = c * CHUNK + j;
                    let (files, reused) = episode(&theme, &shell, ep, neighbours(show_ref, i));
                    (Some(files), reused)
                }
            })
            .collect();
        let mut notes = Vec::new();
        for (ep, (files, reused)) in chunk.iter().zip(each) {
            warnings.extend(reused.warnings.iter().cloned());
            match files {
                Some(files) => notes.extend(files),
                None => rendered.kept.extend(reused.files.iter().cloned()),
            }
            rendered.episodes.push((ep.slug.clone(), reused));
        }
        for ep in &mut show.episodes[range] {
            trim(ep);
        }
        if !notes.is_empty() {
            sink(notes)?;
        }
    }
    let items: Vec<&str> = rendered
        .episodes
        .iter()
        .map(|(_, r)| r.item.as_str())
        .collect();
    // The channel (trailers, update frequency) and the show page see every
    // episode, cleaned like their own pages.
    // Only what those read is copied and cleaned (in parallel): cloning and cleaning
    // every article and transcript again cost an edit of one episode most of its time.
    let cleaned = Show {
        episodes: show
            .episodes
            .par_iter()
            .map(|e| safe::episode(&listing(e)).0)
            .collect(),
        ..shell
    };
    rendered
        .outputs
        .extend(feed_pages(&cleaned, &items, warnings));
    rendered
        .outputs
        .extend(site::pages(&theme, &cleaned, warnings));
    Ok(rendered)
}

/// Drops what [`listing`] leaves out, in place.
fn trim(ep: &mut crate::model::Episode) {
    let a = &mut ep.article;
    a.intro = Vec::new();
    a.sections.retain(|s| s.role == crate::article::Role::Help);
    a.faq = Vec::new();
    a.references = Vec::new();
    a.youtube_ids = Vec::new();
    a.warnings = Vec::new();
    ep.chapters = Vec::new();
    ep.transcript = None;
}

/// The part of an episode the channel (trailers) and the show page (its entry, the
/// help line) read: everything but the article's body (its help sections stay),
/// the chapters and the transcript. Cleaning is per field, so the fields kept
/// clean to the same text as in a full copy.
fn listing(ep: &crate::model::Episode) -> crate::model::Episode {
    let a = &ep.article;
    let article = crate::article::Article {
        title: a.title.clone(),
        description: a.description.clone(),
        published: a.published.clone(),
        updated: a.updated.clone(),
        canonical_url: a.canonical_url.clone(),
        author: a.author.clone(),
        intro: Vec::new(),
        sections: a
            .sections_with(crate::article::Role::Help)
            .cloned()
            .collect(),
        faq: Vec::new(),
        references: Vec::new(),
        youtube_ids: Vec::new(),
        markdown: a.markdown,
        warnings: Vec::new(),
    };
    crate::model::Episode {
        slug: ep.slug.clone(),
        guid: ep.guid.clone(),
        title: ep.title.clone(),
        link: ep.link.clone(),
        published: ep.published,
        season: ep.season,
        number: ep.number,
        kind: ep.kind,
        explicit: ep.explicit,
        enclosure: ep.enclosure.clone(),
        duration: ep.duration,
        media: ep.media.clone(),
        youtube: ep.youtube.clone(),
        youtube_short: ep.youtube_short,
        youtube_title: ep.youtube_title.clone(),
        summary: ep.summary.clone(),
        article,
        chapters: Vec::new(),
        notes_url: ep.notes_url.clone(),
        chapters_url: ep.chapters_url.clone(),
        tags: ep.tags.clone(),
        chapters_source: crate::model::ChapterSource::None,
        transcript: None,
    }
}

/// The episodes around the `i`-th (the show is newest first).
fn neighbours(show: &Show, i: usize) -> page::Neighbours<'_> {
    page::Neighbours {
        older: show.episodes.get(i + 1),
        newer: i.checked_sub(1).and_then(|j| show.episodes.get(j)),
    }
}

/// What an episode's page shows of its neighbours: when this changes, its page
/// must be rendered again (for incremental publishing).
pub(crate) fn neighbours_key(show: &Show, i: usize) -> String {
    let n = neighbours(show, i);
    [n.older, n.newer]
        .iter()
        .map(|e| e.map_or(String::new(), |e| format!("{}\u{1f}{}", e.slug, e.title)))
        .collect::<Vec<_>>()
        .join("\u{1e}")
}

/// One episode's files and feed item.
fn episode(
    theme: &theme::Theme,
    show: &Show,
    ep: &crate::model::Episode,
    nav: page::Neighbours,
) -> (Vec<Output>, Reused) {
    let (ep, mut own) = safe::episode(ep);
    let ep = &ep;
    let item = feed::item_xml(show, ep, &mut own);
    let dir = PathBuf::from(&ep.slug);
    let mut files = vec![
        Output {
            path: dir.join("show-notes.html"),
            bytes: page::render(theme, show, ep, nav, &mut own).into_bytes(),
        },
        Output {
            path: dir.join("show-notes.md"),
            bytes: notes::markdown(show, ep).into_bytes(),
        },
        Output {
            path: dir.join("youtube-description.txt"),
            bytes: youtube::description(show, ep, &mut own).into_bytes(),
        },
    ];
    if !ep.chapters.is_empty() {
        files.push(Output {
            path: dir.join("chapters.json"),
            bytes: chapters::json(ep),
        });
    }
    if let Some(t) = &ep.transcript {
        for &(name, _, _) in transcripts(ep) {
            let text = match name {
                "transcript.vtt" => crate::transcript::write::vtt(t),
                "transcript.srt" => crate::transcript::write::srt(t),
                _ => crate::transcript::write::json(t),
            };
            files.push(Output {
                path: dir.join(name),
                bytes: text.into_bytes(),
            });
        }
    }
    let reused = Reused {
        item,
        files: files.iter().map(|o| o.path.clone()).collect(),
        warnings: own,
        notes: anchors::note(show, ep).into_iter().collect(),
    };
    (files, reused)
}

/// The transcript files an episode publishes, as (file name, MIME type, timed
/// captions?), VTT first: converted from whichever format was given.
pub(crate) fn transcripts(
    ep: &crate::model::Episode,
) -> &'static [(&'static str, &'static str, bool)] {
    const ALL: &[(&str, &str, bool)] = &[
        ("transcript.vtt", "text/vtt", true),
        ("transcript.srt", "application/x-subrip", true),
        ("transcript.json", "application/json", false),
    ];
    if ep.transcript.is_some() { ALL } else { &[] }
}

/// `podcast.xml`, or with `[feed] max_items`, RFC 5005 pages: `podcast.xml`
/// holds the newest items and links to `podcast-2.xml`, … which hold the rest,
/// so the whole archive stays published.
fn feed_pages(show: &Show, items: &[&str], warnings: &mut Vec<String>) -> Vec<Output> {
    let per_page = show.config.max_items.unwrap_or(usize::MAX).max(1);
    let chunks: Vec<&[&str]> = if items.is_empty() {
        vec![&[][..]]
    } else {
        items.chunks(per_page).collect()
    };
    let name = |n: usize| {
        if n == 1 {
            FEED_FILE.to_string()
        } else {
            format!("podcast-{n}.xml")
        }
    };
    let url = |n: usize| {
        if n == 1 {
            show.config.feed_url.clone()
        } else {
            format!("{}{}", show.feeds_base_url, name(n))
        }
    };
    let last = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let n = i + 1;
            let mut links = Vec::new();
            if last > 1 {
                links.push(("first", url(1)));
                if n > 1 {
                    links.push(("previous", url(n - 1)));
                }
                if n < last {
                    links.push(("next", url(n + 1)));
                }
                links.push(("last", url(last)));
            }
            let page = feed::Page { url: url(n), links };
            Output {
                path: PathBuf::from(name(n)),
                bytes: feed::render(show, &page, chunk, warnings),
            }
        })
        .collect()
}
