//! `--online`: checks that need HTTP requests. For each enclosure: HEAD (falling back to
//! `GET` with `Range: bytes=0-0` when HEAD is refused), the redirect chain (length,
//! https→http downgrades), Content-Length against `length`, Content-Type against `type`,
//! and a ranged GET that must answer 206. The show artwork is fetched and its header
//! read (JPEG/PNG, RGB, square, 1400–3000 px); chapters JSON and transcripts are fetched
//! and checked for form.
//!
//! Requests run on a few worker threads sharing one blocking client. Each check has a
//! total deadline (`--timeout`, cut short by the `--budget` for the whole feed) that
//! covers every hop and the body, so a server dripping bytes cannot stretch it;
//! redirects are followed by hand (`crate::http::redirect`) so the chain can be inspected.

use super::common::item_label;
use super::diag::{Diagnostic, Diags};
use super::values::transcript::{transcript_parse_problem, transcript_problem};
use super::values::{mime_essence, short, types_for_extension, url_extension};
use super::xml::{self, Completed, Node, Ns};
// Redirects are followed by hand (to inspect the chain) in the one network module.
use crate::http::redirect::{Net, client, describe, follow, read_capped};
use crate::http::{Deadline, within};
use reqwest::blocking::Response;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Longer chains work but slow every download; tracking prefixes add one or two hops.
const LONG_CHAIN: usize = 5;
const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;
const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Limits for the online checks.
#[derive(Debug, Clone)]
pub struct Options {
    /// Per request.
    pub timeout: Duration,
    /// For all requests of one feed.
    pub budget: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

/// A feed downloaded from an http(s) URL.
pub struct FetchedFeed {
    pub bytes: Vec<u8>,
    /// Problems with how it is served (content type, redirects), located at line 1.
    pub diagnostics: Vec<Diagnostic>,
}

/// Downloads a feed from an http(s) URL, refusing more than `max_bytes`.
/// The whole download, redirects and body included, ends within `timeout`.
pub fn fetch_feed(url: &str, timeout: Duration, max_bytes: u64) -> Result<FetchedFeed, String> {
    let client = client(timeout)?;
    let deadline = Deadline::after(timeout);
    let owned = url.to_string();
    within(deadline, move || {
        let net = Net {
            client: &client,
            deadline,
        };
        fetch_feed_with(&net, &owned, max_bytes)
    })
    .unwrap_or_else(|| {
        Err(format!(
            "timed out: the feed did not arrive in full within {:.1} s",
            timeout.as_secs_f64()
        ))
    })
}

fn fetch_feed_with(net: &Net, url: &str, max_bytes: u64) -> Result<FetchedFeed, String> {
    let fetched = follow(net, reqwest::Method::GET, url, None)?;
    let status = fetched.response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    let mut diags = Diags::new();
    if let Some(ctype) = header(&fetched.response, CONTENT_TYPE) {
        let essence = mime_essence(ctype);
        if !matches!(
            essence.as_str(),
            "application/rss+xml" | "application/xml" | "text/xml" | "application/x-rss+xml"
        ) {
            diags.push_at(
                "net/feed-content-type",
                1,
                1,
                format!("the feed is served as Content-Type: {ctype}; serve it as application/rss+xml (or application/xml) so apps and browsers treat it as a feed"),
            );
        }
    }
    redirects((1, 1), "the feed", &fetched.chain, &mut diags);
    let bytes = read_capped(fetched.response, max_bytes, net.deadline)?;
    Ok(FetchedFeed {
        bytes,
        diagnostics: diags.finish(),
    })
}

/// What the online checks look at, with where it is in the feed.
#[derive(Debug, Clone)]
enum Target {
    Enclosure {
        url: String,
        length: Option<u64>,
        mime: Option<String>,
    },
    Image {
        url: String,
    },
    Chapters {
        url: String,
    },
    Transcript {
        url: String,
        mime: String,
    },
}

#[derive(Debug, Clone)]
struct Job {
    target: Target,
    line: usize,
    column: usize,
    item: Option<String>,
}

fn collect(bytes: &[u8]) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut sink = Diags::new();
    xml::walk(bytes, &mut sink, |done, _| match done {
        Completed::Item(item) => {
            let label = item_label(&item);
            let push = |jobs: &mut Vec<Job>, target, n: &Node| {
                jobs.push(Job {
                    target,
                    line: n.line,
                    column: n.column,
                    item: label.clone(),
                });
            };
            if let Some(enc) = item.child(Ns::None, "enclosure")
                && let Some(url) = enc.attr("url")
            {
                let length = enc.attr("length").and_then(|l| l.trim().parse().ok());
                let mime = enc.attr("type").map(str::to_string);
                push(
                    &mut jobs,
                    Target::Enclosure {
                        url: url.trim().to_string(),
                        length,
                        mime,
                    },
                    enc,
                );
            }
            for c in item.children_named(Ns::Podcast, "chapters") {
                if let Some(url) = c.attr("url") {
                    push(
                        &mut jobs,
                        Target::Chapters {
                            url: url.trim().to_string(),
                        },
                        c,
                    );
                }
            }
            for t in item.children_named(Ns::Podcast, "transcript") {
                if let (Some(url), Some(mime)) = (t.attr("url"), t.attr("type")) {
                    push(
                        &mut jobs,
                        Target::Transcript {
                            url: url.trim().to_string(),
                            mime: mime.to_string(),
                        },
                        t,
                    );
                }
            }
        }
        Completed::Root(root) => {
            if let Some(ch) = root.child(Ns::None, "channel")
                && let Some(img) = ch.child(Ns::Itunes, "image")
                && let Some(href) = img.attr("href")
            {
                jobs.push(Job {
                    target: Target::Image {
                        url: href.trim().to_string(),
                    },
                    line: img.line,
                    column: img.column,
                    item: None,
                });
            }
        }
    });
    jobs
}

