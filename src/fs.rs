//! File-system plumbing for paths mspod does not choose itself.
//!
//! Contributors name files in `mspod.toml` and `episode.toml`, and anyone with
//! write access to the repository can commit symbolic links. Four rules keep
//! that from reaching outside the content folder:
//!
//! - [`confined_file`]: a path from a manifest must resolve, after following
//!   symlinks, to a regular file inside the content root;
//! - [`refuse_symlinks`]: nothing is written or deleted through a symlink below
//!   the output folder;
//! - [`open_regular`]: a file is opened only once it is known to be a regular
//!   file (opening a FIFO blocks forever);
//! - [`write_file_atomic`]: single files are replaced by rename, never half-written.
//!
//! [`digest`] and [`Stamp`] say whether bytes or a file changed (caches, the
//! incremental publish, deploy); [`hex`] is the one hex encoder. [`RunLock`] keeps
//! two publishes from writing one content folder at once.
//!
//! [`read`], [`read_to_string`], [`write_new`], [`create_dir_all`] and their kin are
//! the standard calls with the path named in the error ([`Error::io`]), so callers
//! never map an `io::Error` by hand and no message says only "No such file".

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::{File, Metadata};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

/// [`std::fs::read`], naming `path` on failure.
pub(crate) fn read(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    let path = path.as_ref();
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// [`read`], or `None` when `path` does not exist.
pub(crate) fn read_if_exists(path: impl AsRef<Path>) -> Result<Option<Vec<u8>>> {
    let path = path.as_ref();
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// [`std::fs::read_to_string`], naming `path` on failure (also when it is not UTF-8).
pub(crate) fn read_to_string(path: impl AsRef<Path>) -> Result<String> {
    let path = path.as_ref();
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

/// The entries of the folder `dir`, in the order the OS lists them; a failure
/// while listing names `dir`.
pub(crate) fn read_dir(dir: impl AsRef<Path>) -> Result<Vec<std::fs::DirEntry>> {
    let dir = dir.as_ref();
    std::fs::read_dir(dir)
        .and_then(|entries| entries.collect())
        .map_err(|e| Error::io(dir, e))
}

/// [`std::fs::metadata`] (links followed), naming `path` on failure.
pub(crate) fn metadata(path: impl AsRef<Path>) -> Result<Metadata> {
    let path = path.as_ref();
    std::fs::metadata(path).map_err(|e| Error::io(path, e))
}

/// [`File::open`] for reading, naming `path` on failure.
pub(crate) fn open(path: impl AsRef<Path>) -> Result<File> {
    let path = path.as_ref();
    File::open(path).map_err(|e| Error::io(path, e))
}

/// [`std::fs::create_dir_all`], naming `path` on failure.
pub(crate) fn create_dir_all(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}

/// Creates `path`, which must not exist yet (an existing file is an error, never
/// overwritten), with `bytes`. Not atomic: for files nothing reads until the
/// command is done (see [`write_file_atomic`] for files that are replaced).
pub(crate) fn write_new(path: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> Result<()> {
    let path = path.as_ref();
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| io::Write::write_all(&mut f, bytes.as_ref()))
        .map_err(|e| Error::io(path, e))
}

/// Removes the file `path`; returns whether there was one (a missing file is no error).
pub(crate) fn remove_file_if_exists(path: impl AsRef<Path>) -> Result<bool> {
    let path = path.as_ref();
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// [`std::fs::rename`]; a failure names `to`, the path the user knows (`from` is
/// usually a staging or temporary name).
pub(crate) fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<()> {
    let to = to.as_ref();
    std::fs::rename(from, to).map_err(|e| Error::io(to, e))
}

/// `path` with `.` dropped and `..` folded into its parent, without touching the disk.
/// Leading `..` that cannot be folded are kept.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// How mspod's own records (caches, the last publish, the episode records) name a
/// path: relative to the content root, so they still match when the root is spelled
/// another way (`--root show`, `--root /srv/show`, or run inside it). A path outside
/// the root is named by its absolute path (which `root.join` gives back as it is).
pub(crate) fn root_name(root: &Path, path: &Path) -> PathBuf {
    RootNames::new(root).name(path)
}

/// [`root_name`] for many paths: the root and the current folder looked up once.
pub(crate) struct RootNames {
    cwd: PathBuf,
    root: PathBuf,
}

impl RootNames {
    pub(crate) fn new(root: &Path) -> RootNames {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = normalize(&cwd.join(root));
        RootNames { cwd, root }
    }

    pub(crate) fn name(&self, path: &Path) -> PathBuf {
        let path = normalize(&self.cwd.join(path));
        match path.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => path,
        }
    }
}

/// The content root as the OS sees it (symlinks resolved), for [`confined_file`].
pub(crate) fn canonical_root(root: &Path) -> Result<PathBuf> {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    root.canonicalize().map_err(|e| Error::io(root, e))
}

/// Checks that `path` (as written in a manifest, joined to its folder) is a regular
/// file inside `root` (canonical) once every symlink is followed, and returns its
/// metadata (so the caller need not stat it again). The error is a message for the
/// caller to put after the file and key.
pub(crate) fn confined_file(root: &Path, path: &Path) -> std::result::Result<Metadata, String> {
    let real = match path.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let dangling = std::fs::symlink_metadata(path).is_ok();
            return Err(if dangling {
                format!("{} is a symbolic link to a missing file", path.display())
            } else {
                format!("{} not found", path.display())
            });
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    if !real.starts_with(root) {
        return Err(format!(
            "{} is outside the content folder {} (it resolves to {}): every file a show publishes must be inside it",
            path.display(),
            root.display(),
            real.display()
        ));
    }
    let meta = std::fs::metadata(&real).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!(
            "{} is not a regular file (it is a {})",
            path.display(),
            kind(&meta)
        ));
    }
    Ok(meta)
}

/// Checks that a folder (an episode folder, say) resolves inside `root`; returns where
/// it really is, for [`confined_file_in`].
pub(crate) fn confined_dir(root: &Path, dir: &Path) -> std::result::Result<PathBuf, String> {
    let real = dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(format!(
            "{} is a symbolic link to {}, outside the content folder {}: move the folder inside it",
            dir.display(),
            real.display(),
            root.display()
        ))
    }
}

