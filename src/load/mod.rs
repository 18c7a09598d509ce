//! Stage 1: load the content folder.
//!
//! In: a content root holding `mspod.toml` and `episodes/<slug>/episode.toml`.
//! Out: a typed [`Config`] and one [`Manifest`] per episode, each remembering
//! the file it came from. Every problem found is collected and reported
//! together, each naming its file and line.

mod config;
mod manifest;
mod toml_error;

pub use config::{CACHE_KINDS, DeployConfig, NotifyConfig, Target};
pub use config::{Category, Config, Owner, ShowConfig, ShowType, public_path};
pub use manifest::{ChapterEntry, EpisodeType, Manifest};

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The name of the show configuration file.
pub const CONFIG_FILE: &str = "mspod.toml";
/// The folder that holds one sub-folder per episode.
pub const EPISODES_DIR: &str = "episodes";
/// The name of each episode's manifest.
pub const MANIFEST_FILE: &str = "episode.toml";

/// Everything read from the content folder, before any media or article is touched.
#[derive(Debug, Clone)]
pub struct Content {
    pub root: PathBuf,
    pub config: Config,
    /// Sorted by slug, so every later stage sees the same order.
    pub manifests: Vec<Manifest>,
}

/// Reads `mspod.toml` and every episode manifest under `root`.
pub fn load(root: &Path) -> Result<Content> {
    // `./episodes/x` reads worse than `episodes/x` in every message.
    let root = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    let config_path = root.join(CONFIG_FILE);
    if !config_path.is_file() {
        return Err(Error::Usage(format!(
            "{} not found: run `mspod publish` in a content folder (or pass --root), or create one with `mspod init`",
            config_path.display()
        )));
    }
    let mut errors = Vec::new();
    let config = match config::read(&config_path, root) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(e);
            None
        }
    };

    let episodes_dir = root.join(EPISODES_DIR);
    let mut manifests = Vec::new();
    for dir in episode_dirs(&episodes_dir)? {
        match manifest::read(&dir) {
            Ok(m) => manifests.push(m),
            Err(e) => errors.push(e),
        }
    }
    Error::from_list(errors)?;
    let Some(config) = config else {
        unreachable!("a missing config is an error returned above")
    };
    if manifests.is_empty() {
        return Err(Error::content(
            &episodes_dir,
            format!("no episodes: expected folders like {EPISODES_DIR}/<slug>/{MANIFEST_FILE}"),
        ));
    }
    Ok(Content {
        root: root.to_path_buf(),
        config,
        manifests,
    })
}

/// Episode folders: every sub-folder of `episodes/` that holds an `episode.toml`,
/// sorted by name. Other folders (assets, drafts without a manifest) are ignored.
fn episode_dirs(episodes_dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(episodes_dir).map_err(|e| Error::io(episodes_dir, e))?;
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(episodes_dir, e))?;
        let path = entry.path();
        if path.is_dir() && path.join(MANIFEST_FILE).is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}
