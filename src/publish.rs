//! Stage 6: write the outputs atomically, or check that they are current.
//!
//! Every file is first written in full to a staging folder beside the output
//! folder, then renamed into place (the feed last, so it never points at notes
//! that are not there yet). Unchanged files are left alone. If anything fails
//! before the renames, the previous outputs are untouched.

use crate::error::{Error, Result};
use crate::render::{FEED_FILE, Output};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lists the files mspod wrote last time, so files of removed episodes can be
/// cleaned up without touching anything else in the folder. It lives under the
/// content root's `.mspod/`, not in the deployed folder.
pub const INDEX_FILE: &str = ".mspod/published-files";

/// Where earlier versions kept the index: inside the output folder, where it
/// was deployed with the site. Read once if the new one is missing, then removed.
pub const LEGACY_INDEX_FILE: &str = ".mspod-files";

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub changed: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

/// The outputs in write order (feed last).
fn ordered(outputs: &[Output]) -> Vec<Output> {
    let mut all: Vec<Output> = outputs.to_vec();
    all.sort_by_key(|o| (o.path == Path::new(FEED_FILE), o.path.clone()));
    all
}

/// The index of a publish into `out_dir`: its folder, then one file per line.
fn listing(out_dir: &Path, outputs: &[Output], kept: &[PathBuf]) -> String {
    let files: BTreeSet<String> = outputs
        .iter()
        .map(|o| &o.path)
        .chain(kept)
        .map(|p| slash_path(p))
        .collect();
    let mut text = format!("# out: {}\n", out_dir.display());
    for f in files {
        text.push_str(&f);
        text.push('\n');
    }
    text
}

/// The files the last publish into `out_dir` wrote: from `index`, or from the
/// legacy index inside `out_dir`. An index written for another folder is ignored.
fn previous_files(out_dir: &Path, index: &Path) -> Vec<String> {
    if let Ok(text) = std::fs::read_to_string(index) {
        let mut lines = text.lines();
        let header = format!("# out: {}", out_dir.display());
        return if lines.next() == Some(header.as_str()) {
            lines.map(str::to_string).collect()
        } else {
            Vec::new()
        };
    }
    std::fs::read_to_string(out_dir.join(LEGACY_INDEX_FILE))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files listed in the previous index that the new outputs no longer contain,
/// and the legacy index itself.
fn stale(out_dir: &Path, index: &Path, outputs: &[Output], kept: &[PathBuf]) -> Vec<PathBuf> {
    let previous = previous_files(out_dir, index);
    let current: BTreeSet<String> = outputs
        .iter()
        .map(|o| &o.path)
        .chain(kept)
        .map(|p| slash_path(p))
        .collect();
    previous
        .iter()
        .map(String::as_str)
        .chain([LEGACY_INDEX_FILE])
        .filter(|l| !l.is_empty() && !current.contains(*l))
        // Never follow a listed path outside the output folder.
        .filter(|l| {
            !l.split('/').any(|part| part == ".." || part.is_empty()) && !l.starts_with('/')
        })
        .map(PathBuf::from)
        .filter(|p| out_dir.join(p).is_file())
        .collect()
}

/// Writes `outputs` under `out_dir`; `kept` are files already current there.
/// `index` remembers what was written, for the next publish's clean-up.
pub fn write(
    out_dir: &Path,
    index: &Path,
    outputs: &[Output],
    kept: &[PathBuf],
) -> Result<Written> {
    std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
    let all = ordered(outputs);
    let staging = tempfile::Builder::new()
        .prefix(".mspod-staging-")
        .tempdir_in(out_dir)
        .map_err(|e| Error::io(out_dir, e))?;

    // Stage every file that replaces an existing one; nothing in out_dir is touched yet.
    // A file that does not exist yet replaces nothing, so it is written in place:
    // staging it too doubled the cost of a first publish (one more create and a
    // rename per file) and protects nothing, since the feed that would point at it
    // is always staged and renamed last.
    let mut staged = Vec::new();
    let mut fresh = Vec::new();
    let mut written = Written::default();
    for (n, o) in all.iter().enumerate() {
        let target = out_dir.join(&o.path);
        match std::fs::read(&target) {
            Ok(old) if old == o.bytes => {
                written.unchanged += 1;
                continue;
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && o.path != Path::new(FEED_FILE) =>
            {
                fresh.push((target, o));
                continue;
            }
            _ => {}
        }
        let temp = staging.path().join(n.to_string());
        std::fs::write(&temp, &o.bytes).map_err(|e| Error::io(&temp, e))?;
        staged.push((temp, target, o.path.clone()));
    }
    for (target, o) in fresh {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&target, &o.bytes).map_err(|e| Error::io(&target, e))?;
        written.changed.push(o.path.clone());
    }
    written.unchanged += kept.len();
    let removed = stale(out_dir, index, outputs, kept);

    for (temp, target, relative) in staged {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::rename(&temp, &target).map_err(|e| Error::io(&target, e))?;
        written.changed.push(relative);
    }
    if let Some(dir) = index.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    write_file_atomic(index, listing(out_dir, outputs, kept).as_bytes())?;
    for r in &removed {
        let path = out_dir.join(r);
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        if let Some(parent) = path.parent().filter(|p| *p != out_dir) {
            // Only succeeds when the episode folder is now empty.
            let _ = std::fs::remove_dir(parent);
        }
    }
    written.removed = removed;
    Ok(written)
}

/// What `--check` finds: files that would change, appear or disappear.
pub fn check(out_dir: &Path, index: &Path, outputs: &[Output]) -> Vec<String> {
    let mut problems = Vec::new();
    for o in ordered(outputs) {
        let target = out_dir.join(&o.path);
        match std::fs::read(&target) {
            Ok(old) if old == o.bytes => {}
            Ok(_) => problems.push(format!("{} is out of date", target.display())),
            Err(_) => problems.push(format!("{} is missing", target.display())),
        }
    }
    for r in stale(out_dir, index, outputs, &[]) {
        problems.push(format!(
            "{} is no longer published and would be removed",
            out_dir.join(r).display()
        ));
    }
    problems
}

/// Replaces `path` with `bytes` atomically (temp file in the same folder, then
/// rename); does nothing if the content is already the same. Returns whether it wrote.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    std::io::Write::write_all(&mut temp, bytes).map_err(|e| Error::io(temp.path(), e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let index = state.path().join(INDEX_FILE);
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
    fn the_index_inside_the_output_folder_is_read_once_then_removed() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let state = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let index = state.path().join(INDEX_FILE);
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
        let text = std::fs::read_to_string(&index).map_err(|e| Error::io(&index, e))?;
        assert_eq!(
            text,
            format!("# out: {}\npodcast.xml\n", dir.path().display())
        );
        // An index written for another folder says nothing about this one.
        let other = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let stray = other.path().join("podcast.xml");
        std::fs::write(&stray, "x").map_err(|e| Error::io(&stray, e))?;
        let w = write(other.path(), &index, &[out("index.html", "i")], &[])?;
        assert!(w.removed.is_empty());
        assert!(stray.is_file());
        Ok(())
    }
}