/// [`confined_file`] for `dir/rel` when `dir` is known to be at `dir_real`, inside the
/// root. A plain relative name with no link along it is checked with one `lstat` per
/// part instead of resolving the whole path (a publish does this for every episode).
pub(crate) fn confined_file_in(
    root: &Path,
    dir: &Path,
    dir_real: &Path,
    rel: &Path,
) -> std::result::Result<Metadata, String> {
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        let mut at = dir_real.to_path_buf();
        let mut last = None;
        for part in rel.components() {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if !m.file_type().is_symlink() => last = Some(m),
                _ => {
                    last = None;
                    break;
                }
            }
        }
        match last {
            Some(m) if m.is_file() => return Ok(m),
            Some(m) => {
                return Err(format!(
                    "{} is not a regular file (it is a {})",
                    dir.join(rel).display(),
                    kind(&m)
                ));
            }
            // A link or a missing part: resolve the whole path to say which.
            None => {}
        }
    }
    confined_file(root, &dir.join(rel))
}

/// What a non-regular file is, for messages.
pub(crate) fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "folder";
    }
    if t.is_symlink() {
        return "symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO (named pipe)";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
    }
    if t.is_file() { "file" } else { "special file" }
}

/// Opens `path` for reading only if it is a regular file: opening a FIFO would block
/// until something writes to it, and a device can be endless.
pub(crate) fn open_regular(path: &Path) -> io::Result<File> {
    let not_regular = |meta: &Metadata| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file (it is a {})", kind(meta)),
        )
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let file = File::open(path)?;
    // The path may have been swapped between the two calls; the open file cannot.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

