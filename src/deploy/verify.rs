//! After an upload, ask the public URLs what listeners' apps will get: a CDN
//! may still serve the old feed, a bucket may serve audio as
//! `application/octet-stream`. Every mismatch is a warning naming the URL.

use super::{Kind, Object};
use crate::http::{self, Limits};
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE};
use std::io::Read;
use std::time::Duration;

/// Checks each feed's bytes, each enclosure's and video's status, length, type and
/// range support, and each artwork's status, length and type, `jobs` URLs at a time;
/// warnings come back in `objects` order.
pub(crate) fn check(objects: &[&Object], jobs: usize) -> Vec<String> {
    let limits = Limits {
        timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let client = match http::client(limits) {
        Ok(c) => c,
        Err(e) => return vec![format!("cannot verify: {e}")],
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Vec<(usize, String)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs.clamp(1, objects.len().max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(o) = objects.get(i) else { break };
                        let result = if o.kind == Kind::Feed {
                            check_feed(&client, o, limits.max_bytes)
                        } else {
                            check_media(&client, o)
                        };
                        if let Err(why) = result {
                            found.push((i, format!("{}: {why}", o.url)));
                        }
                    }
                    found
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut warnings: Vec<(usize, String)> = results.into_iter().flatten().collect();
    warnings.sort();
    warnings.into_iter().map(|(_, w)| w).collect()
}

fn check_feed(
    client: &reqwest::blocking::Client,
    o: &Object,
    max_bytes: u64,
) -> Result<(), String> {
    let response = client.get(&o.url).send().map_err(|e| http::describe(&e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    let mut served = Vec::new();
    response
        .take(max_bytes + 1)
        .read_to_end(&mut served)
        .map_err(|e| format!("reading the body failed: {e}"))?;
    let expected = std::fs::read(&o.local).map_err(|e| e.to_string())?;
    if served != expected {
        return Err(format!(
            "serves a different feed than was uploaded ({} bytes, expected {}): a cache (CDN) may still hold the old one",
            served.len(),
            expected.len()
        ));
    }
    Ok(())
}

fn check_media(client: &reqwest::blocking::Client, o: &Object) -> Result<(), String> {
    let head = client.head(&o.url).send().map_err(|e| http::describe(&e))?;
    let status = head.status();
    if status.as_u16() != 200 {
        return Err(format!("HEAD answered HTTP {status}, expected 200"));
    }
    let header = |r: &reqwest::blocking::Response, name| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut problems = Vec::new();
    match header(&head, CONTENT_TYPE) {
        Some(t) if base_type(&t) == base_type(&o.content_type) => {}
        Some(t) => problems.push(format!(
            "Content-Type is `{t}`, the feed says `{}`",
            o.content_type
        )),
        None => problems.push("no Content-Type".into()),
    }
    match header(&head, CONTENT_LENGTH).and_then(|l| l.parse::<u64>().ok()) {
        Some(n) if n == o.bytes => {}
        Some(n) => problems.push(format!("Content-Length is {n}, the file has {}", o.bytes)),
        None => {}
    }
    // Apple requires byte ranges for audio and video: apps seek and resume with them.
    // Artwork is fetched whole.
    if o.kind != Kind::Media {
        return if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        };
    }
    let ranged = client
        .get(&o.url)
        .header(RANGE, "bytes=0-1")
        .send()
        .map_err(|e| http::describe(&e))?;
    if ranged.status().as_u16() != 206 {
        problems.push(format!(
            "a Range request answered HTTP {}, expected 206 (apps need byte ranges)",
            ranged.status()
        ));
    } else {
        let total = header(&ranged, CONTENT_RANGE)
            .and_then(|r| r.rsplit('/').next().and_then(|t| t.parse::<u64>().ok()));
        if total.is_some_and(|t| t != o.bytes) {
            problems.push(format!(
                "Content-Range says {} bytes, the file has {}",
                total.unwrap_or(0),
                o.bytes
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// `audio/mpeg; charset=x` → `audio/mpeg`.
fn base_type(t: &str) -> String {
    t.split(';').next().unwrap_or(t).trim().to_ascii_lowercase()
}