/// Runs the online checks for a feed. Returns the diagnostics and notes for the user
/// (e.g. checks skipped because the budget ran out).
pub fn check_online(bytes: &[u8], options: &Options) -> (Vec<Diagnostic>, Vec<String>) {
    let jobs = collect(bytes);
    let client = match client(options.timeout) {
        Ok(c) => c,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let deadline = Instant::now() + options.budget;
    let budget = Deadline::after(options.budget);
    let queue = Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let results: Mutex<Vec<(usize, Diags)>> = Mutex::new(Vec::new());
    let skipped = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.max(1) {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some((index, job)) = next else { break };
                    if Instant::now() >= deadline {
                        if let Ok(mut s) = skipped.lock() {
                            *s += 1;
                        }
                        continue;
                    }
                    let mut diags = Diags::new();
                    diags.item = job.item.clone();
                    // Each check ends by its own deadline, and none runs past the budget.
                    let net = Net {
                        client: &client,
                        deadline: Deadline::after(options.timeout).min(budget),
                    };
                    run_job(&net, &job, &mut diags);
                    if let Ok(mut r) = results.lock() {
                        r.push((index, diags));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let mut all = Vec::new();
    for (_, d) in results {
        all.extend(d.finish());
    }
    let mut notes = Vec::new();
    let skipped = skipped.into_inner().unwrap_or(0);
    if skipped > 0 {
        notes.push(format!(
            "the --budget ran out: {skipped} online check(s) not done"
        ));
    }
    (all, notes)
}

fn run_job(client: &Net, job: &Job, diags: &mut Diags) {
    match &job.target {
        Target::Enclosure { url, length, mime } => {
            enclosure(client, job, url, *length, mime.as_deref(), diags)
        }
        Target::Image { url } => image(client, job, url, diags),
        Target::Chapters { url } => chapters(client, job, url, diags),
        Target::Transcript { url, mime } => transcript(client, job, url, mime, diags),
    }
}

fn header(r: &Response, name: reqwest::header::HeaderName) -> Option<&str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Total size from `Content-Range: bytes 0-0/TOTAL`.
fn range_total(r: &Response) -> Option<u64> {
    header(r, CONTENT_RANGE)?
        .rsplit('/')
        .next()?
        .trim()
        .parse()
        .ok()
}

fn redirects(at: (usize, usize), what: &str, chain: &[String], diags: &mut Diags) {
    let hops = chain.len().saturating_sub(1);
    if hops > LONG_CHAIN {
        diags.push_at("net/redirects", at.0, at.1, format!("{what} goes through {hops} redirects ({} → … → {}); every download pays for each hop", short(&chain[0]), short(&chain[hops])));
    }
    if let Some((from, to)) = downgrade(chain) {
        diags.push_at("net/redirects", at.0, at.1, format!("{what} redirects from https to plain http ({} → {}); apps on iOS refuse insecure downloads", short(from), short(to)));
    }
}

/// The first hop of a redirect chain that goes from https to plain http.
fn downgrade(chain: &[String]) -> Option<(&str, &str)> {
    chain
        .windows(2)
        .find(|p| p[0].starts_with("https://") && p[1].starts_with("http://"))
        .map(|p| (p[0].as_str(), p[1].as_str()))
}

fn enclosure(
    client: &Net,
    job: &Job,
    url: &str,
    length: Option<u64>,
    mime: Option<&str>,
    diags: &mut Diags,
) {
    let at = |diags: &mut Diags, rule, msg: String| diags.push_at(rule, job.line, job.column, msg);
    // HEAD first; hosts that refuse it get a one-byte ranged GET instead.
    let head = follow(client, reqwest::Method::HEAD, url, None);
    let (response, chain, via_head) = match head {
        Ok(f) if f.response.status().is_success() => (f.response, f.chain, true),
        Ok(f) if matches!(f.response.status().as_u16(), 403 | 405 | 501) => {
            at(
                diags,
                "net/head-refused",
                format!(
                    "HEAD {} answered {}; some apps and Apple's checker use HEAD. Allow it on the media host",
                    short(url),
                    f.response.status()
                ),
            );
            match follow(client, reqwest::Method::GET, url, Some("bytes=0-0")) {
                Ok(g) => (g.response, g.chain, false),
                Err(e) => {
                    at(
                        diags,
                        "net/enclosure-reachable",
                        format!("GET {}: {e}", short(url)),
                    );
                    return;
                }
            }
        }
        Ok(f) => {
            at(
                diags,
                "net/enclosure-reachable",
                format!(
                    "HEAD {} answered {}; apps cannot download the episode",
                    short(url),
                    f.response.status()
                ),
            );
            redirects((job.line, job.column), "the enclosure", &f.chain, diags);
            return;
        }
        Err(e) => {
            at(
                diags,
                "net/enclosure-reachable",
                format!("{}: {e}", short(url)),
            );
            return;
        }
    };
    let status = response.status();
    if !status.is_success() {
        at(
            diags,
            "net/enclosure-reachable",
            format!(
                "GET {} answered {status}; apps cannot download the episode",
                short(url)
            ),
        );
        return;
    }
    redirects((job.line, job.column), "the enclosure", &chain, diags);
    // reqwest's content_length() is 0 for HEAD: read the header itself.
    let served_length = if via_head {
        header(&response, CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok())
    } else {
        range_total(&response).or_else(|| {
            header(&response, CONTENT_LENGTH)
                .and_then(|v| v.trim().parse().ok())
                .filter(|_| status.as_u16() == 200)
        })
    };
    if let (Some(declared), Some(served)) = (length, served_length)
        && declared != served
    {
        at(
            diags,
            "net/enclosure-length",
            format!(
                "<enclosure length=\"{declared}\"> but the server says the file is {served} bytes; write length=\"{served}\""
            ),
        );
    }
    if let (Some(declared), Some(served)) = (mime, header(&response, CONTENT_TYPE)) {
        let (d, s) = (mime_essence(declared), mime_essence(served));
        let compatible = d == s
            || url_extension(url)
                .and_then(|e| types_for_extension(&e))
                .is_some_and(|types| types.contains(&d.as_str()) && types.contains(&s.as_str()));
        if !compatible {
            at(
                diags,
                "net/enclosure-type",
                format!(
                    "<enclosure type=\"{declared}\"> but the server sends Content-Type: {served}; apps that trust the header may refuse to play it. Fix the server's type or the feed's"
                ),
            );
        }
    }
    drop(response);
    let final_url = chain.last().map_or(url, String::as_str);
    match client
        .client
        .get(final_url)
        .header(RANGE, "bytes=0-1")
        .timeout(client.deadline.timeout())
        .send()
    {
        Ok(r) if r.status().as_u16() == 206 && header(&r, CONTENT_RANGE).is_some() => {}
        Ok(r) => at(
            diags,
            "apple/byte-range",
            format!(
                "a GET with Range: bytes=0-1 answered {} without Content-Range; Apple requires byte-range support (206 Partial Content) on media hosts",
                r.status()
            ),
        ),
        Err(e) => at(
            diags,
            "apple/byte-range",
            format!("the ranged GET failed: {}", describe(&e)),
        ),
    }
}

/// A downloaded body and the redirect chain that led to it.
struct Body {
    bytes: Vec<u8>,
    chain: Vec<String>,
}

fn get_body(client: &Net, url: &str, max: u64) -> Result<Body, String> {
    let f = follow(client, reqwest::Method::GET, url, None)?;
    let status = f.response.status();
    if !status.is_success() {
        return Err(format!("answered {status}"));
    }
    let bytes = read_capped(f.response, max, client.deadline)?;
    Ok(Body {
        bytes,
        chain: f.chain,
    })
}

fn image(client: &Net, job: &Job, url: &str, diags: &mut Diags) {
    let at = |diags: &mut Diags, rule, msg: String| diags.push_at(rule, job.line, job.column, msg);
    let Body { bytes: body, chain } = match get_body(client, url, MAX_IMAGE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            at(
                diags,
                "net/image-reachable",
                format!("the artwork {}: {e}", short(url)),
            );
            return;
        }
    };
    redirects((job.line, job.column), "the artwork", &chain, diags);
    let Some(info) = image_info(&body) else {
        at(
            diags,
            "apple/image-format",
            format!(
                "the artwork {} is not a JPEG or PNG file; Apple accepts only those",
                short(url)
            ),
        );
        return;
    };
    let ext_format = match url_extension(url).as_deref() {
        Some("jpg" | "jpeg") => Some("JPEG"),
        Some("png") => Some("PNG"),
        _ => None,
    };
    if let Some(named) = ext_format.filter(|f| *f != info.format) {
        at(
            diags,
            "apple/image-format",
            format!(
                "the artwork {} is named as {named} but is a {} file; Apple wants the extension to match the content",
                short(url),
                info.format
            ),
        );
    }
    let (w, h) = (info.width, info.height);
    if w != h || !(1400..=3000).contains(&w) {
        at(
            diags,
            "apple/image-size",
            format!(
                "the artwork is {w}x{h} px; Apple wants a square between 1400x1400 and 3000x3000"
            ),
        );
    }
    if !info.rgb {
        at(
            diags,
            "apple/image-rgb",
            format!(
                "the artwork {} uses {} colour; Apple requires RGB. Convert it",
                info.format, info.colour
            ),
        );
    }
}

/// Format, size and colour model read from an image header.
#[derive(Debug, PartialEq)]
pub struct ImageInfo {
    pub format: &'static str,
    pub width: u32,
    pub height: u32,
    pub rgb: bool,
    pub colour: &'static str,
}

/// Reads a PNG IHDR or a JPEG SOFn header; None for anything else.
pub fn image_info(b: &[u8]) -> Option<ImageInfo> {
    if b.len() >= 26 && b.starts_with(b"\x89PNG\r\n\x1a\n") && &b[12..16] == b"IHDR" {
        let width = u32::from_be_bytes([b[16], b[17], b[18], b[19]]);
        let height = u32::from_be_bytes([b[20], b[21], b[22], b[23]]);
        let (rgb, colour) = match b[25] {
            2 => (true, "RGB"),
            6 => (true, "RGBA"),
            3 => (true, "palette"),
            0 => (false, "greyscale"),
            4 => (false, "greyscale+alpha"),
            _ => (false, "unknown"),
        };
        return Some(ImageInfo {
            format: "PNG",
            width,
            height,
            rgb,
            colour,
        });
    }
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        return None;
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof && i + 10 <= b.len() {
            let height = u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]]));
            let width = u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]]));
            let (rgb, colour) = match b[i + 9] {
                3 => (true, "RGB (YCbCr)"),
                1 => (false, "greyscale"),
                4 => (false, "CMYK"),
                _ => (false, "unknown"),
            };
            return Some(ImageInfo {
                format: "JPEG",
                width,
                height,
                rgb,
                colour,
            });
        }
        if len < 2 {
            return None;
        }
        i += 2 + len;
    }
    None
}

