//! Bounded random access to the file being probed.
//!
//! Every read is clipped to the file size seen when it was opened, so a corrupt length
//! field can never make the probe allocate more than the file holds (plus a fixed cap),
//! and a file that shrinks while it is read just yields short reads.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// The largest single structure read into memory (an ID3 tag, an MP4 `moov`, an Ogg
/// comment packet). Real ones are a few MB at most (cover art).
pub(super) const MAX_STRUCT: u64 = 64 << 20;

/// Where the bytes come from: a file, or memory (fuzzing, tests).
enum Inner {
    File(File),
    Memory(io::Cursor<Vec<u8>>),
}

pub struct Source {
    inner: Inner,
    /// The size when opened: the value reported as `bytes`.
    pub len: u64,
}

impl Source {
    pub fn open(path: &Path) -> io::Result<Source> {
        // Checked before opening: a FIFO would block the open (and `inspect`) forever.
        let file = crate::fs::open_regular(path)?;
        let meta = file.metadata()?;
        Ok(Source {
            inner: Inner::File(file),
            len: meta.len(),
        })
    }

    pub fn from_bytes(data: Vec<u8>) -> Source {
        Source {
            len: data.len() as u64,
            inner: Inner::Memory(io::Cursor::new(data)),
        }
    }

    /// Reads up to `len` bytes at `offset` (fewer at the end of the file, none past it).
    pub fn read_at(&mut self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        if offset >= self.len {
            return Ok(Vec::new());
        }
        let want = len.min(self.len - offset).min(MAX_STRUCT);
        let reader: &mut dyn ReadSeek = match &mut self.inner {
            Inner::File(f) => f,
            Inner::Memory(m) => m,
        };
        reader.seek(SeekFrom::Start(offset))?;
        // Read into spare capacity: a zeroed buffer (calloc) made the allocator purge
        // and fault in fresh pages for every window of every file probed.
        let mut buf = Vec::with_capacity(usize::try_from(want).unwrap_or(0));
        reader.take(want).read_to_end(&mut buf)?;
        Ok(buf)
    }

    /// Like [`Source::read_at`] but fails unless all `len` bytes are there.
    pub fn read_exact_at(&mut self, offset: u64, len: u64, what: &str) -> Result<Vec<u8>, String> {
        let buf = self.read_at(offset, len).map_err(|e| io_message(&e))?;
        if (buf.len() as u64) < len {
            return Err(format!("file ends inside the {what} (truncated?)"));
        }
        Ok(buf)
    }
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// A user-facing message for an I/O error while probing.
pub(super) fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidInput => e.to_string(),
        _ => format!("cannot read: {e}"),
    }
}

pub(super) fn be16(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(s) => u16::from_be_bytes([s[0], s[1]]),
        None => 0,
    }
}

pub(super) fn be32(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(s) => u32::from_be_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

pub(super) fn be64(b: &[u8], at: usize) -> u64 {
    (u64::from(be32(b, at)) << 32) | u64::from(be32(b, at + 4))
}

pub(super) fn le16(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(s) => u16::from_le_bytes([s[0], s[1]]),
        None => 0,
    }
}

pub(super) fn le32(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(s) => u32::from_le_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

pub(super) fn le64(b: &[u8], at: usize) -> u64 {
    (u64::from(le32(b, at + 4)) << 32) | u64::from(le32(b, at))
}
