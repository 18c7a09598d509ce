//! Stage 6: write the outputs, or check that they are current.
//!
//! A write is a small transaction on the output folder that survives a killed process:
//!
//! 1. as the pipeline renders episodes it hands their files over in batches ([`Writer::add`]),
//!    so a publish never holds them all; every file that replaces an existing one is
//!    written in full to a staging folder
//!    (`.mspod-staging-*`) beside the outputs. Files that do not exist yet are written
//!    in place (nothing points at them yet, and staging them doubled the cost of a
//!    first publish), after their names are listed in the staging folder (`created`);
//! 2. the caller's `before_switch` runs (publish writes `mspod.lock` there, so a
//!    lock that cannot be written stops the run before the feed changes);
//! 3. a journal of every rename and removal is written, then renamed into place:
//!    the commit point;
//! 4. the renames (the feed last, so it never points at notes that are not there
//!    yet) and removals are done, and the staging folder is removed.
//!
//! The next write finds a staging folder a killed run left behind: with a journal it
//! finishes the switch, without one it removes the files that run created. `--check`
//! reports such a folder. Nothing below the output folder is written or deleted
//! through a symbolic link. Unchanged files are left alone.

use crate::error::{Error, Result};
use crate::fs::{Stamp, refuse_symlinks, write_file_atomic};
use crate::render::{FEED_FILE, Output};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Lists the files mspod wrote last time, so files of removed episodes can be
/// cleaned up without touching anything else in the folder. It lives under the
/// content root's `.mspod/`, not in the deployed folder.
pub(crate) const INDEX_FILE: &str = ".mspod/published-files";

/// Where earlier versions kept the index: inside the output folder, where it
/// was deployed with the site. Read once if the new one is missing, then removed.
pub(crate) const LEGACY_INDEX_FILE: &str = ".mspod-files";
/// Staging folders are named `.mspod-staging-<random>`.
pub(crate) const STAGING_PREFIX: &str = ".mspod-staging-";
/// In a staging folder: the renames and removals still to do (present = committed).
const JOURNAL: &str = "journal";
/// In a staging folder: the files written in place (to remove if never committed).
const CREATED: &str = "created";

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub changed: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
    /// What was done about staging folders left by interrupted writes.
    pub recovered: Vec<String>,
}

/// The outputs in write order (feed last).
pub(crate) fn ordered(outputs: &[Output]) -> Vec<Output> {
    let mut all: Vec<Output> = outputs.to_vec();
    all.sort_by_key(|o| (o.path == Path::new(FEED_FILE), o.path.clone()));
    all
}

/// The index of what a publish into an output folder wrote: `INDEX_FILE` under the
/// content root. It names the folder from the root ([`crate::fs::root_name`]), so a
/// publish or deploy with the root spelled another way still finds what it lists.
#[derive(Debug)]
pub(crate) struct Index {
    path: PathBuf,
    /// Its first line. Its own wording ("from the root"): never confused with the
    /// `# out: …` line of earlier indexes, which could name the folder either way.
    header: String,
    /// The first lines earlier indexes would have for this folder: named from the
    /// root (mspod 0.1 after `c716c8a`) or as the root was spelled (before). Still
    /// read, so the first publish after an upgrade cleans up as it should.
    earlier: [String; 2],
}