/// The bytes of `path` if it is a regular file ([`open_regular`]).
pub(crate) fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut open_regular(path)?, &mut bytes)?;
    Ok(bytes)
}

/// Reads a regular file of lines a block of whole lines at a time (about `block`
/// bytes; a longer line is one block), calling `each(offset, lines)` with where the
/// block starts in the file, until it returns `false`. Returns the bytes read. A large
/// file of JSON lines is never in memory whole (a last line without its newline is
/// still given: the caller decides whether it is whole).
pub(crate) fn line_blocks(
    path: &Path,
    block: usize,
    each: impl FnMut(u64, &[u8]) -> bool,
) -> io::Result<u64> {
    line_blocks_from(path, 0, block, each)
}

/// [`line_blocks`] from byte `start` on (which must begin a line); returns where the
/// reading stopped.
pub(crate) fn line_blocks_from(
    path: &Path,
    start: u64,
    block: usize,
    each: impl FnMut(u64, &[u8]) -> bool,
) -> io::Result<u64> {
    line_blocks_of(&open_regular(path)?, start, block, each)
}

/// [`line_blocks_from`] of a file already open (a caller that reads single lines of it
/// later keeps it open: a file put in its place meanwhile is not the one indexed).
pub(crate) fn line_blocks_of(
    file: &File,
    start: u64,
    block: usize,
    mut each: impl FnMut(u64, &[u8]) -> bool,
) -> io::Result<u64> {
    use std::os::unix::fs::FileExt as _;
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    let mut offset = start;
    loop {
        let had = buf.len();
        buf.resize(had + block, 0);
        let n = loop {
            match file.read_at(&mut buf[had..], offset + had as u64) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                read => break read?,
            }
        };
        buf.truncate(had + n);
        let end = match n {
            0 => buf.len(),
            _ => match memchr::memrchr(b'\n', &buf) {
                Some(at) => at + 1,
                None => continue,
            },
        };
        if end > 0 && !each(offset, &buf[..end]) {
            return Ok(offset + end as u64);
        }
        offset += end as u64;
        buf.drain(..end);
        if n == 0 {
            return Ok(offset);
        }
    }
}

/// Refuses when `base/rel`, or any folder between `base` and it, is a symbolic link
/// (dangling or not). `base` itself is not checked: the user named it.
pub(crate) fn refuse_symlinks(base: &Path, rel: &Path) -> Result<()> {
    let mut at = base.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(part) => at.push(part),
            _ => {
                return Err(Error::io(
                    base.join(rel),
                    io::Error::other("not a plain relative path inside the output folder"),
                ));
            }
        }
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Error::io(
                    &at,
                    io::Error::other(
                        "is a symbolic link: mspod never writes or deletes through links in the folders it writes to (remove it and publish again)",
                    ),
                ));
            }
            Ok(_) => {}
            // Nothing further down exists yet.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(&at, e)),
        }
    }
    Ok(())
}

/// Replaces `path` with `bytes` atomically (temp file in the same folder, then
/// rename); does nothing if the content is already the same. Returns whether it wrote.
/// Errors name `path`, never the temp file.
pub(crate) fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    if read_regular(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    replace_atomic(path, bytes).map_err(|e| Error::io(path, e))?;
    Ok(true)
}

/// The one atomic single-file writer: `bytes` go to a temp file in `path`'s folder,
/// which is then renamed over `path`, so a reader (or a killed run) sees the old file
/// or the new one, never half of it. Always writes; [`write_file_atomic`] skips
/// unchanged content. The error says what failed for the caller to put after `path`
/// (the temp file's name means nothing to the user).
pub(crate) fn replace_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_atomic_with(path, |w| w.write_all(bytes))
}

