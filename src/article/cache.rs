//! Parsed articles, remembered between publishes: an article whose file has the
//! same size and modification time, read by the same mspod with the same
//! section rules, is not parsed again.
//!
//! One small JSON file per article (named by a hash of its path) under the
//! cache folder, so a publish that re-parses one article writes one file, and
//! nothing is held in memory beyond the articles in use. A missing or
//! unreadable entry is simply a miss.

use super::{Article, SectionRules};
use crate::error::Result;
use crate::fs::{Stamp, digest};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize)]
struct Entry {
    /// mspod's version and the section rules the article was parsed with.
    rules: String,
    path: PathBuf,
    size: u64,
    mtime_ns: u128,
    article: Article,
}

/// A cache folder, shared by worker threads (each entry is its own file).
pub struct Cache {
    dir: PathBuf,
    rules: String,
    fresh: bool,
}

impl Cache {
    /// The cache in `dir`; `rules` identifies the section rules. With `fresh`,
    /// nothing is read (everything is parsed again) but results are still stored.
    pub fn load(dir: &Path, rules: &str, fresh: bool) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            // "a2 author": entries from before `Section::own_id`, `Article::markdown` and `Article::author` are misses.
            rules: format!("{} a2 author {rules}", env!("CARGO_PKG_VERSION")),
            fresh,
        }
    }

    fn entry_file(&self, path: &Path) -> PathBuf {
        let name = digest(path.to_string_lossy().as_bytes());
        self.dir.join(format!("{}.json", &name[..32]))
    }

    /// The article at `path`, remembered or parsed now (and then remembered).
    pub fn parse(&self, path: &Path, rules: &SectionRules) -> Result<Article> {
        let stamp = Stamp::of(path);
        let file = self.entry_file(path);
        if !self.fresh
            && let Some(s) = &stamp
            && let Ok(bytes) = std::fs::read(&file)
            && let Ok(e) = serde_json::from_slice::<Entry>(&bytes)
            && e.rules == self.rules
            && e.path == path
            && e.size == s.size
            && e.mtime_ns == s.mtime_ns
        {
            return Ok(e.article);
        }
        let article = super::parse_file(path, rules)?;
        if let Some(s) = stamp {
            let entry = Entry {
                rules: self.rules.clone(),
                path: path.to_path_buf(),
                size: s.size,
                mtime_ns: s.mtime_ns,
                article,
            };
            // The cache only saves time: failing to store an entry is not an error.
            if let Ok(json) = serde_json::to_vec(&entry)
                && std::fs::create_dir_all(&self.dir).is_ok()
            {
                let _ = crate::fs::write_file_atomic(&file, &json);
            }
            return Ok(entry.article);
        }
        Ok(article)
    }
}