impl Index {
    pub(crate) fn new(root: &Path, out_dir: &Path) -> Index {
        let name = crate::fs::root_name(root, out_dir);
        Index {
            path: root.join(INDEX_FILE),
            header: format!("# out from the root: {}", name.display()),
            earlier: [
                format!("# out: {}", name.display()),
                format!("# out: {}", out_dir.display()),
            ],
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

/// The index's text: its folder, then one file per line.
fn listing(index: &Index, files: &BTreeSet<String>) -> String {
    let mut text = format!("{}\n", index.header);
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    text
}

/// The files of a publish, as the index lists them (`/`-separated, sorted).
fn file_set(outputs: &[Output], kept: &[PathBuf]) -> BTreeSet<String> {
    outputs
        .iter()
        .map(|o| &o.path)
        .chain(kept)
        .map(|p| slash_path(p))
        .collect()
}

/// The files the last publish into `out_dir` wrote, as `/`-separated paths under it
/// (`None`: nothing was published there, or the index is of another folder — deploy
/// must never take that for "nothing is published" and prune everything).
pub(crate) fn published_files(out_dir: &Path, root: &Path) -> Option<Vec<String>> {
    listed_files(out_dir, &Index::new(root, out_dir))
}

/// The files the last publish into `out_dir` wrote: from `index`, or from the
/// legacy index inside `out_dir`; `None` when neither says (an index written for
/// another folder says nothing about this one).
fn listed_files(out_dir: &Path, index: &Index) -> Option<Vec<String>> {
    if let Ok(text) = crate::fs::read_regular(&index.path) {
        let text = String::from_utf8_lossy(&text);
        let mut lines = text.lines();
        let first = lines.next();
        let ours = first.is_some_and(|l| l == index.header || index.earlier.iter().any(|e| l == e));
        return ours.then(|| lines.map(str::to_string).collect());
    }
    crate::fs::read_regular(&out_dir.join(LEGACY_INDEX_FILE))
        .ok()
        .map(|t| {
            String::from_utf8_lossy(&t)
                .lines()
                .map(str::to_string)
                .collect()
        })
}

/// [`listed_files`], none when nothing says.
fn previous_files(out_dir: &Path, index: &Index) -> Vec<String> {
    listed_files(out_dir, index).unwrap_or_default()
}

fn slash_path(p: &Path) -> String {
    // The paths mspod makes are already in this form: no need to take them apart.
    if let Some(s) = p.to_str()
        && !s.is_empty()
        && !s.starts_with("./")
        && !s.starts_with('/')
        && !s.ends_with('/')
        && !s.contains("//")
        && !s.contains("/./")
        && !s.ends_with("/.")
        && s != "."
    {
        return s.to_string();
    }
    slash_components(p)
}

fn slash_components(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files listed in the previous index that the new outputs no longer contain, and
/// the legacy index itself. A listed path that goes through a symbolic link is
/// refused, not followed.
fn stale(out_dir: &Path, index: &Index, current: &BTreeSet<String>) -> Result<Vec<PathBuf>> {
    let previous = previous_files(out_dir, index);
    let mut found = Vec::new();
    for l in previous
        .iter()
        .map(String::as_str)
        .chain([LEGACY_INDEX_FILE])
    {
        // Never follow a listed path outside the output folder.
        if l.is_empty()
            || current.contains(l)
            || l.starts_with('/')
            || l.split('/')
                .any(|part| part == ".." || part == "." || part.is_empty())
        {
            continue;
        }
        let rel = PathBuf::from(l);
        refuse_symlinks(out_dir, &rel)?;
        if std::fs::symlink_metadata(out_dir.join(&rel)).is_ok_and(|m| m.is_file()) {
            found.push(rel);
        }
    }
    Ok(found)
}

/// The output folder itself must be a real folder: a symlinked `feeds/` committed by
/// a contributor would send every write elsewhere.
fn refuse_symlinked_out_dir(out_dir: &Path) -> Result<()> {
    let plain: PathBuf = out_dir.components().collect();
    match std::fs::symlink_metadata(&plain) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::io(
            &plain,
            std::io::Error::other(
                "the output folder is a symbolic link: mspod never writes through links (pass the folder it points to as --out)",
            ),
        )),
        _ => Ok(()),
    }
}

/// Staging folders left in `out_dir` by interrupted writes.
pub(crate) fn leftovers(out_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Finishes (journal present) or undoes (no journal) each interrupted write, and says
/// what it did. The caller holds the publish lock, so no staging folder belongs to a
/// live run. Publish calls it before anything reads the outputs.
pub(crate) fn recover(out_dir: &Path) -> Result<Vec<String>> {
    let mut done = Vec::new();
    for dir in leftovers(out_dir) {
        let is_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
        if is_dir && dir.join(JOURNAL).is_file() {
            apply_journal(out_dir, &dir)?;
            done.push(format!(
                "{}: finished the switch an interrupted publish had started",
                dir.display()
            ));
        } else if is_dir {
            let created = std::fs::read_to_string(dir.join(CREATED)).unwrap_or_default();
            for rel in created.lines().filter(|l| !l.is_empty()) {
                remove_output(out_dir, Path::new(rel))?;
            }
            done.push(format!(
                "{}: undid an interrupted publish (the outputs are as before it)",
                dir.display()
            ));
        }
        let gone = if is_dir {
            std::fs::remove_dir_all(&dir)
        } else {
            // A file or link with a staging name: remove the entry itself, never its target.
            std::fs::remove_file(&dir)
        };
        gone.map_err(|e| Error::io(&dir, e))?;
    }
    Ok(done)
}

/// Removes `out_dir/rel` if it is a regular file, and its folder if that is now empty.
fn remove_output(out_dir: &Path, rel: &Path) -> Result<()> {
    refuse_symlinks(out_dir, rel)?;
    let path = out_dir.join(rel);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        crate::fs::remove_file_if_exists(&path)?;
        if let Some(parent) = path.parent().filter(|p| *p != out_dir) {
            // Only succeeds when the episode folder is now empty.
            let _ = std::fs::remove_dir(parent);
        }
    }
    Ok(())
}

/// Does what a committed journal says; steps already done are skipped, so it can be
/// replayed after an interruption.
fn apply_journal(out_dir: &Path, staging: &Path) -> Result<()> {
    let journal = staging.join(JOURNAL);
    let text = crate::fs::read_to_string(&journal)?;
    for line in text.lines().filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            // Staged files are numbered: any other name (`../x`) could move a file from
            // outside into the outputs, so a planted journal is refused.
            ["rename", name, rel]
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let temp = staging.join(name);
                if !std::fs::symlink_metadata(&temp).is_ok_and(|m| m.is_file()) {
                    continue;
                }
                let rel = Path::new(rel);
                refuse_symlinks(out_dir, rel)?;
                let target = out_dir.join(rel);
                if let Some(parent) = target.parent() {
                    crate::fs::create_dir_all(parent)?;
                }
                crate::fs::rename(&temp, &target)?;
            }
            ["remove", rel] => remove_output(out_dir, Path::new(rel))?,
            _ => {
                return Err(Error::io(
                    &journal,
                    std::io::Error::other(format!("damaged journal line `{line}`")),
                ));
            }
        }
    }
    Ok(())
}

