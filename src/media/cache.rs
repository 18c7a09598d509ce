//! The metadata cache kept by `publish`, so a warm publish probes nothing.
//!
//! An entry is keyed by the path as given and is valid while the file's size and
//! modification time (nanoseconds) are unchanged; it holds the probe result and, once
//! asked for, the file's SHA-256 (content identity) so that is not recomputed either.
//!
//! On disk: a header line, then one line per entry, `"<path>"<TAB>{entry}` (JSON
//! strings never hold a raw tab, so the key is found without parsing the entry). Only
//! an index (key → where its line is) is held in memory: an entry is read when asked
//! for, and a new one is appended at once, so a publish of 100,000 episodes holds no
//! probe results. A changed entry is appended again (the index points at the newest);
//! the file is rewritten without the old lines once they outweigh the live ones. A
//! missing, corrupt or older-format cache is simply empty.

use super::MediaInfo;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bumped whenever a probe result for the same file could change (parser fixes), so
/// old entries are dropped instead of trusted.
const FORMAT: u32 = 2;

/// Bytes of the file read at a time while indexing it.
const BLOCK: usize = 4 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    info: Option<MediaInfo>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
}

/// Where an entry's line is in the file.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: u64,
    len: u64,
}

#[derive(Default)]
struct State {
    index: HashMap<String, Slot>,
    /// The file, once opened for reading and appending (or created).
    file: Option<File>,
    /// Where the next line goes.
    end: u64,
    /// The file must be started afresh before the first line is added (missing,
    /// foreign format, a link in its place, or `--no-cache`).
    start_over: bool,
    /// The last line was cut short (a killed run): the next line starts on a new one.
    torn: bool,
    /// Lines were added since loading.
    dirty: bool,
}

/// A probe cache shared by worker threads.
pub struct Cache {
    path: PathBuf,
    state: Mutex<State>,
    hits: AtomicUsize,
    misses: AtomicUsize,
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
    /// Indexes the cache file; anything unreadable yields an empty cache.
    pub fn load(path: &Path) -> Cache {
        let state = index(path).unwrap_or(State {
            start_over: true,
            ..State::default()
        });
        Cache::with(path, state)
    }

    /// An empty cache that replaces the file at its first entry: `publish --no-cache`
    /// probes everything again.
    pub fn fresh(path: &Path) -> Cache {
        Cache::with(
            path,
            State {
                start_over: true,
                ..State::default()
            },
        )
    }

