//! What `load` found in each episode folder the last time (`.mspod/folders.jsonl`): the
//! folder's listing and its manifest's text, with what `stat` said of both. While
//! neither changed, the folder is not listed nor the manifest read again: a publish of
//! 10,000 episodes otherwise spends most of `load` in those system calls only to find
//! every folder as it was. The text is checked exactly as if it had been read, and
//! every file it names is still looked at: this only saves time.

use super::MANIFEST_FILE;
use super::manifest::{Folder, Kind};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Under the content root.
pub(crate) const FILE: &str = ".mspod/folders.jsonl";
const FORMAT: &str = "folders 3";

/// A file or folder as `stat` saw it. Adding, removing or renaming an entry changes a
/// folder's; writing a file changes its change time even when its modification time
/// is put back (`touch -r`), and a file replaced by another has another inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Seen {
    fn of(meta: &Metadata) -> Seen {
        Seen {
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Changed less than `settle` ago: not told apart from a change in the same
    /// clock tick (or second, on coarser file systems), so not remembered.
    /// A change time ahead of the clock counts as recent.
    fn too_recent(&self, settle: Duration) -> bool {
        let nanos = |secs: i128, nanos: i128| secs * 1_000_000_000 + nanos;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let now = nanos(now.as_secs().into(), now.subsec_nanos().into());
        let changed = nanos(self.ctime.0.into(), self.ctime.1.into());
        now - changed < nanos(settle.as_secs().into(), settle.subsec_nanos().into())
    }
}

/// What a record's `digest` is taken from.
fn digest(
    folder: &Seen,
    manifest: &Seen,
    entries: &[(String, Option<Kind>)],
    text: &str,
) -> Option<String> {
    let all = serde_json::to_vec(&(folder, manifest, entries, text)).ok()?;
    Some(crate::fs::digest(&all))
}

#[derive(Serialize, Deserialize)]
struct Found {
    folder: Seen,
    manifest: Seen,
    entries: Vec<(String, Option<Kind>)>,
    text: String,
    /// The digest of all of the above: a record damaged or edited by hand reads as none.
    digest: String,
}

/// The folders as last found, shared by the threads that load episodes.
pub(crate) struct Folders {
    store: Store,
    /// How long a folder or manifest must have been still to be remembered.
    settle: Duration,
    remembered: AtomicUsize,
    read: AtomicUsize,
}

impl Folders {
    /// The record under `root`; with `fresh`, nothing is read (everything is listed
    /// and read again) but what is found is still remembered.
    pub(crate) fn open(root: &Path, fresh: bool) -> Folders {
        let path = root.join(FILE);
        Folders {
            store: match fresh {
                true => Store::fresh(&path, FORMAT),
                false => Store::open(&path, FORMAT),
            },
            settle: Duration::from_secs(3),
            remembered: AtomicUsize::new(0),
            read: AtomicUsize::new(0),
        }
    }

    /// (folders as remembered, folders listed and read) so far.
    pub(crate) fn stats(&self) -> (usize, usize) {
        (
            self.remembered.load(Ordering::Relaxed),
            self.read.load(Ordering::Relaxed),
        )
    }

    /// The listing of episode folder `name` (at `real`, a folder, not a link) and its
    /// manifest's text, if neither changed since they were remembered.
    pub(super) fn get(&self, name: &str, real: &Path) -> Option<(Folder, String)> {
        let found: Found = serde_json::from_slice(&self.store.get(name)?).ok()?;
        if digest(&found.folder, &found.manifest, &found.entries, &found.text)? != found.digest {
            return None;
        }
        let folder = std::fs::symlink_metadata(real).ok()?;
        if Seen::of(&folder) != found.folder {
            return None;
        }
        let manifest = std::fs::symlink_metadata(real.join(MANIFEST_FILE)).ok()?;
        if !manifest.file_type().is_file() || Seen::of(&manifest) != found.manifest {
            return None;
        }
        self.remembered.fetch_add(1, Ordering::Relaxed);
        Some((Folder::listed(real, found.entries), found.text))
    }

    /// Remembers folder `name` as `folder` and `manifest` were seen before it was listed
    /// and its manifest's `text` read (a change while they were read shows next time).
    pub(super) fn put(
        &self,
        name: &str,
        (folder, manifest): (&Metadata, &Metadata),
        listing: &Folder,
        text: &str,
    ) {
        self.read.fetch_add(1, Ordering::Relaxed);
        let (folder, manifest) = (Seen::of(folder), Seen::of(manifest));
        if folder.too_recent(self.settle) || manifest.too_recent(self.settle) {
            return;
        }
        let Some(entries) = listing.entries() else {
            return;
        };
        let Some(digest) = digest(&folder, &manifest, &entries, text) else {
            return;
        };
        let found = Found {
            folder,
            manifest,
            entries,
            text: text.to_string(),
            digest,
        };
        if let Ok(json) = serde_json::to_vec(&found) {
            self.store.put(name, &json);
        }
    }

    /// Ends the run's changes (see [`Store::finish`]), after a load that visited every
    /// episode folder: the records of folders it did not visit (removed, renamed, now
    /// links) are dropped, so the record holds only the show as it is.
    pub(crate) fn finish(&self) -> std::io::Result<()> {
        self.store.forget_unused();
        self.store.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("listed") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            match entry.file_type().expect("type").is_dir() {
                true => copy_dir(&entry.path(), &target),
                false => drop(std::fs::copy(entry.path(), &target).expect("copied")),
            }
        }
    }

    /// The sample show's content (no caches, no outputs) in a temp folder.
    fn sample_show() -> tempfile::TempDir {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(repo.join("mspod.toml"), dir.path().join("mspod.toml")).expect("copied");
        copy_dir(&repo.join("episodes"), &dir.path().join("episodes"));
        dir
    }

    fn loaded(root: &Path, folders: Option<&Folders>) -> String {
        format!(
            "{:?}",
            super::super::load_with(root, folders).map(|c| c.manifests)
        )
    }

    /// "Changed a moment ago" is measured to the nanosecond: 1.2 s is not within half a
    /// second, whatever the whole seconds on either side say.
    #[test]
    fn recent_changes_are_measured_to_the_nanosecond() {
        let ago = |d: Duration| {
            let t = SystemTime::now() - d;
            let t = t.duration_since(UNIX_EPOCH).expect("after 1970");
            Seen {
                ino: 1,
                size: 0,
                mtime: (0, 0),
                ctime: (t.as_secs() as i64, i64::from(t.subsec_nanos())),
            }
        };
        let half = Duration::from_millis(500);
        assert!(!ago(Duration::from_millis(1200)).too_recent(half));
        assert!(ago(Duration::from_millis(100)).too_recent(half));
        assert!(ago(Duration::from_secs(1)).too_recent(Duration::from_secs(3)));
        assert!(!ago(Duration::from_secs(10)).too_recent(Duration::from_secs(3)));
        let ahead = Seen {
            ctime: (i64::MAX / 2, 0),
            ..ago(Duration::ZERO)
        };
        assert!(
            ahead.too_recent(Duration::ZERO),
            "a time ahead of the clock"
        );
    }

    /// A remembered folder loads exactly as listing it and reading its manifest would,
    /// and every change to it is seen (even a manifest edited with its size and
    /// modification time put back).
    #[test]
    fn a_remembered_folder_loads_as_a_read_one_would() {
        let show = sample_show();
        let root = show.path();
        // Remember folders changed a moment ago too (they were just copied).
        let open = || Folders {
            settle: Duration::ZERO,
            ..Folders::open(root, false)
        };
        let check = |change: &str, expected: (usize, usize)| {
            let folders = open();
            assert_eq!(loaded(root, Some(&folders)), loaded(root, None), "{change}");
            assert_eq!(folders.stats(), expected, "{change}");
            folders.finish().expect("saved");
        };
        check("first load", (0, 4));
        check("nothing changed", (4, 0));

        let welcome = root.join("episodes/welcome-to-mentalspace");
        std::fs::copy(
            root.join("episodes/first-therapy-session/transcript.vtt"),
            welcome.join("transcript.vtt"),
        )
        .expect("copied");
        check("a transcript added", (3, 1));

        let manifest = welcome.join(MANIFEST_FILE);
        let before = std::fs::metadata(&manifest).expect("stat");
        let text = std::fs::read_to_string(&manifest).expect("read");
        std::fs::write(&manifest, text.replace("season = 1", "season = 2")).expect("written");
        let file = std::fs::File::options()
            .write(true)
            .open(&manifest)
            .expect("open");
        file.set_modified(before.modified().expect("mtime"))
            .expect("mtime put back");
        assert_eq!(
            std::fs::metadata(&manifest).expect("stat").len(),
            before.len()
        );
        check(
            "a manifest edited, its size and modification time put back",
            (3, 1),
        );

        std::fs::remove_file(root.join("episodes/relationship-as-medicine/cover.jpg"))
            .expect("removed");
        check("a cover removed", (3, 1));

        // A manifest that became a link is checked the long way, never as remembered.
        let first = root.join("episodes/first-therapy-session");
        std::fs::rename(first.join(MANIFEST_FILE), first.join("real.toml")).expect("moved");
        std::os::unix::fs::symlink("real.toml", first.join(MANIFEST_FILE)).expect("linked");
        check("a manifest replaced by a link", (3, 0));

        // A record edited by hand (its stamps still match) reads as no record.
        let file = root.join(FILE);
        let records = std::fs::read_to_string(&file).expect("read");
        assert!(records.contains("season = 2"), "{records}");
        std::fs::write(&file, records.replace("season = 2", "season = 7")).expect("written");
        check("a record edited by hand", (2, 1));

        // A folder removed: its record goes with it (not kept for a folder that is gone).
        let gone = "relationship-as-medicine";
        assert!(open().store.get(gone).is_some());
        std::fs::remove_dir_all(root.join("episodes").join(gone)).expect("removed");
        check("a folder removed", (2, 0));
        assert_eq!(open().store.get(gone), None);
    }

    /// An episode folder that can be neither listed nor looked into is an error, never
    /// taken for a folder without an episode (which would unpublish it).
    #[test]
    fn an_unreadable_episode_folder_is_an_error() {
        use std::os::unix::fs::PermissionsExt as _;
        let show = sample_show();
        let welcome = show.path().join("episodes/welcome-to-mentalspace");
        let mode = |m: u32| {
            std::fs::set_permissions(&welcome, std::fs::Permissions::from_mode(m)).expect("chmod")
        };
        mode(0o000);
        // Root reads it anyway: nothing to check then (said, so a green run as root
        // is not taken for a check).
        if std::fs::read_dir(&welcome).is_ok() {
            eprintln!("skipped: permissions do not apply to this user (root)");
        } else {
            let err = super::super::load(show.path())
                .map(drop)
                .expect_err("an error");
            assert!(
                err.to_string()
                    .contains("welcome-to-mentalspace/episode.toml"),
                "{err}"
            );
            assert!(err.to_string().contains("ermission denied"), "{err}");
        }
        mode(0o755);
    }
}
