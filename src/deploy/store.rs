//! The two targets as `object_store` stores, and the async half of deploy:
//! compare, upload phase by phase, prune.

use super::{Action, Kind, Object, Options, Report, Side, Step};
use crate::error::{Error, Result};
use crate::load::{DeployConfig, Target};
use crate::ui::Ui;
use futures_util::{StreamExt, TryStreamExt, stream};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, GetOptions, ObjectStore, ObjectStoreExt,
    PutMode, PutMultipartOptions, PutOptions, PutPayload, RetryConfig, UpdateVersion,
    WriteMultipart,
};
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

/// Our own content digest, kept as object metadata: a multipart ETag is not
/// an MD5 of the body, so it cannot tell whether the remote copy is current.
const DIGEST_KEY: &str = "sha256";
/// Multipart part size (S3's minimum is 5 MiB).
const PART: usize = 8 << 20;

/// What the target holds under a key.
struct RemoteCopy {
    size: u64,
    /// Our `x-amz-meta-sha256`, or a local file's own hash.
    digest: Option<String>,
    e_tag: Option<String>,
}

/// `None`: the target has no copy.
type RemoteState = Option<RemoteCopy>;

/// An object `--prune` found: where, why, what to do, and its key.
type Stale = (String, String, Action, Side, Key);

/// One target: a store plus the key prefix inside it.
struct Place {
    store: Arc<dyn ObjectStore>,
    /// `s3://bucket/` or `file:///dir/`: two places with the same id share keys.
    id: String,
    prefix: String,
    /// Local folders cannot hold headers or metadata.
    is_file: bool,
}

impl Place {
    fn open(target: &Target, cfg: &DeployConfig) -> Result<Place> {
        match target {
            Target::S3 { bucket, prefix } => Ok(Place {
                store: Arc::new(s3(bucket, cfg)?),
                id: format!("s3://{bucket}/"),
                prefix: prefix.clone(),
                is_file: false,
            }),
            Target::File { dir } => {
                crate::fs::create_dir_all(dir)?;
                let store = LocalFileSystem::new_with_prefix(dir)
                    .map_err(|e| Error::io(dir, std::io::Error::other(e)))?;
                Ok(Place {
                    store: Arc::new(store),
                    // `file:///site/media/` is read with its slash kept: one slash here.
                    id: format!(
                        "file://{}/",
                        dir.display().to_string().trim_end_matches('/')
                    ),
                    prefix: String::new(),
                    is_file: true,
                })
            }
        }
    }

    fn key(&self, rel: &str) -> Key {
        Key::from(format!("{}{rel}", self.prefix))
    }

    fn location(&self, key: &Key) -> String {
        format!("{}{key}", self.id)
    }

    fn err(&self, key: &Key, e: object_store::Error) -> Error {
        let mut message = e.to_string();
        // Without keys in the environment object_store asks the EC2 instance
        // metadata service, whose failure says nothing about credentials.
        if message.contains("169.254.169.254") {
            message.push_str(
                " (no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
            );
        }
        Error::Network {
            url: self.location(key),
            message,
        }
    }