fn chapters(client: &Net, job: &Job, url: &str, diags: &mut Diags) {
    let at = |diags: &mut Diags, msg: String| {
        diags.push_at("net/chapters-file", job.line, job.column, msg)
    };
    let Body { bytes: body, .. } = match get_body(client, url, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            at(diags, format!("the chapters file {}: {e}", short(url)));
            return;
        }
    };
    match chapters_problem(&body) {
        Err(problem) => at(
            diags,
            format!("the chapters file {}: {problem}", short(url)),
        ),
        Ok((count, first)) if count < 3 || first != Some(0.0) => diags.push_at(
            "spotify/chapters",
            job.line,
            job.column,
            format!(
                "the chapters file has {count} chapter(s){}; Spotify shows chapters only when there are at least 3 and the first starts at 0",
                first.map(|f| format!(", the first at {f} s")).unwrap_or_default()
            ),
        ),
        Ok(_) => {}
    }
}

/// Checks a JSON chapters document (PC-CHAP): version, chapters[], numeric ascending
/// startTime. Returns the number of chapters and the first start time.
pub fn chapters_problem(body: &[u8]) -> Result<(usize, Option<f64>), String> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("not JSON ({e})"))?;
    if !v.get("version").is_some_and(serde_json::Value::is_string) {
        return Err("has no \"version\" string".into());
    }
    let Some(list) = v.get("chapters").and_then(serde_json::Value::as_array) else {
        return Err("has no \"chapters\" array".into());
    };
    let mut last = f64::MIN;
    for (i, c) in list.iter().enumerate() {
        let Some(start) = c.get("startTime").and_then(serde_json::Value::as_f64) else {
            return Err(format!("chapter {} has no numeric startTime", i + 1));
        };
        if start < last {
            return Err(format!(
                "chapter {} starts at {start}, before the previous one ({last}); list chapters in order",
                i + 1
            ));
        }
        if let Some(end) = c.get("endTime").and_then(serde_json::Value::as_f64)
            && end <= start
        {
            return Err(format!(
                "chapter {} ends ({end}) before it starts ({start})",
                i + 1
            ));
        }
        last = start;
    }
    Ok((
        list.len(),
        list.first()
            .and_then(|c| c.get("startTime"))
            .and_then(serde_json::Value::as_f64),
    ))
}

