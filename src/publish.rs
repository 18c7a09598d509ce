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
/// cleaned up without touching anything else in the folder.
pub const INDEX_FILE: &str = ".mspod-files";

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub changed: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

/// The outputs plus the index of them, in write order (feed last).
fn with_index(outputs: &[Output], kept: &[PathBuf]) -> Vec<Output> {
    let mut all: Vec<Output> = outputs.to_vec();
    let listing: String = outputs
        .iter()
        .map(|o| &o.path)
        .chain(kept)
        .map(|p| format!("{}\n", slash_path(p)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    all.push(Output {
        path: PathBuf::from(INDEX_FILE),
        bytes: listing.into_bytes(),
    });
    all.sort_by_key(|o| (o.path == Path::new(FEED_FILE), o.path.clone()));
    all
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files listed in the previous index that the new outputs no longer contain.
fn stale(out_dir: &Path, outputs: &[Output], kept: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(previous) = std::fs::read_to_string(out_dir.join(INDEX_FILE)) else {
        return Vec::new();
    };
    let current: BTreeSet<String> = outputs
        .iter()
        .map(|o| &o.path)
        .chain(kept)
        .map(|p| slash_path(p))
        .collect();
    previous
        .lines()
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
pub fn write(out_dir: &Path, outputs: &[Output], kept: &[PathBuf]) -> Result<Written> {
    std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
    let all = with_index(outputs, kept);
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
        if o.path != Path::new(INDEX_FILE) {
            written.changed.push(o.path.clone());
        }
    }
    written.unchanged += kept.len();
    let removed = stale(out_dir, outputs, kept);

    for (temp, target, relative) in staged {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::rename(&temp, &target).map_err(|e| Error::io(&target, e))?;
        if relative != Path::new(INDEX_FILE) {
            written.changed.push(relative);
        }
    }
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
pub fn check(out_dir: &Path, outputs: &[Output]) -> Vec<String> {
    let mut problems = Vec::new();
    for o in with_index(outputs, &[]) {
        let target = out_dir.join(&o.path);
        match std::fs::read(&target) {
            Ok(old) if old == o.bytes => {}
            Ok(_) => problems.push(format!("{} is out of date", target.display())),
            Err(_) => problems.push(format!("{} is missing", target.display())),
        }
    }
    for r in stale(out_dir, outputs, &[]) {
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
        let first = [
            out("podcast.xml", "feed 1"),
            out("a/notes.md", "a"),
            out("b/notes.md", "b"),
        ];
        let w = write(dir.path(), &first, &[])?;
        assert_eq!(w.changed.len(), 3);
        assert!(check(dir.path(), &first).is_empty());

        let second = [out("podcast.xml", "feed 2"), out("a/notes.md", "a")];
        assert_eq!(
            check(dir.path(), &second).len(),
            3,
            "feed, index and b/notes.md"
        );
        let w = write(dir.path(), &second, &[])?;
        assert_eq!(w.changed, [PathBuf::from("podcast.xml")]);
        assert_eq!(w.removed, [PathBuf::from("b/notes.md")]);
        assert!(!dir.path().join("b").exists());
        assert!(check(dir.path(), &second).is_empty());
        // No staging folder is left behind.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .map_err(|e| Error::io("tmp", e))?
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".mspod-staging")
            })
            .collect();
        assert!(leftovers.is_empty());
        Ok(())
    }
}