/// Writes `outputs` under `out_dir`; `kept` are files already current there.
/// `index` remembers what was written, for the next publish's clean-up.
#[cfg(test)] // publish itself writes through a `Writer` as episodes render
pub(crate) fn write(
    out_dir: &Path,
    index: &Index,
    outputs: &[Output],
    kept: &[PathBuf],
) -> Result<Written> {
    write_with(out_dir, index, outputs, kept, || Ok(()))
}

/// Writes `outputs` under `out_dir`, running `before_switch` once every file is staged and before any
/// existing output changes; its error stops the write with the outputs untouched.
#[cfg(test)]
pub(crate) fn write_with(
    out_dir: &Path,
    index: &Index,
    outputs: &[Output],
    kept: &[PathBuf],
    before_switch: impl FnOnce() -> Result<()>,
) -> Result<Written> {
    let mut writer = Writer::begin(out_dir)?;
    if let Err(e) = writer.add(&ordered(outputs)).map(drop) {
        writer.abort();
        return Err(e);
    }
    let mut listed: Vec<PathBuf> = outputs.iter().map(|o| o.path.clone()).collect();
    listed.extend(kept.iter().cloned());
    writer.commit(index, &listed, kept.len(), before_switch)
}

/// A write in progress: outputs are handed over in batches as they are rendered (so a
/// publish never holds every file at once), then committed together. Files that
/// replace existing ones are staged; new files are written in place and listed first,
/// so [`Writer::abort`] (or the next run's recovery) takes them back.
pub(crate) struct Writer {
    out_dir: PathBuf,
    staging: tempfile::TempDir,
    /// The `created` list in the staging folder, appended before each batch's files exist.
    created: std::fs::File,
    created_paths: Vec<PathBuf>,
    /// (staged name, target) in the order given; the feed is handed over last.
    staged: Vec<(String, PathBuf)>,
    /// Staged files are numbered in the order they are made.
    next_name: usize,
    unchanged: usize,
    recovered: Vec<String>,
}

