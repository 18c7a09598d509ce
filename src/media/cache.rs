//! The metadata cache kept by `publish`, so a warm publish probes nothing.
//!
//! An entry is keyed by the file's path from the content root and is valid while the
//! file's size and modification time (nanoseconds) are unchanged; it holds the probe
//! result and, once asked for, the file's SHA-256 (content identity) so that is not
//! recomputed either.
//!
//! On disk: a [`Store`] (one file, an index in memory; an entry is read when asked for
//! and appended as it is made), so a publish of 100,000 episodes holds no probe
//! results. A missing, corrupt or older-format cache is simply empty.

use super::MediaInfo;
use crate::fs::RootNames;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bumped whenever a probe result for the same file could change (parser fixes), so
/// old entries are dropped instead of trusted.
const FORMAT: &str = "media 2";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    info: Option<MediaInfo>,
}

/// A probe cache shared by worker threads.
pub struct Cache {
    store: Store,
    /// Entries are keyed by paths from the content root.
    names: RootNames,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// The (size, mtime) stamp an entry must match (mtime 0 when the OS has none).
fn stamp(path: &Path) -> io::Result<(u64, u128)> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.len(), crate::fs::mtime_ns(&meta).unwrap_or(0)))
}

impl Cache {
    /// The cache in `path` of the audio under `root`; anything unreadable yields an
    /// empty cache.
    pub fn load(path: &Path, root: &Path) -> Cache {
        Cache::with(Store::open(path, FORMAT), root)
    }

    /// An empty cache that replaces the file at its first entry: `publish --no-cache`
    /// probes everything again.
    pub fn fresh(path: &Path, root: &Path) -> Cache {
        Cache::with(Store::fresh(path, FORMAT), root)
    }

    fn with(store: Store, root: &Path) -> Cache {
        Cache {
            store,
            names: RootNames::new(root),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    fn key(&self, path: &Path) -> String {
        self.names.name(path).to_string_lossy().into_owned()
    }

    /// The entry for `key` if its file still has this size and mtime.
    fn get(&self, key: &str, size: u64, mtime: u128) -> Option<Entry> {
        let entry: Entry = serde_json::from_slice(&self.store.get(key)?).ok()?;
        (entry.size == size && entry.mtime_ns == mtime).then_some(entry)
    }

    fn put(&self, key: &str, entry: &Entry) {
        if let Ok(json) = serde_json::to_vec(entry) {
            self.store.put(key, &json);
        }
    }

    /// The probe result for `path`: cached if its size and mtime are unchanged, else
    /// probed now and remembered. Errors are not cached (the next run tries again).
    pub fn probe(&self, path: &Path) -> Result<MediaInfo, String> {
        let (size, mtime) = stamp(path).map_err(|e| super::source::io_message(&e))?;
        let k = self.key(path);
        let known = self.get(&k, size, mtime);
        if let Some(info) = known.as_ref().and_then(|e| e.info.clone()) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(info);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let info = super::probe(path)?;
        let entry = Entry {
            size,
            mtime_ns: mtime,
            sha256: known.and_then(|e| e.sha256),
            info: Some(info.clone()),
        };
        self.put(&k, &entry);
        Ok(info)
    }

    /// [`Cache::probe`] and the file's SHA-256 (hex, its identity in mspod.lock), from
    /// one entry read and written once (what building an episode needs of its audio).
    pub fn probe_and_sha256(&self, path: &Path) -> (Result<MediaInfo, String>, io::Result<String>) {
        let (size, mtime) = match stamp(path) {
            Ok(s) => s,
            Err(e) => return (Err(super::source::io_message(&e)), Err(e)),
        };
        let k = self.key(path);
        let known = self.get(&k, size, mtime);
        let (known_info, known_hash) = match known {
            Some(e) => (e.info, e.sha256),
            None => (None, None),
        };
        let (cached_info, cached_hash) = (known_info.is_some(), known_hash.is_some());
        let hash = known_hash.map_or_else(|| sha256_file(path), Ok);
        let info = match known_info {
            Some(info) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(info)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                super::probe(path)
            }
        };
        // Errors are not cached: the next run tries again.
        if !(cached_info && cached_hash) && (info.is_ok() || hash.is_ok()) {
            let entry = Entry {
                size,
                mtime_ns: mtime,
                sha256: hash.as_ref().ok().cloned(),
                info: info.as_ref().ok().cloned(),
            };
            self.put(&k, &entry);
        }
        (info, hash)
    }

    /// Ends the run's changes (entries are written as they come; see [`Store::finish`]).
    pub fn save(&self) -> io::Result<()> {
        self.store.finish()
    }

    /// (hits, misses) of [`Cache::probe`] so far.
    pub fn stats(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }
}

/// The SHA-256 of a file's content, as lowercase hex.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    crate::fs::file_digest(path)
}
