//! A keyed store in one file, for caches: a header line naming what the values are,
//! then one line per value, `"<key>"<TAB><value>` (JSON strings never hold a raw tab
//! or newline, so a key is found without parsing its value).
//!
//! Only an index (a 128-bit digest of the key → where its line is) is held in memory:
//! a value is read when asked for and appended as soon as it is given, so a cache of
//! 100,000 entries costs a few megabytes and a cold run creates one file, not one per entry. The index is
//! saved beside the file (`<file>.idx`, naming the file and how much of it it covers),
//! so opening reads the index and only the lines appended since, never the whole
//! store; it is saved again once those lines are an eighth of what it covers. A
//! changed value is appended again (the index points at the newest); [`Store::finish`]
//! rewrites the file without the old lines once they outweigh the live ones. A
//! missing, damaged or foreign file is simply empty, a stale index only costs misses
//! (every line read back must name its key), and a line cut short by a killed run
//! costs only that entry: caches only save time.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Seek as _, Write as _};
use std::os::unix::fs::{FileExt as _, MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bytes of the file read at a time while indexing it.
const BLOCK: usize = 4 << 20;

/// A key as the index knows it: the first 128 bits of its SHA-256 (a key's text is
/// often a long path; a line read back must still name its key, so two keys with
/// one digest would only cost a miss).
type Id = u128;

fn id(key: &str) -> Id {
    crate::fs::short_digest(key.as_bytes())
}

/// Where a value's line is in the file.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: u64,
    len: u64,
    /// Asked for or given since the store was opened (see [`Store::forget_unused`]).
    used: bool,
}

#[derive(Default)]
struct State {
    index: HashMap<Id, Slot>,
    /// The file, once opened for reading and appending (or created).
    file: Option<File>,
    /// Where the next line goes.
    end: u64,
    /// How much of the file the saved index covers (0: none).
    covers: u64,
    /// The file must be started afresh before the first line is added (missing,
    /// foreign, a link in its place, or asked to).
    start_over: bool,
    /// The last line was cut short (a killed run): the next line starts on a new one.
    torn: bool,
    /// Lines were added since opening.
    dirty: bool,
    /// Entries were forgotten: the saved index must be written again.
    forgot: bool,
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
        let mut state = self.lock();
        let slot = state.index.get_mut(&id(key))?;
        slot.used = true;
        let slot = *slot;
        let mut line = vec![0; slot.len as usize];
        state
            .file
            .as_ref()?
            .read_exact_at(&mut line, slot.at)
            .ok()?;
        drop(state);
        // A stale index (a file replaced behind its back) points at another line: a miss.
        let tab = memchr::memchr(b'\t', &line)?;
        if serde_json::from_slice::<String>(&line[..tab]).ok()? != key {
            return None;
        }
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
            let used = true;
            state.index.insert(id(key), Slot { at, len, used });
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
        // Appended with O_APPEND, each line in one write: a `publish --check` run beside a
        // publish (it takes no lock) adds its lines after ours, never over them.
        let mut writer = file;
        if state.torn {
            writer.write_all(b"\n")?;
            state.torn = false;
        }
        writer.write_all(line)?;
        let after = writer.stream_position()?;
        state.end = state.end.max(after);
        state.dirty = true;
        Ok(after - line.len() as u64)
    }

    /// Drops every entry not asked for nor given since the store was opened: for a
    /// store whose every live key is visited in a run (a key no longer visited is of
    /// something gone). Their lines are superseded lines from now on.
    pub(crate) fn forget_unused(&self) {
        let mut state = self.lock();
        let before = state.index.len();
        state.index.retain(|_, slot| slot.used);
        if state.index.len() < before {
            state.forgot = true;
        }
    }

    /// Ends a run of changes: the file is rewritten without superseded lines once
    /// those outweigh the live ones (the store stays usable).
    pub(crate) fn finish(&self) -> io::Result<()> {
        let mut state = self.lock();
        // Lines not in the saved index are read on every open: save it again once they
        // are an eighth of what it covers (or there is none yet).
        let unindexed =
            state.file.is_some() && (state.forgot || state.end - state.covers > state.covers / 8);
        if !(state.dirty || state.forgot) {
            return match unindexed {
                true => self.save_index(&mut state),
                false => Ok(()),
            };
        }
        state.dirty = false;
        state.forgot = false;
        let live: u64 = state.index.values().map(|s| s.len).sum();
        let garbage = state.end.saturating_sub(live);
        if garbage <= live.max(4 << 10) {
            return match unindexed {
                true => self.save_index(&mut state),
                false => Ok(()),
            };
        }
        let Some(old) = state.file.take() else {
            return Ok(());
        };
        let mut slots: Vec<(Id, Slot)> = state.index.iter().map(|(k, s)| (*k, *s)).collect();
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
                moved.push((*k, Slot { at, ..*s }));
                at += s.len;
            }
            Ok(())
        })?;
        // Rewritten: the index points into the new file, where later lines go too.
        state.index = moved.into_iter().collect();
        state.file = Some(
            std::fs::OpenOptions::new()
                .read(true)
                .append(true)
                .open(&self.path)?,
        );
        state.end = at;
        self.save_index(&mut state)
    }

    /// Writes the index of the whole file beside it.
    fn save_index(&self, state: &mut State) -> io::Result<()> {
        let Some(file) = &state.file else {
            return Ok(());
        };
        let head = IndexHeader {
            store: String::from_utf8_lossy(&self.header).trim_end().to_string(),
            inode: file.metadata()?.ino(),
            covers: state.end,
            format: INDEX_FORMAT,
        };
        let mut slots: Vec<(&Id, &Slot)> = state.index.iter().collect();
        // Sorted: the same index for the same store.
        slots.sort_unstable_by_key(|(_, s)| s.at);
        crate::fs::replace_atomic_with(&index_path(&self.path), |w| {
            serde_json::to_writer(&mut *w, &head).map_err(io::Error::other)?;
            w.write_all(b"\n")?;
            for (key, slot) in slots {
                writeln!(w, "{key:032x}\t{}\t{}", slot.at, slot.len)?;
            }
            Ok(())
        })?;
        state.covers = state.end;
        Ok(())
    }
}