    /// Size and recorded digest of the remote copy; `None` if there is none.
    async fn remote(&self, key: &Key) -> Result<RemoteState> {
        let head = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        match self.store.get_opts(key, head).await {
            Ok(r) if self.is_file => {
                // A folder keeps no metadata: hash the file itself (it is local, so cheap).
                let size = r.meta.size;
                let bytes = self
                    .store
                    .get(key)
                    .await
                    .map_err(|e| self.err(key, e))?
                    .bytes()
                    .await
                    .map_err(|e| self.err(key, e))?;
                Ok(Some(RemoteCopy {
                    size,
                    digest: Some(crate::fs::digest(&bytes)),
                    e_tag: None,
                }))
            }
            Ok(r) => {
                let digest = r
                    .attributes
                    .get(&Attribute::Metadata(DIGEST_KEY.into()))
                    .map(|v| v.to_string());
                Ok(Some(RemoteCopy {
                    size: r.meta.size,
                    digest,
                    e_tag: r.meta.e_tag,
                }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.err(key, e)),
        }
    }

    /// Key → (size, ETag) of everything under the prefix; `None` for a folder
    /// (hashing local files is cheap) or when listing is not allowed.
    async fn listing(&self, ui: &Ui) -> Option<HashMap<String, (u64, Option<String>)>> {
        if self.is_file {
            return None;
        }
        let prefix = (!self.prefix.is_empty()).then(|| Key::from(self.prefix.clone()));
        match self
            .store
            .list(prefix.as_ref())
            .try_collect::<Vec<object_store::ObjectMeta>>()
            .await
        {
            Ok(all) => Some(
                all.into_iter()
                    .map(|m| (m.location.to_string(), (m.size, m.e_tag)))
                    .collect(),
            ),
            Err(e) => {
                ui.detail(format!(
                    "cannot list {}{} ({e}); comparing object by object",
                    self.id, self.prefix
                ));
                None
            }
        }
    }

    async fn upload(
        &self,
        o: &Object,
        cache_control: &str,
        multipart_bytes: u64,
        mode: PutMode,
    ) -> Result<()> {
        let key = self.key(&o.rel);
        let mut attributes = Attributes::new();
        if !self.is_file {
            attributes.insert(Attribute::ContentType, o.content_type.clone().into());
            attributes.insert(Attribute::CacheControl, cache_control.to_string().into());
            attributes.insert(
                Attribute::Metadata(DIGEST_KEY.into()),
                o.sha256.clone().into(),
            );
        }
        // Feeds always go in one conditional PUT (multipart has no preconditions).
        if o.bytes < multipart_bytes || o.kind == Kind::Feed {
            let bytes = crate::fs::read(&o.local)?;
            let opts = PutOptions {
                attributes,
                mode,
                ..PutOptions::default()
            };
            let payload = PutPayload::from(bytes);
            let guarded = !matches!(opts.mode, PutMode::Overwrite);
            let first = self
                .store
                .put_opts(&key, payload.clone(), opts.clone())
                .await;
            // Some S3-compatible services do not implement conditional writes:
            // there the feed goes unguarded rather than never.
            let result = match first {
                Err(e) if guarded && not_implemented(&e) => {
                    let opts = PutOptions {
                        mode: PutMode::Overwrite,
                        ..opts
                    };
                    self.store.put_opts(&key, payload, opts).await
                }
                other => other,
            };
            return match result {
                Ok(_) => Ok(()),
                Err(
                    object_store::Error::Precondition { .. }
                    | object_store::Error::AlreadyExists { .. },
                ) => Err(Error::Network {
                    url: self.location(&key),
                    message: "changed on the server after this deploy compared it (another deploy running?); it was not overwritten: run deploy again".into(),
                }),
                Err(e) => Err(self.err(&key, e)),
            };
        }
        // Large audio: parts are sent as they are read, so memory stays bounded,
        // and the object appears only when the upload completes.
        let opts = PutMultipartOptions {
            attributes,
            ..PutMultipartOptions::default()
        };
        let upload = self
            .store
            .put_multipart_opts(&key, opts)
            .await
            .map_err(|e| self.err(&key, e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut file = crate::fs::open(&o.local)?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = match file.read(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(Error::io(&o.local, e));
                }
            };
            if n == 0 {
                break;
            }
            // Bounded in-flight parts.
            if let Err(e) = writer.wait_for_capacity(2).await {
                // Abandoned multipart uploads are billed until aborted.
                let _ = writer.abort().await;
                return Err(self.err(&key, e));
            }
            writer.write(&buf[..n]);
        }
        writer.finish().await.map_err(|e| self.err(&key, e))?;
        Ok(())
    }
}

/// The server refused a conditional request as unsupported (HTTP 501).
fn not_implemented(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::NotImplemented { .. }) || {
        let m = e.to_string();
        m.contains("NotImplemented") || m.contains("501 Not Implemented")
    }
}

/// A single PUT's ETag is the MD5 of the body (a multipart one has `-N`, and
/// SSE-KMS ones are opaque: those never match and fall back to a HEAD).
/// Only small files are hashed this way; audio is compared by its sha256.
fn etag_is_md5_of(e_tag: &str, local: &std::path::Path) -> bool {
    use md5::{Digest, Md5};
    let Ok(bytes) = std::fs::read(local) else {
        return false;
    };
    e_tag
        .trim_matches('"')
        .eq_ignore_ascii_case(&crate::fs::hex(&Md5::digest(&bytes)))
}

fn s3(bucket: &str, cfg: &DeployConfig) -> Result<AmazonS3> {
    // The TLS provider reqwest uses (src/http.rs installs the same one).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_virtual_hosted_style_request(!cfg.path_style)
        .with_retry(RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(5),
                base: 2.0,
            },
            max_retries: 3,
            retry_timeout: Duration::from_secs(120),
        })
        .with_client_options(
            ClientOptions::new()
                .with_timeout(Duration::from_secs(300))
                .with_connect_timeout(Duration::from_secs(10)),
        );
    if let Some(region) = &cfg.region {
        b = b.with_region(region);
    }
    if let Some(endpoint) = &cfg.endpoint {
        b = b
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    b.build()
        .map_err(|e| Error::Usage(format!("[deploy] s3://{bucket}: {e}")))
}

