//! Parsed articles, remembered between publishes: an article whose file has the
//! same size and modification time, read with the same section rules, is not
//! parsed again. A missing or unreadable cache is an empty one.

use super::{Article, SectionRules};
use crate::error::Result;
use crate::incremental::Stamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    article: Article,
}

#[derive(Serialize, Deserialize)]
struct File {
    format: u32,
    /// mspod's version and the `[sections]` rules the entries were parsed with.
    rules: String,
    entries: BTreeMap<String, Entry>,
}

/// A cache shared by worker threads.
pub struct Cache {
    file: PathBuf,
    rules: String,
    entries: Mutex<BTreeMap<String, Entry>>,
    dirty: Mutex<bool>,
}

impl Cache {
    /// Loads `file` (unless `fresh`); `rules` identifies the section rules
    /// (entries made with other rules are dropped).
    pub fn load(file: &Path, rules: &str, fresh: bool) -> Cache {
        let rules = format!("{} {rules}", env!("CARGO_PKG_VERSION"));
        let entries = (!fresh)
            .then(|| std::fs::read(file).ok())
            .flatten()
            .and_then(|b| serde_json::from_slice::<File>(&b).ok())
            .filter(|f| f.format == FORMAT && f.rules == rules)
            .map(|f| f.entries)
            .unwrap_or_default();
        Cache {
            file: file.to_path_buf(),
            rules,
            entries: Mutex::new(entries),
            dirty: Mutex::new(false),
        }
    }

    /// The article at `path`, parsed now or remembered.
    pub fn parse(&self, path: &Path, rules: &SectionRules) -> Result<Article> {
        let key = path.to_string_lossy().into_owned();
        let stamp = Stamp::of(path);
        if let Some(s) = &stamp
            && let Some(e) = self
                .entries
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&key)
            && e.size == s.size
            && e.mtime_ns == s.mtime_ns
        {
            return Ok(e.article.clone());
        }
        let article = super::parse_file(path, rules)?;
        if let Some(s) = stamp {
            self.entries
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(
                    key,
                    Entry {
                        size: s.size,
                        mtime_ns: s.mtime_ns,
                        article: article.clone(),
                    },
                );
            *self.dirty.lock().unwrap_or_else(|p| p.into_inner()) = true;
        }
        Ok(article)
    }

    /// Writes the cache if anything was added, keeping only entries for `keep`.
    pub fn save(&self, keep: &[&Path]) -> std::io::Result<()> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let before = entries.len();
        let keep: std::collections::BTreeSet<String> = keep
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        entries.retain(|k, _| keep.contains(k));
        let dirty =
            *self.dirty.lock().unwrap_or_else(|p| p.into_inner()) || entries.len() != before;
        if !dirty {
            return Ok(());
        }
        let file = File {
            format: FORMAT,
            rules: self.rules.clone(),
            entries: std::mem::take(&mut *entries),
        };
        let json = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::publish::write_file_atomic(&self.file, &json)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(())
    }
}
