//! A keyed store in one file, for caches: a header line naming what the values are,
//! then one line per value, `"<key>"<TAB><value>` (JSON strings never hold a raw tab
//! or newline, so a key is found without parsing its value).
//!
//! Only an index (key → where its line is) is held in memory: a value is read when
//! asked for and appended as soon as it is given, so a cache of 100,000 entries costs
//! a few megabytes and a cold run creates one file, not one per entry. A changed value
//! is appended again (the index points at the newest); [`Store::finish`] rewrites the
//! file without the old lines once they outweigh the live ones. A missing, damaged or
//! foreign file is simply empty, and a line cut short by a killed run costs only that
//! entry: caches only save time.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bytes of the file read at a time while indexing it.
const BLOCK: usize = 4 << 20;

/// Where a value's line is in the file.
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
    /// foreign, a link in its place, or asked to).
    start_over: bool,
    /// The last line was cut short (a killed run): the next line starts on a new one.
    torn: bool,
    /// Lines were added since opening.
    dirty: bool,
}

/// A store shared by worker threads.
pub(crate) struct Store {
    path: PathBuf,
    /// The header line: what the values are (a store with another header is empty).
    header: Vec<u8>,
    state: Mutex<State>,
}

impl Store {
    /// The store at `path` whose values are `what` (e.g. a format and version).
    pub(crate) fn open(path: &Path, what: &str) -> Store {
        let header = header_line(what);
        let state = index(path, &header).unwrap_or(State {
            start_over: true,
            ..State::default()
        });
        Store {
            path: path.to_path_buf(),
            header,
            state: Mutex::new(state),
        }
    }

    /// An empty store that replaces the file at `path` at its first value.
    pub(crate) fn fresh(path: &Path, what: &str) -> Store {
        Store {
            path: path.to_path_buf(),
            header: header_line(what),
            state: Mutex::new(State {
                start_over: true,
                ..State::default()
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A slot is set only once its line is written: a panic elsewhere leaves the
        // index true, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value last stored under `key` (the bytes `put` was given).
    pub(crate) fn get(&self, key: &str) -> Option<Vec<u8>> {
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
        line.drain(..=tab);
        line.pop_if(|b| *b == b'\n');
        Some(line)
    }

    /// Stores `value` (one line of JSON) under `key`. A failure to write only costs
    /// the work again next time, so it is not an error.
    pub(crate) fn put(&self, key: &str, value: &[u8]) {
        if memchr::memchr(b'\n', value).is_some() {
            return;
        }
        let Ok(mut line) = serde_json::to_vec(key) else {
            return;
        };
        line.push(b'\t');
        line.extend_from_slice(value);
        line.push(b'\n');
        let mut state = self.lock();
        if let Ok(at) = self.append(&mut state, &line) {
            let len = line.len() as u64;
            state.index.insert(key.to_string(), Slot { at, len });
        }
    }

    /// Appends a line; returns where it starts.
    fn append(&self, state: &mut State, line: &[u8]) -> io::Result<u64> {
        if state.start_over {
            *state = start(&self.path, &self.header)?;
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
        let at = state.end;
        file.write_all_at(line, at)?;
        state.end += line.len() as u64;
        state.dirty = true;
        Ok(at)
    }

    /// Ends a run of changes: the file is rewritten without superseded lines once
    /// those outweigh the live ones (the store stays usable).
    pub(crate) fn finish(&self) -> io::Result<()> {
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
        let mut at = self.header.len() as u64;
        crate::fs::replace_atomic_with(&self.path, |w| {
            w.write_all(&self.header)?;
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
}

fn header_line(what: &str) -> Vec<u8> {
    let mut line = serde_json::to_vec(&serde_json::json!({ "store": what })).unwrap_or_default();
    line.push(b'\n');
    line
}

/// The index of an existing store with this header (`None`: start over).
fn index(path: &Path, header: &[u8]) -> Option<State> {
    // A link planted in the store's place is never read or written through.
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
            ours = lines.starts_with(header);
            at = header.len();
        }
        while ours && at < lines.len() {
            let end = memchr::memchr(b'\n', &lines[at..]).map_or(lines.len(), |n| at + n + 1);
            let line = &lines[at..end];
            // A line without a key (damaged) is skipped; its entry is made again.
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

/// A new, empty store file in place of whatever was at `path`.
fn start(path: &Path, header: &[u8]) -> io::Result<State> {
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
    file.write_all_at(header, 0)?;
    Ok(State {
        file: Some(file),
        end: header.len() as u64,
        ..State::default()
    })
}

#[cfg(test)]
mod tests {
    use super::Store;

    fn store_in(dir: &tempfile::TempDir) -> std::path::PathBuf {
        dir.path().join("sub/store.jsonl")
    }

    #[test]
    fn values_read_back_after_reopening_whatever_their_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_in(&dir);
        let store = Store::open(&path, "test 1");
        assert_eq!(store.get("a"), None);
        let keys = ["a", "tab\there", "quote\"and\\slash", "é/ünïcode", ""];
        for (n, key) in keys.iter().enumerate() {
            store.put(key, format!("{{\"n\":{n}}}").as_bytes());
        }
        store.put("a", b"{\"n\":\"newest\"}");
        store.finish().expect("finish");
        let again = Store::open(&path, "test 1");
        assert_eq!(again.get("a").as_deref(), Some(&b"{\"n\":\"newest\"}"[..]));
        for (n, key) in keys.iter().enumerate().skip(1) {
            assert_eq!(
                again.get(key),
                Some(format!("{{\"n\":{n}}}").into_bytes()),
                "{key:?}"
            );
        }
    }

    #[test]
    fn another_header_is_an_empty_store_and_fresh_starts_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_in(&dir);
        Store::open(&path, "test 1").put("k", b"1");
        assert_eq!(Store::open(&path, "test 2").get("k"), None);
        assert_eq!(
            Store::open(&path, "test 1").get("k").as_deref(),
            Some(&b"1"[..])
        );
        let fresh = Store::fresh(&path, "test 1");
        assert_eq!(fresh.get("k"), None);
        fresh.put("j", b"2");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(!text.contains("\"k\""), "{text}");
    }

    #[test]
    fn a_value_that_is_not_one_line_is_not_stored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&store_in(&dir), "test 1");
        store.put("k", b"two\nlines");
        assert_eq!(store.get("k"), None);
    }

    #[test]
    fn finishing_drops_superseded_lines_and_keeps_the_store_usable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_in(&dir);
        let store = Store::open(&path, "test 1");
        let big = format!("\"{}\"", "x".repeat(1000));
        for _ in 0..20 {
            store.put("k", big.as_bytes());
        }
        store.put("other", b"1");
        store.finish().expect("finish");
        assert_eq!(
            std::fs::read_to_string(&path)
                .expect("read")
                .lines()
                .count(),
            3
        );
        store.put("later", b"2");
        assert_eq!(store.get("k"), Some(big.clone().into_bytes()));
        assert_eq!(store.get("later").as_deref(), Some(&b"2"[..]));
        let again = Store::open(&path, "test 1");
        assert_eq!(again.get("later").as_deref(), Some(&b"2"[..]));
        assert_eq!(again.get("k"), Some(big.into_bytes()));
    }
}
