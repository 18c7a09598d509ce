//! The metadata cache kept by `publish`, so a warm publish probes nothing.
//!
//! An entry is keyed by the path as given and is valid while the file's size and
//! modification time (nanoseconds) are unchanged; it holds the probe result and, once
//! asked for, the file's SHA-256 (content identity) so that is not recomputed either.
//! The file is JSON with sorted keys (deterministic, diff-friendly) and is replaced
//! atomically. A missing, corrupt or older-format cache is simply empty.

use super::MediaInfo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Bumped whenever a probe result for the same file could change (parser fixes), so
/// old entries are dropped instead of trusted.
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    info: Option<MediaInfo>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    entries: BTreeMap<String, Entry>,
}

/// A probe cache shared by worker threads.
pub struct Cache {
    file: PathBuf,
    entries: Mutex<BTreeMap<String, Entry>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Set when an entry was added or changed since loading.
    dirty: AtomicBool,
}

/// The (size, mtime) stamp an entry must match (mtime 0 when the OS has none).
fn stamp(path: &Path) -> io::Result<(u64, u128)> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.len(), crate::fs::mtime_ns(&meta).unwrap_or(0)))
}

fn key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Cache {
    /// Loads the cache file; anything unreadable yields an empty cache.
    pub fn load(file: &Path) -> Cache {
        let entries = std::fs::read(file)
            .ok()
            .and_then(|b| serde_json::from_slice::<CacheFile>(&b).ok())
            .filter(|c| c.format == FORMAT)
            .map(|c| c.entries)
            .unwrap_or_default();
        Cache {
            file: file.to_path_buf(),
            entries: Mutex::new(entries),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            dirty: AtomicBool::new(false),
        }
    }

    /// An empty cache that [`Cache::save`]s to `file`: `publish --no-cache` probes everything again.
    pub fn fresh(file: &Path) -> Cache {
        Cache {
            file: file.to_path_buf(),
            entries: Mutex::new(BTreeMap::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            dirty: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        // A panic in another thread cannot leave an entry half-written (inserts are
        // whole values), so a poisoned lock is still usable.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The probe result for `path`: cached if its size and mtime are unchanged, else
    /// probed now and remembered. Errors are not cached (the next run tries again).
    pub fn probe(&self, path: &Path) -> Result<MediaInfo, String> {
        let (size, mtime) = stamp(path).map_err(|e| super::source::io_message(&e))?;
        let k = key(path);
        if let Some(e) = self.lock().get(&k)
            && e.size == size
            && e.mtime_ns == mtime
            && let Some(info) = &e.info
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(info.clone());
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let info = super::probe(path)?;
        let mut map = self.lock();
        let entry = map.entry(k).or_insert_with(|| Entry {
            size,
            mtime_ns: mtime,
            sha256: None,
            info: None,
        });
        if entry.size != size || entry.mtime_ns != mtime {
            *entry = Entry {
                size,
                mtime_ns: mtime,
                sha256: None,
                info: None,
            };
        }
        entry.info = Some(info.clone());
        self.dirty.store(true, Ordering::Relaxed);
        Ok(info)
    }

    /// The file's SHA-256 (hex), from the cache when the file is unchanged.
    pub fn sha256(&self, path: &Path) -> io::Result<String> {
        let (size, mtime) = stamp(path)?;
        let k = key(path);
        if let Some(e) = self.lock().get(&k)
            && e.size == size
            && e.mtime_ns == mtime
            && let Some(h) = &e.sha256
        {
            return Ok(h.clone());
        }
        let hash = sha256_file(path)?;
        let mut map = self.lock();
        let entry = map.entry(k).or_insert_with(|| Entry {
            size,
            mtime_ns: mtime,
            sha256: None,
            info: None,
        });
        if entry.size != size || entry.mtime_ns != mtime {
            entry.size = size;
            entry.mtime_ns = mtime;
            entry.info = None;
        }
        entry.sha256 = Some(hash.clone());
        self.dirty.store(true, Ordering::Relaxed);
        Ok(hash)
    }

    /// Writes the cache: sorted JSON, replacing the file atomically.
    pub fn save(&self) -> io::Result<()> {
        if !self.dirty.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Serialized from a borrow, straight to the file: a large show's cache is never copied.
        #[derive(Serialize)]
        struct CacheRef<'a, E: Serialize> {
            format: u32,
            entries: &'a E,
        }
        let entries = self.lock();
        let data = CacheRef {
            format: FORMAT,
            entries: &*entries,
        };
        if let Some(dir) = self.file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        crate::fs::replace_atomic_with(&self.file, |w| {
            serde_json::to_writer_pretty(&mut *w, &data).map_err(io::Error::other)?;
            w.write_all(b"\n")
        })
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