/// Both targets.
pub(super) struct Remote {
    feed: Place,
    media: Place,
}

impl Remote {
    pub(super) fn open(cfg: &DeployConfig) -> Result<Remote> {
        Ok(Remote {
            feed: Place::open(&cfg.feed, cfg)?,
            media: Place::open(&cfg.media, cfg)?,
        })
    }

    fn place(&self, side: Side) -> &Place {
        match side {
            Side::Feed => &self.feed,
            Side::Media => &self.media,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) async fn deploy(
        &self,
        objects: &[Object],
        cfg: &DeployConfig,
        options: &Options,
        jobs: usize,
        protected: &BTreeSet<String>,
        report: &mut Report,
        ui: &Ui,
    ) -> Result<()> {
        // 1. Compare every object with its remote copy: one listing per target
        //    answers most objects; HEAD requests (in parallel) the rest.
        let feed_listing = self.feed.listing(ui).await;
        let media_listing = self.media.listing(ui).await;
        let states: Vec<Result<RemoteState>> = stream::iter(objects)
            .map(|o| {
                let place = self.place(o.side);
                let listing = match o.side {
                    Side::Feed => &feed_listing,
                    Side::Media => &media_listing,
                };
                let key = place.key(&o.rel);
                async move {
                    match listing.as_ref().map(|l| l.get(key.as_ref())) {
                        Some(None) => Ok(None),
                        Some(Some((size, e_tag))) if *size != o.bytes => Ok(Some(RemoteCopy {
                            size: *size,
                            digest: None,
                            e_tag: e_tag.clone(),
                        })),
                        Some(Some((size, Some(e_tag))))
                            if o.kind != Kind::Media && etag_is_md5_of(e_tag, &o.local) =>
                        {
                            Ok(Some(RemoteCopy {
                                size: *size,
                                digest: Some(o.sha256.clone()),
                                e_tag: Some(e_tag.clone()),
                            }))
                        }
                        _ => place.remote(&key).await,
                    }
                }
            })
            .buffered(jobs)
            .collect()
            .await;
        let mut todo = Vec::new();
        // Per object: how its PUT must be guarded.
        let mut modes = Vec::new();
        for (o, state) in objects.iter().zip(states) {
            let state = state?;
            let place = self.place(o.side);
            // A feed is written only over the copy this deploy compared with
            // (If-Match), or only if still absent (If-None-Match): a concurrent
            // deploy is never silently overwritten. Folders have no ETags.
            modes.push(match (&state, o.kind, place.is_file) {
                (_, Kind::Feed, false) => match &state {
                    None => PutMode::Create,
                    Some(RemoteCopy {
                        e_tag: Some(e_tag), ..
                    }) => PutMode::Update(UpdateVersion {
                        e_tag: Some(e_tag.clone()),
                        version: None,
                    }),
                    // Some servers list no ETags (s3s-fs): nothing to match against.
                    Some(_) => PutMode::Overwrite,
                },
                _ => PutMode::Overwrite,
            });
            let (action, reason) = match state {
                None => (Action::Upload, "new".to_string()),
                Some(c) if c.size != o.bytes => (
                    Action::Upload,
                    format!("changed: {} → {} bytes", c.size, o.bytes),
                ),
                Some(RemoteCopy { digest: None, .. }) => {
                    (Action::Upload, "no content hash recorded".into())
                }
                Some(RemoteCopy {
                    digest: Some(d), ..
                }) if d != o.sha256 => (Action::Upload, "changed content".into()),
                Some(_) => (Action::Skip, "unchanged".into()),
            };
            if action == Action::Upload {
                todo.push(report.steps.len());
            }
            report.steps.push(Step {
                action,
                reason,
                kind: Some(o.kind),
                location: place.location(&place.key(&o.rel)),
                url: Some(o.url.clone()),
                bytes: o.bytes,
                content_type: Some(o.content_type.clone()),
                result: None,
            });
        }
        let mut prune = Vec::new();
        if options.prune {
            prune = self
                .stale(objects, protected, options.allow_removal)
                .await?;
            for (location, reason, action, _, _) in &prune {
                report.steps.push(Step {
                    action: *action,
                    reason: reason.clone(),
                    kind: None,
                    location: location.clone(),
                    url: None,
                    bytes: 0,
                    content_type: None,
                    result: None,
                });
            }
        }
        report.skipped = report
            .steps
            .iter()
            .filter(|s| s.action == Action::Skip)
            .count();
        if options.dry_run {
            report.upload_bytes = todo.iter().map(|&i| report.steps[i].bytes).sum();
            report.uploaded = todo.len();
            report.deleted = prune.iter().filter(|p| p.2 == Action::Delete).count();
            return Ok(());
        }

        // 2. Upload phase by phase; a failed phase stops everything after it,
        //    so the previously deployed feed stays in place.
        let bar = ui.progress(todo.len() as u64, "upload");
        // Steps were pushed in object order, so a step's index is its object's.
        let by_step = objects;
        for phase in 0..=3u8 {
            let batch: Vec<usize> = todo
                .iter()
                .copied()
                .filter(|&i| by_step[i].kind.phase() == phase)
                .collect();
            // The main feed goes alone, after its other pages.
            let (rest, last): (Vec<usize>, Vec<usize>) = batch.iter().partition(|&&i| {
                !(by_step[i].kind == Kind::Feed && by_step[i].rel == objects_main(objects))
            });
            for group in [rest, last] {
                let results: Vec<(usize, Result<()>)> = stream::iter(group)
                    .map(|i| {
                        let o = &by_step[i];
                        let place = self.place(o.side);
                        let cache = cfg
                            .cache_control
                            .get(o.kind.as_str())
                            .map(String::as_str)
                            .unwrap_or(o.kind.default_cache_control());
                        let bar = &bar;
                        let mode = modes[i].clone();
                        async move {
                            let r = place.upload(o, cache, cfg.multipart_bytes, mode).await;
                            bar.inc(1);
                            (i, r)
                        }
                    })
                    .buffer_unordered(jobs)
                    .collect()
                    .await;
                let mut errors = Vec::new();
                for (i, r) in results {
                    match r {
                        Ok(()) => {
                            report.steps[i].result = Some("ok".into());
                            report.uploaded += 1;
                            report.upload_bytes += report.steps[i].bytes;
                            if by_step[i].kind == Kind::Feed {
                                report.feed_changed = true;
                            }
                        }
                        Err(e) => {
                            report.steps[i].result = Some(format!("failed: {e}"));
                            errors.push(e);
                        }
                    }
                }
                if !errors.is_empty() {
                    bar.finish_and_clear();
                    // Said on the feed itself: what a listener's app still sees.
                    let main = objects_main(objects);
                    let url = by_step
                        .iter()
                        .position(|o| o.kind == Kind::Feed && o.rel == main)
                        .map_or_else(
                            || self.feed.id.clone(),
                            |i| report.steps[i].location.clone(),
                        );
                    errors.push(Error::Network {
                        url,
                        message: "deploy stopped before the feed: the previously deployed feed is unchanged".into(),
                    });
                    return Error::from_list(errors);
                }
            }
        }
        bar.finish_and_clear();

        // 3. Deletions last: nothing the new feed points at is removed.
        for (location, _, action, side, key) in &prune {
            if *action != Action::Delete {
                continue;
            }
            let place = self.place(*side);
            place
                .store
                .delete(key)
                .await
                .map_err(|e| place.err(key, e))?;
            report.deleted += 1;
            if let Some(step) = report
                .steps
                .iter_mut()
                .find(|s| s.location == *location && s.action == Action::Delete)
            {
                step.result = Some("ok".into());
            }
        }
        Ok(())
    }

    /// Objects under the targets' prefixes that this deploy does not write.
    async fn stale(
        &self,
        objects: &[Object],
        protected: &BTreeSet<String>,
        allow_removal: bool,
    ) -> Result<Vec<Stale>> {
        let wanted: BTreeSet<String> = objects
            .iter()
            .map(|o| {
                let p = self.place(o.side);
                p.location(&p.key(&o.rel))
            })
            .collect();
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for side in [Side::Media, Side::Feed] {
            let place = self.place(side);
            let prefix = (!place.prefix.is_empty()).then(|| Key::from(place.prefix.clone()));
            let listed: Vec<object_store::ObjectMeta> = place
                .store
                .list(prefix.as_ref())
                .try_collect()
                .await
                .map_err(|e| Error::Network {
                    url: format!("{}{}", place.id, place.prefix),
                    message: e.to_string(),
                })?;
            for meta in listed {
                let location = place.location(&meta.location);
                if wanted.contains(&location) || !seen.insert(location.clone()) {
                    continue;
                }
                let rel = meta
                    .location
                    .as_ref()
                    .strip_prefix(place.prefix.as_str())
                    .unwrap_or(meta.location.as_ref())
                    .to_string();
                // Audio and video anywhere, and artwork on the media side, are
                // what apps have downloaded: removed only when asked.
                let kind = super::mime::classify(&rel).1;
                let is_media = kind == Kind::Media || (kind == Kind::Art && side == Side::Media);
                let published = protected.iter().any(|u| {
                    u.ends_with(&format!("/{rel}"))
                        || rel.rsplit_once('/').is_some_and(|(dir, _)| {
                            super::folder_of(u).ends_with(&format!("/{dir}/"))
                        })
                });
                let (action, reason) = if is_media && (published || !allow_removal) {
                    (
                        Action::Keep,
                        if published {
                            format!(
                                "{} of an episode in mspod.lock: never deleted",
                                kind.as_str()
                            )
                        } else {
                            format!("{}: deleted only with --allow-removal", kind.as_str())
                        },
                    )
                } else {
                    (Action::Delete, "no longer published".to_string())
                };
                out.push((location, reason, action, side, meta.location));
            }
        }
        Ok(out)
    }
}

/// The main feed's key (the feed kind object whose key has no folder and sorts last).
fn objects_main(objects: &[Object]) -> String {
    objects
        .iter()
        .rev()
        .find(|o| o.kind == Kind::Feed)
        .map(|o| o.rel.clone())
        .unwrap_or_default()
}