fn transcript(client: &Net, job: &Job, url: &str, mime: &str, diags: &mut Diags) {
    let at = |diags: &mut Diags, msg: String| {
        diags.push_at("net/transcript-file", job.line, job.column, msg)
    };
    let Body { bytes: body, .. } = match get_body(client, url, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            at(diags, format!("the transcript {}: {e}", short(url)));
            return;
        }
    };
    let problem = transcript_problem(&body, mime)
        .err()
        .or_else(|| transcript_parse_problem(&body, &mime_essence(mime)));
    if let Some(problem) = problem {
        at(diags, format!("the transcript {}: {problem}", short(url)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_header_is_read() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&1400u32.to_be_bytes());
        png.extend_from_slice(&1400u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        let info = image_info(&png).expect("png");
        assert_eq!((info.width, info.height, info.rgb), (1400, 1400, true));
    }

    #[test]
    fn https_to_http_is_a_downgrade() {
        let chain = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            downgrade(&chain(&["https://a/x", "https://b/x", "http://c/x"])),
            Some(("https://b/x", "http://c/x"))
        );
        assert_eq!(downgrade(&chain(&["http://a/x", "https://b/x"])), None);
    }

    #[test]
    fn chapters_must_ascend() {
        assert!(
            chapters_problem(
                br#"{"version":"1.2.0","chapters":[{"startTime":0},{"startTime":5}]}"#
            )
            .is_ok()
        );
        assert!(
            chapters_problem(
                br#"{"version":"1.2.0","chapters":[{"startTime":5},{"startTime":1}]}"#
            )
            .is_err()
        );
        assert!(chapters_problem(br#"{"chapters":[]}"#).is_err());
    }
}
