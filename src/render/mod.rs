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

/// Renders the feed and every episode's notes. Problems that do not stop
/// publishing (a chapter list YouTube would reject, notes trimmed to fit) go to `warnings`.
pub fn render(show: &Show, warnings: &mut Vec<String>) -> Vec<Output> {
    let mut outputs = vec![Output {
        path: PathBuf::from(FEED_FILE),
        bytes: feed::render(show, warnings),
    }];
    for ep in &show.episodes {
        let dir = PathBuf::from(&ep.slug);
        outputs.push(Output {
            path: dir.join("show-notes.html"),
            bytes: page::render(show, ep).into_bytes(),
        });
        outputs.push(Output {
            path: dir.join("show-notes.md"),
            bytes: notes::markdown(show, ep).into_bytes(),
        });
        outputs.push(Output {
            path: dir.join("youtube-description.txt"),
            bytes: youtube::description(show, ep, warnings).into_bytes(),
        });
        if !ep.chapters.is_empty() {
            outputs.push(Output {
                path: dir.join("chapters.json"),
                bytes: chapters::json(ep),
            });
        }
    }
    outputs
}