/// [`replace_atomic`] for content `write` produces as it goes (a large cache is
/// serialized straight to the file, never held whole).
pub(crate) fn replace_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<()> {
    stage(path, write)?.put()
}

/// A file written beside its place now and put there later (a publish writes
/// mspod.lock before its switch and puts it in place at the switch); dropped unput,
/// it is removed.
pub(crate) struct Staged {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
}

fn cannot_write(e: io::Error) -> io::Error {
    let kind = e.kind();
    io::Error::new(kind, format!("cannot write it: {kind}"))
}

/// Writes what `write` produces to a temp file in `path`'s folder, to be put in place
/// by [`Staged::put`].
pub(crate) fn stage(
    path: &Path,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<Staged> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Named after the file: one left by a killed run says what it was.
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .tempfile_in(dir)
        .map_err(cannot_write)?;
    let mut out = io::BufWriter::with_capacity(1 << 16, temp);
    write(&mut out).map_err(cannot_write)?;
    let temp = out.into_inner().map_err(|e| cannot_write(e.into_error()))?;
    Ok(Staged {
        temp,
        path: path.to_path_buf(),
    })
}

/// Removes what [`stage`] left beside `path` in a run killed before [`Staged::put`]
/// (regular files named after `path`; a link is never followed, only removed). Call it
/// only where no other run can be staging the same file (under the publish lock).
pub(crate) fn remove_staged_leftovers(path: &Path) -> io::Result<()> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(());
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ours = entry.file_name().to_string_lossy().starts_with(&prefix);
        if ours
            && entry
                .file_type()
                .is_ok_and(|t| t.is_file() || t.is_symlink())
        {
            match std::fs::remove_file(entry.path()) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    Ok(())
}

impl Staged {
    /// Renames it over its place: a reader (or a killed run) sees the old file or the
    /// new one, never half of it.
    pub(crate) fn put(self) -> io::Result<()> {
        self.temp
            .persist(&self.path)
            .map(drop)
            .map_err(|e| cannot_write(e.error))
    }

    /// [`Staged::put`] unless the file in its place already has these bytes (then it
    /// is left alone, its modification time too); whether it was put.
    pub(crate) fn put_if_changed(self) -> io::Result<bool> {
        let len = self.temp.as_file().metadata().map_err(cannot_write)?.len();
        if same_bytes(self.temp.path(), &self.path, len) {
            return Ok(false);
        }
        self.put().map(|()| true)
    }
}

/// Whether the regular file `b` has exactly the bytes of `a` (`len` long), compared
/// in blocks so neither is held whole.
pub(crate) fn same_bytes(a: &Path, b: &Path, len: u64) -> bool {
    use std::io::Read as _;
    if !std::fs::symlink_metadata(b).is_ok_and(|m| m.is_file() && m.len() == len) {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (File::open(a), File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (
        io::BufReader::with_capacity(1 << 20, fa),
        io::BufReader::with_capacity(1 << 20, fb),
    );
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return true;
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Creates (or truncates) `path` for writing.
pub(crate) fn create(path: impl AsRef<Path>) -> Result<File> {
    let path = path.as_ref();
    File::create(path).map_err(|e| Error::io(path, e))
}

/// Appends what `write` writes to `path` (created if missing). It may take several
/// writes: a reader must take a last line without its newline for a cut one.
pub(crate) fn append(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        // Private like the files the atomic writer makes.
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    write(&mut f).map_err(|e| Error::io(path, e))
}

/// Copies `len` bytes of `from`, starting at `start`, to `to`, a block at a time.
pub(crate) fn copy_range(
    from: &File,
    start: u64,
    len: u64,
    to: &mut impl io::Write,
) -> io::Result<()> {
    use std::os::unix::fs::FileExt as _;
    let mut buf = vec![0; len.min(1 << 20) as usize];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(buf.len() as u64) as usize;
        from.read_exact_at(&mut buf[..n], start + done)?;
        to.write_all(&buf[..n])?;
        done += n as u64;
    }
    Ok(())
}

/// Writes `value` as JSON to `path` atomically, streamed.
pub(crate) fn replace_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir_all(dir)?;
    }
    replace_atomic_with(path, |w| {
        serde_json::to_writer(w, value).map_err(io::Error::other)
    })
    .map_err(|e| Error::io(path, e))
}

