//! The YouTube cache: last good channel feeds and oEmbed answers, as files
//! under `<root>/.mspod/youtube/`. Writes go through a temp file and a rename
//! so an interrupted run never leaves half a cache entry.

use std::path::{Path, PathBuf};

/// The cache folder of a content root.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// `<root>/.mspod/youtube`.
    pub fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(".mspod").join("youtube"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The last good copy of a feed URL.
    pub fn feed_path(&self, url: &str) -> PathBuf {
        // The first 8 bytes of the SHA-256 (16 hex digits) name the file.
        let key = &crate::fs::digest(url.as_bytes())[..16];
        self.dir.join("feeds").join(format!("{key}.xml"))
    }

    /// The oEmbed answer for a video id.
    pub fn oembed_path(&self, id: &str) -> PathBuf {
        self.dir.join("oembed").join(format!("{id}.json"))
    }

    pub fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    /// Writes `text` atomically; a cache that cannot be written only costs a refetch.
    pub fn write(&self, path: &Path, text: &str) -> Result<(), String> {
        let parent = path
            .parent()
            .ok_or_else(|| format!("{}: no parent folder", path.display()))?;
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        crate::fs::write_file_atomic(path, text.as_bytes())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
