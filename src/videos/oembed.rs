//! YouTube oEmbed: confirms a video exists and gives its title and thumbnail.
//!
//! `GET https://www.youtube.com/oembed?url=<watch URL>&format=json`. 200 with a
//! JSON body: the video is public; 401: it exists but embedding is off; 404:
//! private or deleted. Any other answer — including a 200 whose body is not
//! JSON, which YouTube has served for private videos — is a failure, not a
//! verdict. Verdicts are cached (so `publish` never needs the network);
//! failures fall back to the cached verdict.

use super::cache::Cache;
use crate::http::retry::Http;
use crate::youtube::VideoId;
use serde::{Deserialize, Serialize};

/// The production endpoint; `MSPOD_YOUTUBE_OEMBED_URL` replaces it (tests).
pub const DEFAULT_BASE: &str = "https://www.youtube.com/oembed";

/// What YouTube said about a video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub status: Status,
    pub title: Option<String>,
    pub author_name: Option<String>,
    pub thumbnail_url: Option<String>,
}

/// A verdict about a video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Public and embeddable.
    Ok,
    /// HTTP 401: the owner turned embedding off; the video exists.
    EmbeddingDisabled,
    /// HTTP 404: private or deleted.
    NotFound,
}

/// The outcome of one lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// A verdict, fresh or from the cache.
    Known { record: Record, from_cache: bool },
    /// No verdict: the request failed and nothing was cached. The message says why.
    Failed(String),
}

/// The oEmbed endpoint in use.
pub fn base_url() -> String {
    std::env::var("MSPOD_YOUTUBE_OEMBED_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_BASE.to_string())
}

/// The request URL for a video.
pub fn request_url(base: &str, id: &VideoId) -> String {
    let mut url = format!("{base}?url=");
    url.extend(url::form_urlencoded::byte_serialize(
        id.watch_url().as_bytes(),
    ));
    url.push_str("&format=json");
    url
}

/// Asks YouTube (at `base`), with no cache involved.
pub fn fetch(http: &Http, base: &str, id: &VideoId) -> Result<Record, String> {
    let url = request_url(base, id);
    let response = http.get(&url)?;
    let record = |status, title, author_name, thumbnail_url| Record {
        id: id.to_string(),
        status,
        title,
        author_name,
        thumbnail_url,
    };
    match response.status {
        200 => {
            #[derive(Deserialize)]
            struct Body {
                title: Option<String>,
                author_name: Option<String>,
                thumbnail_url: Option<String>,
            }
            let body: Body = serde_json::from_slice(&response.body).map_err(|e| {
                let start: String = response.text().chars().take(40).collect();
                format!("oEmbed answered 200 with a body that is not JSON ({e}): {start:?}")
            })?;
            Ok(record(
                Status::Ok,
                body.title,
                body.author_name,
                body.thumbnail_url,
            ))
        }
        401 => Ok(record(Status::EmbeddingDisabled, None, None, None)),
        404 => Ok(record(Status::NotFound, None, None, None)),
        400 => Err(format!(
            "oEmbed refused the request as malformed (HTTP 400): {url}"
        )),
        other => Err(format!("oEmbed answered HTTP {other}")),
    }
}

/// The cached verdict for a video, if any: what `publish` may use offline.
pub fn cached(cache: &Cache, id: &VideoId) -> Option<Record> {
    let text = cache.read(&cache.oembed_path(id.as_str()))?;
    serde_json::from_str(&text).ok()
}

/// Asks YouTube (unless `http` is `None`), caches a verdict, and falls back
/// to the cached verdict when the request fails.
pub fn lookup(http: Option<&Http>, base: &str, cache: &Cache, id: &VideoId) -> Lookup {
    let failure = match http {
        None => "offline".to_string(),
        Some(http) => match fetch(http, base, id) {
            Ok(record) => {
                if let Ok(json) = serde_json::to_string_pretty(&record) {
                    // A cache write failure only costs a refetch next time.
                    let _ = cache.write(&cache.oembed_path(id.as_str()), &(json + "\n"));
                }
                return Lookup::Known {
                    record,
                    from_cache: false,
                };
            }
            Err(why) => why,
        },
    };
    match cached(cache, id) {
        Some(record) => Lookup::Known {
            record,
            from_cache: true,
        },
        None => Lookup::Failed(failure),
    }
}
