//! Incremental publishing: when no input changed since the last successful
//! publish and the outputs are as it left them, there is nothing to do.
//!
//! The fingerprint covers everything a publish reads: mspod's version, the
//! options that change results, `mspod.toml`, every `episode.toml` (by
//! content), every article, audio and cover file (by size and modification
//! time), and `mspod.lock`. The outputs are checked by size and modification
//! time, so an edited or deleted output file is rebuilt too.

use crate::error::{Error, Result};
use crate::load::Content;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where the last publish is remembered, under the content root.
pub(crate) const STATE_FILE: &str = ".mspod/last-publish.json";
const FORMAT: u32 = 1;

// Digests and file stamps are file-system plumbing (`crate::fs`); re-exported
// here for the stages above that have always named them `incremental::…`.
pub(crate) use crate::fs::{Stamp, digest};

/// What the last successful publish read and wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    format: u32,
    fingerprint: String,
    /// Every file the publish wrote (outputs and the lock), as it left them.
    outputs: Vec<Stamp>,
    /// Warnings it printed, shown again when nothing is rebuilt.
    pub warnings: Vec<String>,
    pub episodes: usize,
    pub feed_bytes: usize,
}

/// The fingerprint of all inputs of a publish into `out_dir` with `options`.
pub(crate) fn fingerprint(content: &Content, out_dir: &Path, options: &str) -> String {
    let mut h = Sha256::new();
    let mut add = |part: &[u8]| {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    };
    add(env!("CARGO_PKG_VERSION").as_bytes());
    add(options.as_bytes());
    add(out_dir.to_string_lossy().as_bytes());
    add(content.config.digest.as_bytes());
    let stamp = |p: &Path| {
        Stamp::of(p)
            .map(|s| format!("{}:{}", s.size, s.mtime_ns))
            .unwrap_or_default()
    };
    add(stamp(&content.config.show.image_path).as_bytes());
    let titles = crate::videos::CachedTitles::new(&content.root);
    add(&crate::fs::read_regular(&content.root.join(crate::lock::LOCK_FILE)).unwrap_or_default());
    for m in &content.manifests {
        add(m.slug.as_bytes());
        add(m.digest.as_bytes());
        add(stamp(&m.article).as_bytes());
        add(stamp(&m.audio).as_bytes());
        // Episode artwork (given or auto-detected, so a new cover.jpg counts) and video.
        for p in [m.dir.join("cover.jpg"), m.dir.join("cover.png")]
            .iter()
            .chain(m.tags.image.as_ref().map(|a| &a.path))
            .chain(m.tags.video.as_ref().map(|v| &v.path))
        {
            add(stamp(p).as_bytes());
        }
        add(m
            .transcript
            .as_deref()
            .map(stamp)
            .unwrap_or_default()
            .as_bytes());
        // A title cached by a later `mspod pair` changes the pages.
        let title = m.youtube.as_ref().and_then(|id| titles.get(id));
        add(title.unwrap_or_default().as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The last publish's state, if it had this fingerprint and its outputs are untouched.
pub(crate) fn up_to_date(root: &Path, fingerprint: &str) -> Option<State> {
    let bytes = crate::fs::read_regular(&root.join(STATE_FILE)).ok()?;
    let state: State = serde_json::from_slice(&bytes).ok()?;
    let fresh = state.format == FORMAT
        && state.fingerprint == fingerprint
        && state
            .outputs
            .iter()
            .all(|s| Stamp::of(&s.path).as_ref() == Some(s));
    fresh.then_some(state)
}

/// Remembers a successful publish. `written` are the files it wrote or found current.
pub(crate) fn record(
    root: &Path,
    fingerprint: String,
    written: &[PathBuf],
    warnings: Vec<String>,
    episodes: usize,
    feed_bytes: usize,
) -> Result<()> {
    let state = State {
        format: FORMAT,
        fingerprint,
        outputs: written.iter().filter_map(|p| Stamp::of(p)).collect(),
        warnings,
        episodes,
        feed_bytes,
    };
    let path = root.join(STATE_FILE);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let json =
        serde_json::to_vec(&state).map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
    crate::publish::write_file_atomic(&path, &json).map(|_| ())
}

/// Forgets the last publish (a failed or partial one must not look current).
pub(crate) fn forget(root: &Path) {
    let _ = std::fs::remove_file(root.join(STATE_FILE));
}

/// Where each episode's last render is remembered, under the content root.
pub(crate) const RENDER_CACHE_FILE: &str = ".mspod/render-cache.json";

/// What determines an episode's rendered outputs: mspod's version, the show
/// config, its manifest, its article and audio files (by stamp) and its
/// identity (GUID, first date and enclosure URL from mspod.lock).
pub(crate) fn episode_fingerprint(
    content: &Content,
    manifest: &crate::load::Manifest,
    ep: &crate::model::Episode,
) -> String {
    let stamp = |p: &Path| {
        Stamp::of(p)
            .map(|s| format!("{}:{}", s.size, s.mtime_ns))
            .unwrap_or_default()
    };
    let parts = [
        env!("CARGO_PKG_VERSION").to_string(),
        content.config.digest.clone(),
        manifest.digest.clone(),
        stamp(&manifest.article),
        stamp(&manifest.audio),
        manifest
            .transcript
            .as_deref()
            .map(stamp)
            .unwrap_or_default(),
        ep.guid.clone(),
        ep.published.to_rfc3339(),
        ep.enclosure.url.clone(),
        // People, artwork size, soundbites, video checksum: everything the item tags say.
        format!("{:?}", ep.tags),
        ep.youtube_title.clone().unwrap_or_default(),
    ];
    digest(parts.join("\n").as_bytes())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Rendered {
    fingerprint: String,
    reused: crate::render::Reused,
    /// The episode's files as the publish left them.
    files: Vec<Stamp>,
}

/// Each episode's last render.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RenderCache {
    format: u32,
    out_dir: PathBuf,
    episodes: std::collections::BTreeMap<String, Rendered>,
}

impl RenderCache {
    pub(crate) fn load(root: &Path) -> RenderCache {
        crate::fs::read_regular(&root.join(RENDER_CACHE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<RenderCache>(&b).ok())
            .filter(|c| c.format == FORMAT)
            .unwrap_or_default()
    }

    /// Every episode's fingerprint, in the show's order, and the renders of the
    /// episodes that can be reused as they are.
    /// The reused renders are moved out of `self` (which keeps the stamps
    /// [`RenderCache::record`] needs), so they are not held twice.
    pub(crate) fn plan(
        &mut self,
        content: &Content,
        show: &crate::model::Show,
        out_dir: &Path,
    ) -> (
        Vec<String>,
        std::collections::HashMap<String, crate::render::Reused>,
    ) {
        let by_slug: std::collections::HashMap<&str, &crate::load::Manifest> = content
            .manifests
            .iter()
            .map(|m| (m.slug.as_str(), m))
            .collect();
        let mut reuse = std::collections::HashMap::new();
        let fingerprints = show
            .episodes
            .iter()
            .enumerate()
            .map(|(i, ep)| {
                // Every episode is built from a manifest; a missing one only means "render it".
                // Its page links the episodes beside it, so they are part of its inputs.
                let fingerprint = by_slug
                    .get(ep.slug.as_str())
                    .map(|m| {
                        let own = episode_fingerprint(content, m, ep);
                        digest(
                            format!("{own}\n{}", crate::render::neighbours_key(show, i)).as_bytes(),
                        )
                    })
                    .unwrap_or_default();
                if !fingerprint.is_empty()
                    && let Some(r) = self.reusable(&ep.slug, &fingerprint, out_dir)
                {
                    reuse.insert(ep.slug.clone(), r);
                }
                fingerprint
            })
            .collect();
        (fingerprints, reuse)
    }

    /// The last render of `slug` into `out_dir`, if its fingerprint is `fingerprint`
    /// and its files are untouched.
    fn reusable(
        &mut self,
        slug: &str,
        fingerprint: &str,
        out_dir: &Path,
    ) -> Option<crate::render::Reused> {
        let same_dir = self.out_dir == out_dir;
        let r = self.episodes.get_mut(slug)?;
        let fresh = same_dir
            && r.fingerprint == fingerprint
            && r.files
                .iter()
                .all(|s| Stamp::of(&s.path).as_ref() == Some(s));
        fresh.then(|| std::mem::take(&mut r.reused))
    }

    /// Remembers what was just written.
    pub(crate) fn record(
        root: &Path,
        out_dir: &Path,
        episodes: &[(String, String, crate::render::Reused)],
        previous: &RenderCache,
    ) -> Result<()> {
        // Serialized from borrows: the same JSON as `RenderCache`, without a second
        // copy of every episode's item in memory.
        #[derive(Serialize)]
        struct RenderedRef<'a> {
            fingerprint: &'a str,
            reused: &'a crate::render::Reused,
            files: std::borrow::Cow<'a, [Stamp]>,
        }
        #[derive(Serialize)]
        struct CacheRef<'a> {
            format: u32,
            out_dir: &'a Path,
            episodes: std::collections::BTreeMap<&'a str, RenderedRef<'a>>,
        }
        let mut cache = CacheRef {
            format: FORMAT,
            out_dir,
            episodes: Default::default(),
        };
        for (slug, fingerprint, reused) in episodes {
            // Reused episodes keep their stamps; stat only what was rendered now.
            let files = match previous.episodes.get(slug) {
                Some(p) if p.fingerprint == *fingerprint && previous.out_dir == out_dir => {
                    std::borrow::Cow::Borrowed(p.files.as_slice())
                }
                _ => std::borrow::Cow::Owned(
                    reused
                        .files
                        .iter()
                        .filter_map(|f| Stamp::of(&out_dir.join(f)))
                        .collect(),
                ),
            };
            cache.episodes.insert(
                slug,
                RenderedRef {
                    fingerprint,
                    reused,
                    files,
                },
            );
        }
        let path = root.join(RENDER_CACHE_FILE);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let json =
            serde_json::to_vec(&cache).map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        crate::publish::write_file_atomic(&path, &json).map(|_| ())
    }
}