/// The first line of a saved index: which store, which file (by inode: a rewritten
/// store is a new file), and how many of its bytes the index covers.
#[derive(serde::Serialize, serde::Deserialize)]
struct IndexHeader {
    store: String,
    inode: u64,
    covers: u64,
    /// How keys are written ([`INDEX_FORMAT`]; earlier indexes, without it, named keys
    /// by their text and are not read).
    #[serde(default)]
    format: u32,
}

/// Keys in a saved index are [`Id`]s in hex.
const INDEX_FORMAT: u32 = 2;

fn index_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".idx");
    PathBuf::from(name)
}

/// The saved index of `path` if it is of this store and this file: its entries and
/// how much of the file they cover.
fn saved_index(
    path: &Path,
    header: &[u8],
    inode: u64,
    len: u64,
) -> Option<(HashMap<Id, Slot>, u64)> {
    let idx = index_path(path);
    if std::fs::symlink_metadata(&idx)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    // Of this store, of this very file (a rewritten store is a new inode), and no
    // longer than the file is now.
    let fits = |h: &IndexHeader| {
        h.store.as_bytes() == header.trim_ascii_end()
            && h.inode == inode
            && h.covers <= len
            && h.format == INDEX_FORMAT
    };
    let mut head: Option<IndexHeader> = None;
    let mut index = HashMap::new();
    let mut whole = true;
    crate::fs::line_blocks(&idx, BLOCK, |offset, lines| {
        let mut lines = lines.split(|b| *b == b'\n').filter(|l| !l.is_empty());
        if offset == 0 {
            head = lines
                .next()
                .and_then(|l| serde_json::from_slice(l).ok())
                .filter(fits);
        }
        if head.is_none() {
            return false;
        }
        for line in lines {
            let mut fields = line.split(|b| *b == b'\t');
            let entry = (|| {
                let key = Id::from_str_radix(std::str::from_utf8(fields.next()?).ok()?, 16).ok()?;
                let at = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
                let size = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
                let used = false;
                Some((
                    key,
                    Slot {
                        at,
                        len: size,
                        used,
                    },
                ))
            })();
            match entry {
                Some((key, slot)) => {
                    index.insert(key, slot);
                }
                None => whole = false,
            }
        }
        whole
    })
    .ok()?;
    let covers = head?.covers;
    whole.then_some((index, covers))
}

fn header_line(what: &str) -> Vec<u8> {
    let mut line = serde_json::to_vec(&serde_json::json!({ "store": what })).unwrap_or_default();
    line.push(b'\n');
    line
}

/// The index of an existing store with this header (`None`: start over): the saved
/// index, and the lines appended after what it covers.
fn index(path: &Path, header: &[u8]) -> Option<State> {
    // A link planted in the store's place is never read or written through.
    if std::fs::symlink_metadata(path)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut first = vec![0; header.len()];
    file.read_exact_at(&mut first, 0).ok()?;
    if first != header {
        return None;
    }
    let (mut index, covers) =
        saved_index(path, header, meta.ino(), meta.len()).unwrap_or((HashMap::new(), 0));
    let mut last = b'\n';
    let start = covers.max(header.len() as u64);
    let end = crate::fs::line_blocks_from(path, start, BLOCK, |offset, lines| {
        let mut at = 0;
        while at < lines.len() {
            let end = memchr::memchr(b'\n', &lines[at..]).map_or(lines.len(), |n| at + n + 1);
            let line = &lines[at..end];
            // A line without a key (damaged) is skipped; its entry is made again.
            if let Some(tab) = memchr::memchr(b'\t', line)
                && let Ok(key) = serde_json::from_slice::<String>(&line[..tab])
            {
                let slot = Slot {
                    at: offset + at as u64,
                    len: line.len() as u64,
                    used: false,
                };
                index.insert(id(&key), slot);
            }
            at = end;
        }
        last = lines.last().copied().unwrap_or(b'\n');
        true
    })
    .ok()?;
    if start == end && start > header.len() as u64 {
        // Nothing after the indexed part: whether the file ends a line is its last byte.
        let mut byte = [0u8];
        file.read_exact_at(&mut byte, end - 1).ok()?;
        last = byte[0];
    }
    Some(State {
        index,
        file: Some(file),
        end,
        covers,
        start_over: false,
        torn: last != b'\n',
        dirty: false,
        forgot: false,
    })
}