    fn with(path: &Path, state: State) -> Cache {
        Cache {
            path: path.to_path_buf(),
            state: Mutex::new(state),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in another thread cannot leave the index pointing at half a line
        // (a slot is set only once its line is written), so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The entry for `key` if its file still has this size and mtime.
    fn get(&self, key: &str, size: u64, mtime: u128) -> Option<Entry> {
        let state = self.lock();
        let slot = *state.index.get(key)?;
        let mut line = vec![0; slot.len as usize];
        state
            .file
            .as_ref()?
            .read_exact_at(&mut line, slot.at)
            .ok()?;
        drop(state);
        let tab = memchr::memchr(b'\t', &line)?;
        let entry: Entry = serde_json::from_slice(&line[tab + 1..]).ok()?;
        (entry.size == size && entry.mtime_ns == mtime).then_some(entry)
    }

    /// Appends `entry` for `key` (a failure to write only costs a probe next time).
    fn put(&self, key: String, entry: &Entry) {
        let Ok(mut line) = serde_json::to_vec(&key) else {
            return;
        };
        line.push(b'\t');
        if serde_json::to_writer(&mut line, entry).is_err() {
            return;
        }
        line.push(b'\n');
        let mut state = self.lock();
        if self.append(&mut state, &line).is_ok() {
            let at = state.end - line.len() as u64;
            state.index.insert(
                key,
                Slot {
                    at,
                    len: line.len() as u64,
                },
            );
        }
    }

    fn append(&self, state: &mut State, line: &[u8]) -> io::Result<()> {
        if state.start_over {
            *state = start(&self.path)?;
        }
        let file = state
            .file
            .as_ref()
            .ok_or_else(|| io::Error::other("closed"))?;
        if state.torn {
            file.write_all_at(b"\n", state.end)?;
            state.end += 1;
            state.torn = false;
        }
        file.write_all_at(line, state.end)?;
        state.end += line.len() as u64;
        state.dirty = true;
        Ok(())
    }

    /// The probe result for `path`: cached if its size and mtime are unchanged, else
    /// probed now and remembered. Errors are not cached (the next run tries again).
    pub fn probe(&self, path: &Path) -> Result<MediaInfo, String> {
        let (size, mtime) = stamp(path).map_err(|e| super::source::io_message(&e))?;
        let k = key(path);
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
        self.put(k, &entry);
        Ok(info)
    }

    /// The file's SHA-256 (hex), from the cache when the file is unchanged.
    pub fn sha256(&self, path: &Path) -> io::Result<String> {
        let (size, mtime) = stamp(path)?;
        let k = key(path);
        let known = self.get(&k, size, mtime);
        if let Some(h) = known.as_ref().and_then(|e| e.sha256.clone()) {
            return Ok(h);
        }
        let hash = sha256_file(path)?;
        let entry = Entry {
            size,
            mtime_ns: mtime,
            sha256: Some(hash.clone()),
            info: known.and_then(|e| e.info),
        };
        self.put(k, &entry);
        Ok(hash)
    }

    /// Finishes the cache file: entries are already written as they come; the file is
    /// rewritten without superseded lines once those outweigh the live ones.
    pub fn save(&self) -> io::Result<()> {
        let mut state = self.lock();
        if !state.dirty {
            return Ok(());
        }
        state.dirty = false;
        let live: u64 = state.index.values().map(|s| s.len).sum();
        let garbage = state.end.saturating_sub(live);
        if garbage <= live.max(4 << 10) {
            return Ok(());
        }
        let Some(old) = state.file.take() else {
            return Ok(());
        };
        let mut slots: Vec<(&String, Slot)> = state.index.iter().map(|(k, s)| (k, *s)).collect();
        // In file order: one sequential read of the old file.
        slots.sort_unstable_by_key(|(_, s)| s.at);
        let mut moved = Vec::with_capacity(slots.len());
        let mut at = header_line().len() as u64;
        crate::fs::replace_atomic_with(&self.path, |w| {
            w.write_all(&header_line())?;
            let mut line = Vec::new();
            for (k, s) in &slots {
                line.resize(s.len as usize, 0);
                old.read_exact_at(&mut line, s.at)?;
                w.write_all(&line)?;
                moved.push(((*k).clone(), Slot { at, len: s.len }));
                at += s.len;
            }
            Ok(())
        })?;
        // Rewritten: the index points into the new file, where later lines go too.
        state.index = moved.into_iter().collect();
        state.file = Some(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&self.path)?,
        );
        state.end = at;
        Ok(())
    }

    /// (hits, misses) of [`Cache::probe`] so far.
    pub fn stats(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }
}

fn header_line() -> Vec<u8> {
    let mut line = serde_json::to_vec(&Header { format: FORMAT }).unwrap_or_default();
    line.push(b'\n');
    line
}

/// The index of an existing cache file of this format (`None`: start over).
fn index(path: &Path) -> Option<State> {
    // A link planted in the cache's place is never read or written through.
    if std::fs::symlink_metadata(path)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    let mut index = HashMap::new();
    let mut ours = false;
    let mut last = b'\n';
    let end = crate::fs::line_blocks(path, BLOCK, |offset, lines| {
        let mut at = 0;
        if offset == 0 {
            let end = memchr::memchr(b'\n', lines).unwrap_or(lines.len());
            ours =
                serde_json::from_slice::<Header>(&lines[..end]).is_ok_and(|h| h.format == FORMAT);
            at = end + 1;
        }
        while ours && at < lines.len() {
            let end = memchr::memchr(b'\n', &lines[at..]).map_or(lines.len(), |n| at + n + 1);
            let line = &lines[at..end];
            // A line without a key (damaged) is skipped; its entry is probed again.
            if let Some(tab) = memchr::memchr(b'\t', line)
                && let Ok(key) = serde_json::from_slice::<String>(&line[..tab])
            {
                let slot = Slot {
                    at: offset + at as u64,
                    len: line.len() as u64,
                };
                index.insert(key, slot);
            }
            at = end;
        }
        last = lines.last().copied().unwrap_or(b'\n');
        ours
    })
    .ok()?;
    if !ours {
        return None;
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .ok()?;
    Some(State {
        index,
        file: Some(file),
        end,
        start_over: false,
        torn: last != b'\n',
        dirty: false,
    })
}

/// A new, empty cache file in place of whatever was at `path`.
fn start(path: &Path) -> io::Result<State> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Removing first and creating exclusively never writes through a link planted there.
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    let header = header_line();
    file.write_all_at(&header, 0)?;
    Ok(State {
        file: Some(file),
        end: header.len() as u64,
        ..State::default()
    })
}

/// The SHA-256 of a file's content, as lowercase hex.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    crate::fs::file_digest(path)
}
