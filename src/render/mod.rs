//! Stage 5: render outputs.
//!
//! In: the [`Show`] model. Out: every output file as bytes, keyed by its path
//! relative to the output folder, in a fixed order. Rendering is pure: it
//! never reads the filesystem or the clock, so the same show always renders
//! to the same bytes.

mod blocks;
mod chapters;
mod feed;
mod notes;
mod page;
mod youtube;

pub use chapters::timestamp;

use crate::model::Show;
use rayon::prelude::*;
use std::path::PathBuf;

/// The feed's file name inside the output folder.
pub const FEED_FILE: &str = "podcast.xml";

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What an earlier publish rendered for an episode whose inputs have not changed
/// since, and whose files are still as it left them: reused instead of rendered.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Reused {
    /// The episode's `<item>` in the feed.
    pub item: String,
    /// Its files, relative to the output folder (left as they are).
    pub files: Vec<PathBuf>,
    /// The warnings rendering it gave.
    pub warnings: Vec<String>,
}

/// Everything a render produced.
#[derive(Debug, Default)]
pub struct Rendered {
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
pub fn render(
    show: &Show,
    reuse: &std::collections::HashMap<String, Reused>,
    warnings: &mut Vec<String>,
) -> Rendered {
    let mut rendered = Rendered::default();
    let mut notes = Vec::new();
    // Episodes render independently, so in parallel; collecting keeps their order.
    let each: Vec<(Option<Vec<Output>>, Reused)> = show
        .episodes
        .par_iter()
        .map(|ep| match reuse.get(&ep.slug) {
            Some(r) => (None, r.clone()),
            None => {
                let (files, reused) = episode(show, ep);
                (Some(files), reused)
            }
        })
        .collect();
    for (ep, (files, reused)) in show.episodes.iter().zip(each) {
        warnings.extend(reused.warnings.iter().cloned());
        match files {
            Some(files) => notes.extend(files),
            None => rendered.kept.extend(reused.files.iter().cloned()),
        }
        rendered.episodes.push((ep.slug.clone(), reused));
    }
    let items: Vec<&str> = rendered
        .episodes
        .iter()
        .map(|(_, r)| r.item.as_str())
        .collect();
    let feed = feed::render(show, &items, warnings);
    rendered.outputs.push(Output {
        path: PathBuf::from(FEED_FILE),
        bytes: feed,
    });
    rendered.outputs.extend(notes);
    rendered
}

/// One episode's files and feed item.
fn episode(show: &Show, ep: &crate::model::Episode) -> (Vec<Output>, Reused) {
    let mut own = Vec::new();
    let item = feed::item_xml(show, ep, &mut own);
    let dir = PathBuf::from(&ep.slug);
    let mut files = vec![
        Output {
            path: dir.join("show-notes.html"),
            bytes: page::render(show, ep).into_bytes(),
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
    let reused = Reused {
        item,
        files: files.iter().map(|o| o.path.clone()).collect(),
        warnings: own,
    };
    (files, reused)
}