/// A file written in pieces into the staging folder (a feed: its head, every item,
/// its tail), so it is never held whole. [`Writer::finish`] stages it.
pub(crate) struct Stream {
    rel: PathBuf,
    name: String,
    file: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    len: u64,
}

impl Stream {
    /// Appends `len` bytes of `src` from `offset` (the kernel copies them file to file
    /// where it can: unchanged items are never read into memory).
    pub(crate) fn copy_from(
        &mut self,
        src: &std::fs::File,
        src_path: &Path,
        offset: u64,
        len: u64,
    ) -> Result<()> {
        use std::io::{Read as _, Seek as _};
        let mut reader = src;
        reader
            .seek(std::io::SeekFrom::Start(offset))
            .map_err(|e| Error::io(src_path, e))?;
        let copied = std::io::copy(&mut reader.take(len), &mut self.file)
            .map_err(|e| Error::io(&self.path, e))?;
        if copied != len {
            return Err(Error::io(
                src_path,
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "shorter than the last publish left it",
                ),
            ));
        }
        self.len += len;
        Ok(())
    }

    /// Bytes written so far.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Where it is staged (for error messages).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Drops everything written so far (a page whose theme template failed half-way
    /// is written again by the built-in one).
    pub(crate) fn restart(&mut self) -> std::io::Result<()> {
        use std::io::Seek as _;
        let file = self.file.get_ref().try_clone()?;
        let old = std::mem::replace(
            &mut self.file,
            std::io::BufWriter::with_capacity(1 << 20, file),
        );
        // Its buffer is dropped unwritten; the clone shares the file and its offset.
        let (file, _) = old.into_parts();
        file.set_len(0)?;
        (&file).seek(std::io::SeekFrom::Start(0))?;
        self.len = 0;
        Ok(())
    }
}

/// Written with plain I/O errors; the caller names the file ([`Stream::path`]).
impl std::io::Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Writer {
    /// Starts a write into `out_dir`, finishing or undoing interrupted ones first.
    pub(crate) fn begin(out_dir: &Path) -> Result<Writer> {
        refuse_symlinked_out_dir(out_dir)?;
        crate::fs::create_dir_all(out_dir)?;
        let recovered = recover(out_dir)?;
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(out_dir)
            .map_err(|e| Error::io(out_dir, e))?;
        let created_file = staging.path().join(CREATED);
        let created = crate::fs::create(&created_file)?;
        Ok(Writer {
            out_dir: out_dir.to_path_buf(),
            staging,
            created,
            created_paths: Vec::new(),
            staged: Vec::new(),
            next_name: 0,
            unchanged: 0,
            recovered,
        })
    }

    fn name(&mut self) -> String {
        self.next_name += 1;
        self.next_name.to_string()
    }

    /// Starts writing `rel` in pieces (see [`Stream`]).
    pub(crate) fn stream(&mut self, rel: &Path) -> Result<Stream> {
        refuse_symlinks(&self.out_dir, rel)?;
        let name = self.name();
        let path = self.staging.path().join(&name);
        let file = crate::fs::create(&path)?;
        Ok(Stream {
            rel: rel.to_path_buf(),
            name,
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            path,
            len: 0,
        })
    }