/// SHA-256 of some bytes, hex.
pub(crate) fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The first 128 bits of the SHA-256 of some bytes: a key held in memory for each of
/// many entries (a store's index, a lent listing's identity), where a hex string would
/// cost five times as much.
pub(crate) fn short_digest(bytes: &[u8]) -> u128 {
    let digest = Sha256::digest(bytes);
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

/// SHA-256 of a regular file's content, hex, read in blocks (audio can be large).
pub(crate) fn file_digest(path: &Path) -> io::Result<String> {
    use std::io::Read;
    thread_local! {
        // One read buffer per thread: a new zeroed one for each file (each audio file of
        // a cold publish) cost a tenth of the hashing in page faults.
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 1 << 17]);
    }
    let mut f = open_regular(path)?;
    let mut hasher = Sha256::new();
    BUF.with_borrow_mut(|buf| {
        loop {
            let n = match f.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&buf[..n]);
        }
        Ok(())
    })?;
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex, two digits per byte: the one encoder for digests in file names,
/// caches and object metadata.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// A file's size and modification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: u128,
}

impl Stamp {
    /// The file at `path` (where this stamp's file is now) still has this size and
    /// modification time.
    pub(crate) fn holds_at(&self, path: &Path) -> bool {
        Stamp::of(path).is_some_and(|now| now.size == self.size && now.mtime_ns == self.mtime_ns)
    }

    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            path: path.to_path_buf(),
            size: meta.len(),
            mtime_ns: mtime_ns(&meta)?,
        })
    }
}

/// A file's modification time in nanoseconds since 1970, the half of a stamp the
/// size does not give; `None` when the OS has none (or it is before 1970).
pub(crate) fn mtime_ns(meta: &Metadata) -> Option<u128> {
    let since = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(since.as_nanos())
}

/// The publish lock under the content root, held while the value lives.
pub(crate) const RUN_LOCK_FILE: &str = ".mspod/publish.lock";

