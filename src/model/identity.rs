//! Applies mspod.lock to freshly built episodes: published episodes keep their
//! GUID, first pubDate and enclosure URL; new ones get entries; changes that
//! would make apps lose or re-download episodes are refused unless allowed.

use super::{Listing, Policy};
use crate::error::Error;
use crate::load::Manifest;
use crate::lock::{self, Entry, Key, Lock};
use chrono::DateTime;
use std::path::PathBuf;

/// The lock after applying it: its entries, and whether they differ from the lock
/// read (only then is it written).
pub struct Applied {
    pub lock: Lock,
    pub changed: bool,
}

/// What an episode's manifest says that applying the lock needs (the manifests
/// themselves are let go before the lock is read: 100 MB at 100,000 episodes).
#[derive(Debug, Clone)]
pub struct Stated {
    /// The `episode.toml`, named in errors.
    pub file: PathBuf,
    /// The audio file, named in warnings.
    pub audio: PathBuf,
    /// An explicit `guid`.
    pub guid: Option<String>,
    /// An explicit `audio_url` (its enclosure URL is not the media base URL's).
    pub audio_url: bool,
    pub paired_by: Option<String>,
}

impl From<&Manifest> for Stated {
    fn from(m: &Manifest) -> Stated {
        Stated {
            file: m.file.clone(),
            audio: m.audio.clone(),
            guid: m.guid.clone(),
            audio_url: m.audio_url.is_some(),
            paired_by: m.paired_by.clone(),
        }
    }
}

/// Applies `lock` (consumed: each entry is let go once the episode at its place has
/// its new entry, so the old and the new lock of a large show are never both held).
pub(super) fn apply(
    lock: Lock,
    episodes: &mut [Listing],
    manifests: &[Stated],
    hashes: &[Option<String>],
    policy: Policy,
    warnings: &mut Vec<String>,
    errors: &mut Vec<Error>,
) -> Applied {
    let keys: Vec<Key<'_>> = episodes
        .iter()
        .zip(hashes)
        .map(|(ep, hash)| Key {
            slug: &ep.slug,
            article_url: &ep.link,
            audio_sha256: hash.as_deref(),
            video: ep.youtube.as_ref().map(|v| v.as_str()),
        })
        .collect();
    let found = lock::matches(&lock, &keys);
    drop(keys);
    let mut matched = vec![false; lock.episodes.len()];
    for i in found.iter().flatten() {
        matched[*i] = true;
    }
    let mut old: Vec<Option<Entry>> = lock.episodes.into_iter().map(Some).collect();
    // The same lock, entry for entry, as the one read?
    let mut same = old.len() == episodes.len();

    let mut new_lock = Lock::new();
    new_lock.episodes.reserve_exact(episodes.len());
    for (k, ((ep, m), (hash, found))) in episodes
        .iter_mut()
        .zip(manifests)
        .zip(hashes.iter().zip(&found))
        .enumerate()
    {
        let entry = found.and_then(|i| old[i].as_ref());
        if let Some(e) = entry {
            keep_identity(ep, m, hash.as_deref(), e, policy, warnings, errors);
        }
        check_not_future(ep, m, policy, errors);
        let new = Entry {
            slug: ep.slug.clone(),
            guid: ep.guid.clone(),
            pub_date: ep
                .published
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            enclosure_url: ep.enclosure.url.clone(),
            article_url: Some(ep.link.clone()),
            audio_sha256: hash.clone(),
            audio_bytes: Some(ep.enclosure.length),
            video: ep.youtube.as_ref().map(|v| v.to_string()),
            paired_by: m
                .paired_by
                .clone()
                .or_else(|| entry.map(|e| e.paired_by.clone()))
                .unwrap_or_else(|| "manifest".into()),
        };
        same = same && old.get(k).and_then(Option::as_ref) == Some(&new);
        // Matched by the episode at its own place (the usual case): no one needs it again.
        if *found == Some(k) {
            old[k] = None;
        }
        new_lock.episodes.push(new);
    }

    for (i, e) in old.iter().enumerate() {
        let Some(e) = e.as_ref().filter(|_| !matched[i]) else {
            continue;
        };
        same = false;
        if policy.allow_removal {
            warnings.push(format!(
                "episode `{}` (GUID {}) is no longer published (--allow-removal)",
                e.slug, e.guid
            ));
        } else {
            errors.push(Error::content(
                lock::LOCK_FILE,
                format!(
                    "episode `{}` (GUID {}) was published but is no longer in episodes/: restore it, or pass --allow-removal to take it out of the feed",
                    e.slug, e.guid
                ),
            ));
            // Keep it locked so a later run still knows it.
            new_lock.episodes.push(e.clone());
        }
    }
    Applied {
        lock: new_lock,
        changed: !same,
    }
}