    /// Stages a finished [`Stream`] (or drops it when the file already has its bytes);
    /// returns where its bytes can be read until the switch.
    pub(crate) fn finish(&mut self, s: Stream) -> Result<PathBuf> {
        let Stream {
            rel,
            name,
            file,
            path,
            len,
        } = s;
        file.into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        let target = self.out_dir.join(&rel);
        if crate::fs::same_bytes(&path, &target, len) {
            crate::fs::remove_file_if_exists(&path)?;
            self.unchanged += 1;
            return Ok(target);
        }
        self.staged.push((name, rel));
        Ok(path)
    }

    /// Stages or creates a batch of outputs (unchanged files are left alone); returns
    /// each one's size and modification time as it will be in place (a rename keeps
    /// them; `(0, 0)` if it cannot be read).
    pub(crate) fn add(&mut self, outputs: &[Output]) -> Result<Vec<(u64, u128)>> {
        use rayon::prelude::*;
        /// What a batch's file is to the outputs.
        enum Kind {
            Unchanged((u64, u128)),
            New,
            Staged(String, (u64, u128)),
        }
        let stamp = |path: &Path| Stamp::of(path).map_or((0, 0), |s| (s.size, s.mtime_ns));
        let out_dir = self.out_dir.as_path();
        let staging = self.staging.path();
        // Names are handed out in order, so staged files are numbered as they come.
        let first = self.next_name;
        self.next_name += outputs.len();
        // Files are independent: checked, and the ones that replace others staged, in parallel.
        let kinds: Vec<Kind> = outputs
            .par_iter()
            .enumerate()
            .map(|(i, o)| {
                refuse_symlinks(out_dir, &o.path)?;
                let target = out_dir.join(&o.path);
                match crate::fs::read_regular(&target) {
                    Ok(old) if old == o.bytes => return Ok(Kind::Unchanged(stamp(&target))),
                    Err(e)
                        if e.kind() == std::io::ErrorKind::NotFound
                            && o.path != Path::new(FEED_FILE) =>
                    {
                        return Ok(Kind::New);
                    }
                    _ => {}
                }
                let name = (first + i + 1).to_string();
                let temp = staging.join(&name);
                crate::fs::write_new(&temp, &o.bytes)?;
                Ok(Kind::Staged(name, stamp(&temp)))
            })
            .collect::<Result<_>>()?;
        let mut fresh = Vec::new();
        let mut stamps = Vec::with_capacity(outputs.len());
        for (i, (o, kind)) in outputs.iter().zip(kinds).enumerate() {
            stamps.push(match kind {
                Kind::Unchanged(s) => {
                    self.unchanged += 1;
                    s
                }
                Kind::New => {
                    fresh.push((i, o));
                    (0, 0)
                }
                Kind::Staged(name, s) => {
                    self.staged.push((name, o.path.clone()));
                    s
                }
            });
        }
        // Listed before they exist, so an interrupted write can take them back.
        let created: String = fresh
            .iter()
            .map(|(_, o)| format!("{}\n", slash_path(&o.path)))
            .collect();
        let created_file = staging.join(CREATED);
        self.created
            .write_all(created.as_bytes())
            .map_err(|e| Error::io(&created_file, e))?;
        let dirs: BTreeSet<&Path> = fresh.iter().filter_map(|(_, o)| o.path.parent()).collect();
        for dir in dirs {
            crate::fs::create_dir_all(out_dir.join(dir))?;
        }
        self.created_paths
            .extend(fresh.iter().map(|(_, o)| o.path.clone()));
        // create_new: never through a link that appeared since the check.
        let written: Vec<(usize, (u64, u128))> = fresh
            .par_iter()
            .map(|(i, o)| {
                let path = out_dir.join(&o.path);
                crate::fs::write_new(&path, &o.bytes)?;
                Ok((*i, stamp(&path)))
            })
            .collect::<Result<_>>()?;
        for (i, s) in written {
            stamps[i] = s;
        }
        Ok(stamps)
    }

