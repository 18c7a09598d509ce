//! Incremental publishing: when no input changed since the last successful
//! publish and the outputs are as it left them, there is nothing to do.
//!
//! The fingerprint covers everything a publish reads: mspod's version, the
//! options that change results, `mspod.toml`, every `episode.toml` (by
//! content), every article, audio and cover file (by size and modification
//! time), and `mspod.lock`. The outputs are checked by size and modification
//! time, so an edited or deleted output file is rebuilt too.

use crate::error::Result;
use crate::fs::Stamp;
use crate::load::Content;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Where the last publish is remembered, under the content root.
pub(crate) const STATE_FILE: &str = ".mspod/last-publish.json";
/// 2: outputs named from the content root (`fs::root_name`), not as the root was spelled.
const FORMAT: u32 = 2;

/// What the last successful publish read and wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    format: u32,
    fingerprint: String,
    /// Every file the publish wrote (outputs and the lock), as it left them; named
    /// from the content root.
    outputs: Vec<Stamp>,
    /// Warnings it printed, shown again when nothing is rebuilt.
    pub warnings: Vec<String>,
    pub episodes: usize,
    pub feed_bytes: usize,
}

/// The fingerprint of all inputs of a publish into `out_dir` with `options`, given
/// its [`episodes`] part.
pub(crate) fn fingerprint(
    content: &Content,
    out_dir: &Path,
    options: &str,
    episodes: &str,
) -> String {
    let mut h = Sha256::new();
    let mut add = |part: &[u8]| {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    };
    add(env!("CARGO_PKG_VERSION").as_bytes());
    add(options.as_bytes());
    // The folder itself, however the root was spelled this time.
    let out_dir = crate::fs::root_name(&content.root, out_dir);
    add(out_dir.to_string_lossy().as_bytes());
    add(content.config.digest.as_bytes());
    let image = Stamp::of(&content.config.show.image_path)
        .map(|s| format!("{}:{}", s.size, s.mtime_ns))
        .unwrap_or_default();
    add(image.as_bytes());
    // The lock by its digest (read a block at a time: 38 MB at 100,000 episodes).
    let lock = crate::fs::file_digest(&content.root.join(crate::lock::LOCK_FILE));
    add(lock.unwrap_or_default().as_bytes());
    add(episodes.as_bytes());
    crate::fs::hex(&h.finalize())
}

/// The episodes' part of the [`fingerprint`]: each episode's slug and input key
/// (`render::cache::input_key`, which stamps its files). Computed once per publish:
/// the fingerprint taken again after the lock is written needs no manifest.
pub(crate) fn episodes(content: &Content, keys: &[String]) -> String {
    let mut h = Sha256::new();
    for (m, key) in content.manifests.iter().zip(keys) {
        for part in [m.slug.as_bytes(), key.as_bytes()] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
    }
    crate::fs::hex(&h.finalize())
}

/// The last publish's state, if it had this fingerprint and its outputs are untouched.
pub(crate) fn up_to_date(root: &Path, fingerprint: &str) -> Option<State> {
    let bytes = crate::fs::read_regular(&root.join(STATE_FILE)).ok()?;
    let state: State = serde_json::from_slice(&bytes).ok()?;
    // One stat per output (35,000 for 10,000 episodes): spread over the threads.
    let fresh = state.format == FORMAT
        && state.fingerprint == fingerprint
        && state
            .outputs
            .par_iter()
            .all(|s| s.holds_at(&root.join(&s.path)));
    fresh.then_some(state)
}

/// Remembers a successful publish. `written` are the files it wrote or found current,
/// as it left them.
pub(crate) fn record(
    root: &Path,
    fingerprint: String,
    written: Vec<Stamp>,
    warnings: Vec<String>,
    episodes: usize,
    feed_bytes: usize,
) -> Result<()> {
    let names = crate::fs::RootNames::new(root);
    let outputs = written
        .into_iter()
        .map(|s| Stamp {
            path: names.name(&s.path),
            ..s
        })
        .collect();
    let state = State {
        format: FORMAT,
        fingerprint,
        outputs,
        warnings,
        episodes,
        feed_bytes,
    };
    crate::fs::replace_json(&root.join(STATE_FILE), &state)
}

/// Forgets the last publish (a failed or partial one must not look current).
pub(crate) fn forget(root: &Path) {
    let _ = crate::fs::remove_file_if_exists(root.join(STATE_FILE));
}