/// How far ahead a `published` date may be without `--allow-future`: time zones and
/// an episode scheduled for tomorrow morning are fine, a year typo is not.
const FUTURE_SLACK_HOURS: i64 = 24;

/// A date more than a day ahead is a content error unless `--allow-future`: apps sort
/// by it, so a typo pins the episode to the top of every list for decades.
fn check_not_future(ep: &Listing, m: &Stated, policy: Policy, errors: &mut Vec<Error>) {
    let Some(now) = policy.now else { return };
    if policy.allow_future || ep.published <= now + chrono::Duration::hours(FUTURE_SLACK_HOURS) {
        return;
    }
    errors.push(Error::content(
        &m.file,
        format!(
            "`published` = {} is more than a day in the future: fix the date, or pass --allow-future to publish it dated ahead",
            ep.published.to_rfc3339()
        ),
    ));
}

fn keep_identity(
    ep: &mut Listing,
    m: &Stated,
    hash: Option<&str>,
    e: &Entry,
    policy: Policy,
    warnings: &mut Vec<String>,
    errors: &mut Vec<Error>,
) {
    if let Some(explicit) = &m.guid
        && *explicit != e.guid
    {
        errors.push(Error::content(
                &m.file,
                format!("`guid` = \"{explicit}\" but this episode was published with GUID {}: a published GUID cannot change", e.guid),
            ));
    }
    ep.guid = e.guid.clone();

    if e.slug != ep.slug {
        warnings.push(format!(
            "episode `{}` was published as `{}`: GUID {} kept",
            ep.slug, e.slug, e.guid
        ));
    }
    if let (Some(old), Some(new)) = (e.audio_sha256.as_deref(), hash)
        && old != new
        && e.slug == ep.slug
    {
        warnings.push(format!(
            "{}: the audio changed since it was published; GUID {} kept",
            m.audio.display(),
            e.guid
        ));
    }

    match DateTime::parse_from_rfc3339(&e.pub_date) {
        Ok(first) if first != ep.published => {
            // A first date still in the future was never seen by listeners as "published":
            // it is almost always a typo (2062 for 2026), so the manifest may correct it.
            let not_yet_out = policy.now.is_some_and(|now| first > now);
            if policy.allow_date_change || not_yet_out {
                let why = if policy.allow_date_change {
                    "--allow-date-change"
                } else {
                    "the recorded date had not come yet"
                };
                warnings.push(format!(
                    "{}: pubDate changed from {} to {} ({why}); apps that saw the old date may list the episode twice",
                    m.file.display(),
                    e.pub_date,
                    ep.published.to_rfc3339()
                ));
            } else {
                warnings.push(format!(
                    "{}: `published` is {} but the episode was first published {}; the feed keeps the first date (pass --allow-date-change to use the new one)",
                    m.file.display(),
                    ep.published.to_rfc3339(),
                    e.pub_date
                ));
                ep.published = first;
            }
        }
        Ok(_) => {}
        Err(err) => errors.push(Error::content(
            lock::LOCK_FILE,
            format!("`{}`: bad pub_date `{}`: {err}", e.slug, e.pub_date),
        )),
    }

    if e.enclosure_url != ep.enclosure.url {
        if policy.allow_enclosure_change {
            warnings.push(format!(
                "episode `{}`: enclosure URL changed from {} to {} (--allow-enclosure-change); apps may download it again",
                ep.slug, e.enclosure_url, ep.enclosure.url
            ));
        } else if m.audio_url {
            errors.push(Error::content(
                &m.file,
                format!(
                    "`audio_url` would change the published enclosure URL from {} to {}: apps may download the episode again. Pass --allow-enclosure-change to do it anyway",
                    e.enclosure_url, ep.enclosure.url
                ),
            ));
        } else {
            // The lock is the identity: a new media_base_url applies to new episodes only.
            warnings.push(format!(
                "episode `{}`: keeping its published enclosure URL {} (the media base URL now gives {}; pass --allow-enclosure-change to switch)",
                ep.slug, e.enclosure_url, ep.enclosure.url
            ));
            ep.enclosure.url = e.enclosure_url.clone();
        }
    }
}