    /// Takes back the files created in place; nothing existing was changed yet.
    pub(crate) fn abort(self) {
        for rel in &self.created_paths {
            let _ = remove_output(&self.out_dir, rel);
        }
    }

    /// Switches to the new outputs. `listed` are all files of this publish (written,
    /// unchanged or `kept` — of which there are `kept` more that were never handed
    /// over); files of the previous index missing from it are removed.
    pub(crate) fn commit(
        self,
        index: &Index,
        listed: &[PathBuf],
        kept: usize,
        before_switch: impl FnOnce() -> Result<()>,
    ) -> Result<Written> {
        let out_dir = self.out_dir.as_path();
        // Before the commit point a failure takes back the files created in place.
        // The index is written before the commit point too: it lists files that exist
        // after the switch, and the next run skips listed files that do not.
        let files = file_set(&[], listed);
        let prepared = stale(out_dir, index, &files).and_then(|removed| {
            before_switch()?;
            if let Some(dir) = index.path.parent() {
                crate::fs::create_dir_all(dir)?;
            }
            write_file_atomic(&index.path, listing(index, &files).as_bytes())?;
            Ok(removed)
        });
        let removed = match prepared {
            Ok(removed) => removed,
            Err(e) => {
                self.abort();
                return Err(e);
            }
        };
        let Writer {
            staging,
            created,
            created_paths,
            staged,
            unchanged,
            recovered,
            ..
        } = self;
        drop(created);

        // The commit point: once the journal exists, the next run finishes this switch.
        let mut journal = String::new();
        for (name, rel) in &staged {
            journal.push_str(&format!("rename\t{name}\t{}\n", slash_path(rel)));
        }
        for rel in &removed {
            journal.push_str(&format!("remove\t{}\n", slash_path(rel)));
        }
        let pending = staging.path().join("journal.tmp");
        crate::fs::write_new(&pending, journal)?;
        let committed = staging.path().join(JOURNAL);
        crate::fs::rename(&pending, &committed)?;
        apply_journal(out_dir, staging.path())?;

        // Reported as a single batch would be: new files, then replaced ones, feed last.
        let key = |p: &PathBuf| (p == Path::new(FEED_FILE), p.clone());
        let mut changed = created_paths;
        changed.sort_by_key(key);
        let mut replaced: Vec<PathBuf> = staged.into_iter().map(|(_, rel)| rel).collect();
        replaced.sort_by_key(key);
        changed.extend(replaced);
        let staging_path = staging.path().to_path_buf();
        staging.close().map_err(|e| Error::io(&staging_path, e))?;
        Ok(Written {
            changed,
            unchanged: unchanged + kept,
            removed,
            recovered,
        })
    }
}