/// An exclusive lock on a content folder: one command that writes it (publish, pair,
/// new, import) at a time.
#[derive(Debug)]
pub(crate) struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock or fails at once, naming the lock file: a second publish waiting
    /// silently behind a long first one looks hung, and would then redo its work.
    pub(crate) fn acquire(root: &Path) -> Result<RunLock> {
        let path = root.join(RUN_LOCK_FILE);
        if let Some(dir) = path.parent() {
            create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::io(
                &path,
                io::Error::new(
                    io::ErrorKind::WouldBlock,
                    "another mspod command that writes this content folder (publish, pair, new or import) is running and holds this lock: wait for it to finish, then run again",
                ),
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a/..")), PathBuf::from(".."));
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
    }

    /// However the root is spelled, a file under it has one name in mspod's records.
    #[test]
    fn files_under_the_root_are_named_from_it() {
        let named = |root: &str, path: &str| root_name(Path::new(root), Path::new(path));
        for (root, path) in [
            ("", "feeds/podcast.xml"),
            (".", "./feeds/podcast.xml"),
            ("show", "show/feeds/podcast.xml"),
            ("show/", "show/./feeds/podcast.xml"),
            ("/srv/show", "/srv/show/feeds/podcast.xml"),
        ] {
            assert_eq!(
                named(root, path),
                PathBuf::from("feeds/podcast.xml"),
                "{root}"
            );
        }
        let cwd = std::env::current_dir().expect("current dir");
        assert_eq!(
            named(cwd.to_str().expect("utf-8"), "feeds"),
            PathBuf::from("feeds")
        );
        // Outside the root: absolute, so joining it to the root gives it back.
        assert_eq!(
            named("show", "/srv/www/podcast.xml"),
            PathBuf::from("/srv/www/podcast.xml")
        );
        assert_eq!(named("show", "show/../www"), cwd.join("www"));
    }

    #[test]
    fn helpers_name_the_path_they_failed_on() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let missing = dir.path().join("missing.txt");
        let named = |r: Result<()>| match r {
            Err(Error::Io { path, .. }) => path,
            other => panic!("expected an I/O error, got {other:?}"),
        };
        assert_eq!(named(read(&missing).map(drop)), missing);
        assert_eq!(named(read_to_string(&missing).map(drop)), missing);
        assert_eq!(named(read_dir(&missing).map(drop)), missing);
        assert_eq!(named(open(&missing).map(drop)), missing);
        assert_eq!(named(metadata(&missing).map(drop)), missing);
        assert_eq!(named(rename(dir.path().join("a"), &missing)), missing);
        assert_eq!(read_if_exists(&missing)?, None);
        assert!(!remove_file_if_exists(&missing)?);

        write_new(&missing, "first")?;
        // An existing file is never overwritten.
        assert_eq!(named(write_new(&missing, "second")), missing);
        assert_eq!(read_if_exists(&missing)?, Some(b"first".to_vec()));
        assert!(remove_file_if_exists(&missing)?);
        assert!(!missing.exists());
        Ok(())
    }

    #[test]
    fn hex_is_lowercase_two_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(
            digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn files_must_stay_inside_the_root() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let root = dir.path().join("root");
        create_dir_all(root.join("ep"))?;
        write_new(root.join("ep/a.md"), "x")?;
        write_new(dir.path().join("secret"), "x")?;
        let root = canonical_root(&root)?;
        assert!(confined_file(&root, &root.join("ep/a.md")).is_ok());
        let outside = confined_file(&root, &root.join("ep/../../secret"));
        assert!(outside.is_err_and(|m| m.contains("outside the content folder")));
        assert!(confined_file(&root, &root.join("ep")).is_err_and(|m| m.contains("folder")));
        assert!(confined_file(&root, &root.join("nope")).is_err_and(|m| m.contains("not found")));
        Ok(())
    }

    mod line_blocks {
        use super::super::line_blocks;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            /// Whatever the text and the block size, the blocks are whole lines (only
            /// the last may lack its newline), at their offsets, and together the file.
            #[test]
            fn blocks_are_whole_lines_that_make_the_file(
                lines in proptest::collection::vec("[a-z\t\"]{0,40}", 0..30),
                last_newline in any::<bool>(),
                block in 1usize..64,
            ) {
                let mut text = lines.join("\n");
                if last_newline && !text.is_empty() {
                    text.push('\n');
                }
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("lines");
                std::fs::write(&path, &text).expect("write");
                let mut seen = Vec::new();
                let read = line_blocks(&path, block, |offset, lines| {
                    seen.push((offset, lines.to_vec()));
                    true
                })
                .expect("read");
                prop_assert_eq!(read, text.len() as u64);
                let mut joined = Vec::new();
                for (i, (offset, lines)) in seen.iter().enumerate() {
                    prop_assert_eq!(*offset, joined.len() as u64);
                    prop_assert!(!lines.is_empty());
                    if i + 1 < seen.len() {
                        prop_assert_eq!(lines.last(), Some(&b'\n'));
                    }
                    joined.extend_from_slice(lines);
                }
                prop_assert_eq!(joined, text.into_bytes());
            }
        }

        #[test]
        fn stops_when_told() {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("lines");
            std::fs::write(&path, "a\nb\nc\n").expect("write");
            let mut calls = 0;
            let read = line_blocks(&path, 2, |_, _| {
                calls += 1;
                false
            })
            .expect("read");
            assert_eq!((calls, read), (1, 2));
        }
    }
}
