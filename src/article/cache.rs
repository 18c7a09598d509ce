//! Parsed articles, remembered between publishes: an article whose file has the
//! same size and modification time, read by the same mspod with the same
//! section rules, is not parsed again.
//!
//! One [`Store`] file: a publish that re-parses one article appends one line, a cold
//! publish creates one file (not one per article), and nothing is held in memory
//! beyond an index and the articles in use. A missing or unreadable entry is simply
//! a miss.

use super::{Article, SectionRules};
use crate::error::Result;
use crate::fs::RootNames;
use crate::fs::Stamp;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    article: Article,
}

/// Borrowed [`Entry`], as written.
#[derive(Serialize)]
struct EntryRef<'a> {
    size: u64,
    mtime_ns: u128,
    article: &'a Article,
}

/// The article cache, shared by worker threads.
pub struct Cache {
    store: Store,
    /// Entries are keyed by paths from the content root.
    names: RootNames,
}

impl Cache {
    /// The cache in the file `path` of the articles under `root`; `rules` identifies
    /// the section rules. With `fresh`, nothing is read (everything is parsed again) but
    /// results are still stored.
    pub fn load(path: &Path, root: &Path, rules: &str, fresh: bool) -> Cache {
        // Entries of another mspod or other section rules are misses: a store with
        // another header is empty.
        let what = format!("articles {} {rules}", env!("CARGO_PKG_VERSION"));
        Cache {
            store: match fresh {
                true => Store::fresh(path, &what),
                false => Store::open(path, &what),
            },
            names: RootNames::new(root),
        }
    }

    /// The article at `path`, remembered or parsed now (and then remembered).
    pub fn parse(&self, path: &Path, rules: &SectionRules) -> Result<Article> {
        let stamp = Stamp::of(path);
        let key = self.names.name(path);
        let key = key.to_string_lossy();
        if let Some(s) = &stamp
            && let Some(bytes) = self.store.get(&key)
            && let Ok(e) = serde_json::from_slice::<Entry>(&bytes)
            && e.size == s.size
            && e.mtime_ns == s.mtime_ns
        {
            return Ok(e.article);
        }
        let article = super::parse_file(path, rules)?;
        if let Some(s) = stamp {
            let entry = EntryRef {
                size: s.size,
                mtime_ns: s.mtime_ns,
                article: &article,
            };
            // The cache only saves time: failing to store an entry is not an error.
            if let Ok(json) = serde_json::to_vec(&entry) {
                self.store.put(&key, &json);
            }
        }
        Ok(article)
    }

    /// Ends the run's changes (see [`Store::finish`]).
    pub fn finish(&self) -> std::io::Result<()> {
        self.store.finish()
    }
}
