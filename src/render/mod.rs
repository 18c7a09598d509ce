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

pub(crate) mod cache;

use crate::model::{Episode, Listing, PageEntry, Show};
use std::path::PathBuf;
use std::sync::Arc;

pub(crate) use page::Neighbours;
pub(crate) use site::{Entries, SitePage};
pub(crate) use theme::PageWriter;

/// The feed's file name inside the output folder.
pub(crate) const FEED_FILE: &str = "podcast.xml";

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What rendering an episode gave besides its files' bytes: kept between
/// publishes (see [`cache`]), so an unchanged episode is not rendered again.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rendered {
    /// The episode's `<item>` in the feed.
    pub item: String,
    /// Its files, relative to the output folder.
    pub files: Vec<PathBuf>,
    /// The warnings rendering it gave.
    pub warnings: Vec<String>,
    /// Things worth knowing that need no action (shown by `publish -v`).
    #[serde(default)]
    pub notes: Vec<String>,
    /// What the show page lists of it.
    pub page: PageEntry,
}

/// One feed file (`podcast.xml`, or a page of a paged feed) around its items.
#[derive(Debug)]
pub(crate) struct FeedFile {
    pub path: PathBuf,
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
    /// The episodes (indices into the show, newest first) whose items it holds.
    pub episodes: std::ops::Range<usize>,
}

/// Renders a show: each episode's files one at a time ([`Renderer::episode`]), and
/// the show-level files from every episode's listing. Renderers see the show's text
/// cleaned (see `safe`); each episode is cleaned as it is rendered.
pub(crate) struct Renderer<'a> {
    theme: theme::Theme<'a>,
    /// The show without episodes, cleaned.
    shell: Show,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(show: &'a Show) -> Renderer<'a> {
        Renderer {
            theme: theme::Theme::new(&show.config.theme),
            shell: Show {
                config: safe::config(&show.config),
                podcast_guid: show.podcast_guid.clone(),
                feeds_base_url: show.feeds_base_url.clone(),
                last_build: show.last_build,
                episodes: Vec::new(),
                update_frequency: show.update_frequency.clone(),
                cover: show.cover.clone(),
            },
        }
    }

    /// One episode's files and feed item; `nav` are the episodes beside it.
    pub(crate) fn episode(&self, ep: &Episode, nav: Neighbours) -> (Vec<Output>, Rendered) {
        episode(&self.theme, &self.shell, ep, nav)
    }

    /// The feed files around their items (the episodes' items go between).
    pub(crate) fn feed_files(&self, show: &Show, warnings: &mut Vec<String>) -> Vec<FeedFile> {
        // The channel lists the trailers (podcast:trailer): only they are cleaned and copied.
        let channel = Show {
            episodes: show
                .episodes
                .iter()
                .filter(|e| e.kind == crate::load::EpisodeType::Trailer)
                .map(safe::listing)
                .collect(),
            ..self.shell.clone()
        };
        feed_files(&channel, show.episodes.len(), warnings)
    }

    /// The show's own pages (`index.html` and its pages) of `episodes` (the show's,
    /// newest first), each written when asked for from the listings cleaned and their
    /// `entries` read a block at a time: neither a copy of every listing nor a whole
    /// page is held. `helpline`: the newest episode's help line, if any has one.
    pub(crate) fn site(
        &self,
        episodes: Arc<Vec<Listing>>,
        entries: Arc<dyn Entries>,
        helpline: Option<&str>,
    ) -> Vec<SitePage<'_>> {
        site::pages(&self.theme, &self.shell, episodes, entries, helpline)
    }
}

/// The episodes around the `i`-th (the show is newest first).
pub(crate) fn neighbours(show: &Show, i: usize) -> Neighbours<'_> {
    Neighbours {
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
        .map(|e: &Option<&Listing>| {
            e.map_or(String::new(), |e| format!("{}\u{1f}{}", e.slug, e.title))
        })
        .collect::<Vec<_>>()
        .join("\u{1e}")
}

/// One episode's files and feed item.
fn episode(
    theme: &theme::Theme,
    show: &Show,
    ep: &crate::model::Episode,
    nav: page::Neighbours,
) -> (Vec<Output>, Rendered) {
    let page = site::page_entry(ep);
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
    let reused = Rendered {
        item,
        files: files.iter().map(|o| o.path.clone()).collect(),
        warnings: own,
        notes: anchors::note(show, ep).into_iter().collect(),
        page,
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
fn feed_files(show: &Show, n: usize, warnings: &mut Vec<String>) -> Vec<FeedFile> {
    let per_page = show.config.max_items.unwrap_or(usize::MAX).max(1);
    let last = n.div_ceil(per_page).max(1);
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
    (1..=last)
        .map(|p| {
            let mut links = Vec::new();
            if last > 1 {
                links.push(("first", url(1)));
                if p > 1 {
                    links.push(("previous", url(p - 1)));
                }
                if p < last {
                    links.push(("next", url(p + 1)));
                }
                links.push(("last", url(last)));
            }
            let page = feed::Page { url: url(p), links };
            let (head, tail) = feed::frame(show, &page, warnings);
            let start = ((p - 1).saturating_mul(per_page)).min(n);
            FeedFile {
                path: PathBuf::from(name(p)),
                head,
                tail,
                episodes: start..start.saturating_add(per_page).min(n),
            }
        })
        .collect()
}
