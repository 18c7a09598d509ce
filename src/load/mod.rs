//! Stage 1: load the content folder.
//!
//! In: a content root holding `mspod.toml` and `episodes/<slug>/episode.toml`.
//! Out: a typed [`Config`] and one [`Manifest`] per episode, each remembering
//! the file it came from. Every problem found is collected and reported
//! together, each naming its file and line.

mod config;
mod folders;
mod manifest;
mod pairing;
pub mod tags;
mod toml_error;
mod write;

pub use config::{
    AnchorScheme, Category, Config, KNOWN_LINKS, Owner, ShowConfig, ShowType, public_path,
};
pub use config::{CACHE_KINDS, DeployConfig, NotifyConfig, Target, check_template};
pub(crate) use folders::{FILE as FOLDERS_FILE, Folders};
use manifest::Folder;
pub use manifest::{Chapter, EpisodeType, Manifest};
pub(crate) use manifest::{ManifestFile, read_file as read_manifest_file};
pub(crate) use pairing::{Pairing, ShowBasics};
pub(crate) use write::ManifestDoc;

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
    load_with(root, None)
}

/// [`load`], skipping the episode folders `folders` remembers as unchanged (and
/// remembering the others).
pub(crate) fn load_with(root: &Path, folders: Option<&Folders>) -> Result<Content> {
    // `./episodes/x` reads worse than `episodes/x` in every message.
    let root = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    let config_path = root.join(CONFIG_FILE);
    if let Ok(meta) = std::fs::metadata(&config_path)
        && !meta.is_file()
    {
        return Err(Error::content(
            &config_path,
            format!("not a regular file (it is a {})", crate::fs::kind(&meta)),
        ));
    }
    if !config_path.is_file() {
        return Err(Error::Usage(format!(
            "{} not found: run `mspod publish` in a content folder (or pass --root), or create one with `mspod init`",
            config_path.display()
        )));
    }
    let real_root = crate::fs::canonical_root(root)?;
    let mut errors = Vec::new();
    let config = match crate::fs::confined_file(&real_root, &config_path)
        .map_err(|why| Error::content(&config_path, why))
        .and_then(|_| config::read(&config_path, root, &real_root))
    {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(e);
            None
        }
    };

    let episodes_dir = root.join(EPISODES_DIR);
    // Each folder is listed and its manifest read and its paths checked on its own
    // (file-system calls, mostly), so in parallel; collecting keeps the folders' order.
    let read: Vec<Result<Manifest>> = {
        use rayon::prelude::*;
        episode_dirs(&episodes_dir, &real_root)?
            .par_iter()
            .filter_map(|(dir, real)| episode(dir, real.as_deref(), &real_root, folders))
            .collect()
    };
    let mut manifests = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(m) => manifests.push(m),
            Err(e) => errors.push(e),
        }
    }
    Error::from_list(errors)?;
    // A config that failed to read left an error, returned above.
    let Some(config) = config else {
        return Err(Error::Internal(format!(
            "{}: not read, yet no error said why",
            config_path.display()
        )));
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

/// Reads the parts of `mspod.toml` that `mspod pair` and `mspod new` use, with the
/// same model and key checks as [`load`], on a show that has no episodes, or no
/// cover, yet. The caller says what to do when there is no `mspod.toml`.
pub(crate) fn read_show_basics(root: &Path) -> Result<ShowBasics> {
    let path = root.join(CONFIG_FILE);
    let real_root = crate::fs::canonical_root(root)?;
    crate::fs::confined_file(&real_root, &path).map_err(|why| Error::content(&path, why))?;
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    config::parse_basics(&text, &path)
}

/// The manifest of episode `slug` of the content in `root`, read again with the checks
/// `load` made (for a publish that let it go and needs it once more).
pub(crate) fn reload(root: &Path, slug: &str) -> Result<Manifest> {
    let real_root = crate::fs::canonical_root(root)?;
    let dir = root.join(EPISODES_DIR).join(slug);
    let real = confined_episode(&real_root, &dir).map_err(|why| Error::content(&dir, why))?;
    manifest::read(&dir, &real, &Folder::list(&real), &real_root)
}

/// Candidate episode folders: every sub-folder of `episodes/`, sorted by name, each
/// with where it really is when that is known without resolving links (a plain folder
/// inside a confined `episodes/`: most of them). Which hold a manifest, and whether
/// links stay inside the root, [`episode`] finds out, in parallel.
fn episode_dirs(episodes_dir: &Path, real_root: &Path) -> Result<Vec<(PathBuf, Option<PathBuf>)>> {
    let real_episodes = crate::fs::confined_dir(real_root, episodes_dir).ok();
    let mut dirs = Vec::new();
    for entry in crate::fs::read_dir(episodes_dir)? {
        let path = entry.path();
        if let (Some(real_episodes), Ok(kind)) = (&real_episodes, entry.file_type())
            && kind.is_dir()
        {
            dirs.push((path, Some(real_episodes.join(entry.file_name()))));
        } else if path.is_dir() {
            dirs.push((path, None));
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// The manifest of the folder `dir` (at `real`, if known), or `None` if it holds none
/// (assets, drafts without one: ignored). A folder or manifest that is a symlink leading
/// outside `real_root` is a content error, never read.
fn episode(
    dir: &Path,
    real: Option<&Path>,
    real_root: &Path,
    folders: Option<&Folders>,
) -> Option<Result<Manifest>> {
    // A plain folder: its listing settles it (no `stat` per name: a publish does this
    // for every episode), or the one remembered while the folder is as it was.
    if let Some(real) = real {
        let name = dir.file_name().and_then(|n| n.to_str());
        if let (Some(folders), Some(name)) = (folders, name)
            && let Some((folder, text)) = folders.get(name, real)
        {
            return Some(manifest::from_text(&text, dir, real, &folder, real_root));
        }
        // Seen before it is listed and read: a change meanwhile shows next time.
        let seen = folders.and_then(|_| std::fs::symlink_metadata(real).ok());
        let folder = Folder::list(real);
        if folder.is_regular(MANIFEST_FILE) {
            let manifest_seen = seen
                .as_ref()
                .and_then(|_| std::fs::symlink_metadata(real.join(MANIFEST_FILE)).ok());
            let text = match crate::fs::read_to_string(dir.join(MANIFEST_FILE)) {
                Ok(text) => text,
                Err(e) => return Some(Err(e)),
            };
            if let (Some(folders), Some(name), Some(seen), Some(manifest_seen)) =
                (folders, name, &seen, &manifest_seen)
            {
                folders.put(name, (seen, manifest_seen), &folder, &text);
            }
            return Some(manifest::from_text(&text, dir, real, &folder, real_root));
        }
        if !folder.has(MANIFEST_FILE) {
            // A folder named like an episode that can be neither listed nor looked into
            // is an error (no permission), never "no episode here": that would unpublish
            // it. (Others, such as a mount point's `lost+found`, are not episodes.)
            let file = dir.join(MANIFEST_FILE);
            let episode_like = name.is_some_and(manifest::is_slug);
            return match std::fs::symlink_metadata(real.join(MANIFEST_FILE)) {
                Err(e)
                    if episode_like
                        && folder.unlisted()
                        && e.kind() != std::io::ErrorKind::NotFound =>
                {
                    Some(Err(Error::io(&file, e)))
                }
                _ => None,
            };
        }
    }
    // Links take the long way, resolved and checked.
    if !dir.join(MANIFEST_FILE).is_file() {
        return None;
    }
    Some(
        confined_episode(real_root, dir)
            .map_err(|why| Error::content(dir, why))
            .and_then(|real| manifest::read(dir, &real, &Folder::list(&real), real_root)),
    )
}

/// Where episode folder `dir` really is, if it and its manifest stay inside `real_root`
/// (links resolved and checked); why not, else.
fn confined_episode(real_root: &Path, dir: &Path) -> std::result::Result<PathBuf, String> {
    let real = crate::fs::confined_dir(real_root, dir)?;
    crate::fs::confined_file_in(real_root, dir, &real, Path::new(MANIFEST_FILE))?;
    Ok(real)
}

/// Checks one `episode.toml`'s text as `load` would, for the fuzz target: the
/// manifest's files are looked for under a folder that does not exist.
pub fn check_manifest_text(text: &str) -> Result<()> {
    let dir = Path::new("/nonexistent-mspod-fuzz/episodes/ep");
    manifest::parse(
        text,
        &dir.join(MANIFEST_FILE),
        (dir, dir),
        &Folder::empty(),
        "ep".into(),
        Path::new("/nonexistent-mspod-fuzz"),
    )
    .map(|_| ())
}

/// Checks one `mspod.toml`'s text as `load` would, for the fuzz target.
pub fn check_config_text(text: &str) -> Result<()> {
    let root = Path::new("/nonexistent-mspod-fuzz");
    config::parse(text, &root.join(CONFIG_FILE), root, root).map(|_| ())
}