/// A new, empty store file in place of whatever was at `path`.
fn start(path: &Path, header: &[u8]) -> io::Result<State> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Removing first and creating exclusively never writes through a link planted there.
    // The old index goes too (a new file may get the old one's inode number).
    for old in [path.to_path_buf(), index_path(path)] {
        match std::fs::remove_file(&old) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(header)?;
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
    fn opening_reads_the_saved_index_and_only_the_lines_after_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_in(&dir);
        let store = Store::open(&path, "test 1");
        store.put("a", b"1");
        store.put("b", b"2");
        store.finish().expect("finish");
        let idx = std::fs::read_to_string(dir.path().join("sub/store.jsonl.idx")).expect("index");
        assert_eq!(idx.lines().count(), 3, "{idx}");
        // A line appended after the index was saved (a run that did not finish).
        Store::open(&path, "test 1").put("c", b"3");
        let again = Store::open(&path, "test 1");
        for (key, value) in [("a", "1"), ("b", "2"), ("c", "3")] {
            assert_eq!(again.get(key), Some(value.as_bytes().to_vec()), "{key}");
        }
        // Finishing a store that changed nothing still saves an index that has fallen behind.
        again.finish().expect("finish");
        let idx = std::fs::read_to_string(dir.path().join("sub/store.jsonl.idx")).expect("index");
        assert_eq!(idx.lines().count(), 4, "{idx}");
        // An index that no longer matches its file (here: pointing one line off) only
        // costs misses, never another key's value.
        let (a, b) = (
            format!("{:032x}\t", super::id("a")),
            format!("{:032x}\t", super::id("b")),
        );
        let swapped: String = idx
            .lines()
            .map(|l| match (l.strip_prefix(&a), l.strip_prefix(&b)) {
                (Some(rest), _) => format!("{b}{rest}\n"),
                (_, Some(rest)) => format!("{a}{rest}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        assert_ne!(swapped, idx);
        std::fs::write(dir.path().join("sub/store.jsonl.idx"), swapped).expect("write");
        let confused = Store::open(&path, "test 1");
        assert_eq!(confused.get("a"), None);
        assert_eq!(confused.get("b"), None);
        assert_eq!(confused.get("c").as_deref(), Some(&b"3"[..]));
    }

    #[test]
    fn entries_nobody_asked_for_are_forgotten_for_good() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_in(&dir);
        let store = Store::open(&path, "test 1");
        for key in ["kept", "renewed", "gone"] {
            store.put(key, b"1");
        }
        store.finish().expect("finish");
        // A run that visits two of the three keys.
        let run = Store::open(&path, "test 1");
        assert!(run.get("kept").is_some());
        run.put("renewed", b"2");
        run.forget_unused();
        run.finish().expect("finish");
        let again = Store::open(&path, "test 1");
        assert_eq!(
            again.get("gone"),
            None,
            "not back from the saved index or the file"
        );
        assert_eq!(again.get("kept").as_deref(), Some(&b"1"[..]));
        assert_eq!(again.get("renewed").as_deref(), Some(&b"2"[..]));
        // Its line is garbage now: once garbage outweighs the live lines, it leaves the file.
        for n in 0..4 {
            let run = Store::open(&path, "test 1");
            run.put("renewed", "x".repeat(2000 + n).as_bytes());
            run.get("kept");
            run.forget_unused();
            run.finish().expect("finish");
        }
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(!text.contains("\"gone\""), "{text}");
        assert!(text.contains("\"kept\""), "{text}");
    }

    #[test]
    fn two_writers_on_one_store_add_their_lines_after_each_other() {
        // `publish --check` takes no lock, so it can run beside a publish: both append.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_in(&dir);
        Store::open(&path, "test 1").put("seed", b"0");
        let (one, two) = (Store::open(&path, "test 1"), Store::open(&path, "test 1"));
        for n in 0..50 {
            one.put(&format!("one-{n}"), format!("{n}").as_bytes());
            two.put(&format!("two-{n}"), format!("{}", n * 2).as_bytes());
        }
        assert_eq!(one.get("one-7").as_deref(), Some(&b"7"[..]));
        assert_eq!(two.get("two-7").as_deref(), Some(&b"14"[..]));
        let again = Store::open(&path, "test 1");
        for n in 0..50 {
            assert_eq!(
                again.get(&format!("one-{n}")),
                Some(format!("{n}").into_bytes())
            );
            assert_eq!(
                again.get(&format!("two-{n}")),
                Some(format!("{}", n * 2).into_bytes())
            );
        }
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