/// What `--check` finds: files that would change, appear or disappear, links in the
/// way, and staging folders left by interrupted publishes.
pub(crate) fn check(out_dir: &Path, index: &Index, outputs: &[Output]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(e) = refuse_symlinked_out_dir(out_dir) {
        problems.push(e.to_string());
    }
    for dir in leftovers(out_dir) {
        problems.push(format!(
            "{} was left by an interrupted publish (or one is running): run `mspod publish` to finish it, and never deploy this folder as it is",
            dir.display()
        ));
    }
    for o in ordered(outputs) {
        if let Err(e) = refuse_symlinks(out_dir, &o.path) {
            problems.push(e.to_string());
            continue;
        }
        let target = out_dir.join(&o.path);
        match crate::fs::read_regular(&target) {
            Ok(old) if old == o.bytes => {}
            Ok(_) => problems.push(format!("{} is out of date", target.display())),
            Err(_) => problems.push(format!("{} is missing", target.display())),
        }
    }
    match stale(out_dir, index, &file_set(outputs, &[])) {
        Ok(removed) => {
            for r in removed {
                problems.push(format!(
                    "{} is no longer published and would be removed",
                    out_dir.join(r).display()
                ));
            }
        }
        Err(e) => problems.push(e.to_string()),
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_paths_are_the_components_joined_with_slashes() {
        for p in [
            "show-notes.html",
            "ep-1/show-notes.html",
            "a//b",
            "./a",
            "a/./b",
            "a/.",
            "a/",
            ".",
            "/x/y",
            "a/../b",
            "",
        ] {
            assert_eq!(
                slash_path(Path::new(p)),
                slash_components(Path::new(p)),
                "{p:?}"
            );
        }
    }

    fn out(path: &str, bytes: &str) -> Output {
        Output {
            path: PathBuf::from(path),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_checks_and_cleans_up() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let state = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let index = Index::new(state.path(), dir.path());
        let first = [
            out("podcast.xml", "feed 1"),
            out("a/notes.md", "a"),
            out("b/notes.md", "b"),
        ];
        let w = write(dir.path(), &index, &first, &[])?;
        assert_eq!(w.changed.len(), 3);
        assert!(check(dir.path(), &index, &first).is_empty());

        let second = [out("podcast.xml", "feed 2"), out("a/notes.md", "a")];
        assert_eq!(
            check(dir.path(), &index, &second).len(),
            2,
            "feed and b/notes.md"
        );
        let w = write(dir.path(), &index, &second, &[])?;
        assert_eq!(w.changed, [PathBuf::from("podcast.xml")]);
        assert_eq!(w.removed, [PathBuf::from("b/notes.md")]);
        assert!(!dir.path().join("b").exists());
        assert!(check(dir.path(), &index, &second).is_empty());
        // Only the outputs are in the deployed folder: no staging folder, no index.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .map_err(|e| Error::io("tmp", e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(names, ["a", "podcast.xml"]);
        Ok(())
    }

    #[test]
    fn batches_written_as_they_come_are_committed_together_or_taken_back() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let state = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let index = Index::new(state.path(), dir.path());
        write(
            dir.path(),
            &index,
            &[out("podcast.xml", "feed 1"), out("a/notes.md", "a")],
            &[],
        )?;

        // A run that fails (say, the validator) after two batches: new files are gone,
        // the existing one was only staged, so nothing published changed.
        let mut w = Writer::begin(dir.path())?;
        w.add(&[out("a/notes.md", "a changed")])?;
        w.add(&[out("b/notes.md", "b")])?;
        assert!(
            dir.path().join("b/notes.md").is_file(),
            "new files go in place"
        );
        w.abort();
        assert!(!dir.path().join("b").exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a/notes.md"))
                .ok()
                .as_deref(),
            Some("a")
        );
        assert!(leftovers(dir.path()).is_empty());

        // The same batches committed: one switch, the feed last, one index for all.
        let mut w = Writer::begin(dir.path())?;
        w.add(&[out("a/notes.md", "a changed")])?;
        w.add(&[out("b/notes.md", "b")])?;
        w.add(&[out("podcast.xml", "feed 2")])?;
        let listed = ["a/notes.md", "b/notes.md", "podcast.xml"].map(PathBuf::from);
        let written = w.commit(&index, &listed, 0, || Ok(()))?;
        assert_eq!(
            written.changed,
            ["b/notes.md", "a/notes.md", "podcast.xml"].map(PathBuf::from)
        );
        let all = [
            out("podcast.xml", "feed 2"),
            out("a/notes.md", "a changed"),
            out("b/notes.md", "b"),
        ];
        assert!(check(dir.path(), &index, &all).is_empty());
        Ok(())
    }

    #[test]
    fn the_index_inside_the_output_folder_is_read_once_then_removed() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let state = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let index = Index::new(state.path(), dir.path());
        for (path, bytes) in [
            ("podcast.xml", "feed 1"),
            ("old/notes.md", "gone"),
            ("mine.txt", "not mspod's"),
            (LEGACY_INDEX_FILE, "old/notes.md\npodcast.xml\n"),
        ] {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap_or(dir.path()))
                .map_err(|e| Error::io(&p, e))?;
            std::fs::write(&p, bytes).map_err(|e| Error::io(&p, e))?;
        }
        let outputs = [out("podcast.xml", "feed 2")];
        let w = write(dir.path(), &index, &outputs, &[])?;
        assert_eq!(
            w.removed,
            [
                PathBuf::from("old/notes.md"),
                PathBuf::from(LEGACY_INDEX_FILE)
            ]
        );
        assert!(dir.path().join("mine.txt").is_file(), "not listed, kept");
        let text = std::fs::read_to_string(index.path()).map_err(|e| Error::io("index", e))?;
        assert_eq!(
            text,
            format!(
                "# out from the root: {}\npodcast.xml\n",
                dir.path().display()
            )
        );
        // An index written for another folder says nothing about this one.
        let other = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let stray = other.path().join("podcast.xml");
        std::fs::write(&stray, "x").map_err(|e| Error::io(&stray, e))?;
        let elsewhere = Index::new(state.path(), other.path());
        let w = write(other.path(), &elsewhere, &[out("index.html", "i")], &[])?;
        assert!(w.removed.is_empty());
        assert!(stray.is_file());
        Ok(())
    }

    /// The index names its folder from the content root: a publish with the root spelled
    /// another way (or an index an earlier version wrote) still cleans up what the last
    /// one wrote.
    #[test]
    fn the_index_is_found_whichever_way_the_root_is_named() -> Result<()> {
        let root = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let out_dir = root.path().join("feeds");
        let first = [out("podcast.xml", "feed 1"), out("gone/notes.md", "gone")];
        write(&out_dir, &Index::new(root.path(), &out_dir), &first, &[])?;
        let text = std::fs::read_to_string(root.path().join(INDEX_FILE))
            .map_err(|e| Error::io("index", e))?;
        assert_eq!(
            text,
            "# out from the root: feeds\ngone/notes.md\npodcast.xml\n"
        );

        let respelled = root.path().join("./feeds/");
        let second = [out("podcast.xml", "feed 2"), out("kept/notes.md", "kept")];
        let index = Index::new(&root.path().join("."), &respelled);
        assert_eq!(check(&respelled, &index, &second).len(), 3, "{second:?}");
        let w = write(&respelled, &index, &second, &[])?;
        assert_eq!(w.removed, [PathBuf::from("gone/notes.md")]);

        // An index as earlier versions wrote it: the folder as the root was spelled.
        let legacy = format!("# out: {}\nkept/notes.md\npodcast.xml\n", out_dir.display());
        std::fs::write(root.path().join(INDEX_FILE), legacy).map_err(|e| Error::io("index", e))?;
        let third = [out("podcast.xml", "feed 3")];
        let w = write(&out_dir, &Index::new(root.path(), &out_dir), &third, &[])?;
        assert_eq!(w.removed, [PathBuf::from("kept/notes.md")]);

        // As the previous version wrote it: the folder named from the root, in the
        // older wording. Another folder's index is not this one's, in either wording.
        let index = Index::new(root.path(), &out_dir);
        for (first_line, ours) in [
            ("# out: feeds", true),
            ("# out from the root: feeds", true),
            ("# out: elsewhere", false),
            ("# out from the root: elsewhere", false),
            ("# out from the root: /feeds", false),
        ] {
            let text = format!("{first_line}\npodcast.xml\n");
            std::fs::write(index.path(), text).map_err(|e| Error::io("index", e))?;
            let expected = ours.then(|| vec!["podcast.xml".to_string()]);
            assert_eq!(listed_files(&out_dir, &index), expected, "{first_line}");
        }
        Ok(())
    }
}
