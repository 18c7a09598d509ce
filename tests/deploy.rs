//! `mspod deploy` against a real S3-protocol server (moto in server mode,
//! started by each test on loopback) and against a local folder; verify and
//! notify against loopback HTTP servers that the tests start.
//!
//! Without `moto_server` on PATH the S3 tests skip with a message, unless `CI`
//! is set: CI must run them (`.ci/run` installs moto).

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Run, Show, mspod_env};

// ---------------------------------------------------------------- moto server

/// A moto S3 server on a free loopback port, killed when dropped.
struct Moto {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Moto {
    /// `None` (after saying why) when moto is not installed outside CI.
    fn start() -> Option<Moto> {
        let found = Command::new("moto_server")
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "moto_server is not installed, and CI must run the S3 deploy tests (pip install 'moto[server]')"
            );
            eprintln!(
                "SKIPPED: moto_server not found (pip install 'moto[server]'); the S3 deploy tests did not run"
            );
            return None;
        }
        // The free port is released before moto binds it, so a test running
        // alongside may take it first: then moto exits, and another port is tried.
        for _ in 0..5 {
            let dir = tempfile::tempdir().expect("temp dir");
            let log = dir.path().join("moto.log");
            let port = free_port();
            let child = Command::new("moto_server")
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).expect("log file"))
                .spawn()
                .expect("moto_server starts");
            let mut moto = Moto {
                child,
                port,
                log,
                _dir: dir,
            };
            if moto.ready() {
                return Some(moto);
            }
        }
        panic!("moto_server did not start on any of 5 ports");
    }

    /// Waits until this moto answers S3's list-buckets on its port (not just
    /// anything listening there); false once it has exited.
    fn ready(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if self.child.try_wait().ok().flatten().is_some() {
                return false;
            }
            let answer = client()
                .get(self.url())
                .send()
                .and_then(|r| r.text())
                .unwrap_or_default();
            if answer.contains("ListAllMyBucketsResult") {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("moto_server on port {} did not answer in 30 s", self.port);
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A bucket anyone may read, as a podcast's public bucket is.
    fn bucket(&self, name: &str) {
        let status = client()
            .put(format!("{}/{name}", self.url()))
            .header("x-amz-acl", "public-read")
            .send()
            .expect("create bucket")
            .status();
        assert!(status.is_success(), "create bucket {name}: {status}");
    }

    /// The server's request log: `METHOD /path` per request, in order.
    fn requests(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter_map(|l| {
                let start = l.find('"')? + 1;
                let rest = &l[start..];
                let end = rest.find(" HTTP/")?;
                Some(rest[..end].to_string())
            })
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn client() -> reqwest::blocking::Client {
    mspod::http::client(mspod::http::Limits::default()).expect("client")
}

// ------------------------------------------------- a small loopback HTTP server

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
    /// The request as it arrived, for forwarding.
    raw: Vec<u8>,
}

type Handler = dyn Fn(&Request) -> Vec<u8> + Send + Sync;

/// Answers each connection's one request with `handler`'s raw response bytes,
/// and records every request.
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn start(handler: Box<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let handler: Arc<Handler> = Arc::from(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                let handler = handler.clone();
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Request> {
        self.seen.lock().expect("lock").clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut raw = Vec::new();
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    raw.extend_from_slice(line.as_bytes());
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            break;
        }
        if h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            // Every answer closes the connection: one request per connection.
            if k != "connection" {
                raw.extend_from_slice(h.as_bytes());
            }
            headers.insert(k, v.trim().to_string());
        }
    }
    raw.extend_from_slice(b"connection: close\r\n\r\n");
    let len: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    raw.extend_from_slice(&body);
    let request = Request {
        method,
        path,
        headers,
        body,
        raw,
    };
    log.lock().expect("lock").push(request.clone());
    let response = handler(&request);
    let mut stream = stream;
    let _ = stream.write_all(&response);
    let _ = stream.flush();
}

fn respond(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nconnection: close\r\n");
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        out.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Forwards a request to `upstream` and returns its whole answer.
fn forward(upstream: u16, r: &Request) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", upstream)).expect("upstream");
    s.write_all(&r.raw).expect("forward");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    answer
}

/// A proxy in front of moto that fails the PUTs whose path contains `needle`,
/// `times` times (usize::MAX: always).
fn failing_proxy(upstream: u16, needle: &'static str, times: usize) -> Server {
    let failed = Mutex::new(0usize);
    Server::start(Box::new(move |r| {
        if r.method == "PUT" && r.path.contains(needle) {
            let mut n = failed.lock().expect("lock");
            if *n < times {
                *n += 1;
                return respond(
                    "500 Internal Server Error",
                    &[],
                    b"<Error><Code>InternalError</Code></Error>",
                );
            }
        }
        forward(upstream, r)
    }))
}

// ------------------------------------------------------------------ the show

const ENV: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "test-key"),
    ("AWS_SECRET_ACCESS_KEY", "test-secret"),
    ("AWS_DEFAULT_REGION", "us-east-1"),
];

/// The sample show (without its lock: its URLs change), served from
/// `feed_base` and `media_base`, deploying with `deploy_table`.
fn sample_show(feed_base: &str, media_base: &str, deploy_table: &str) -> Show {
    let show = Show::empty();
    let repo = support::repo();
    support::copy_dir(&repo.join("episodes"), &show.file("episodes"), &[]);
    std::fs::copy(repo.join("mspod.toml"), show.file("mspod.toml")).expect("copy");
    show.set(
        "mspod.toml",
        "feed_url",
        &format!("feed_url = \"{feed_base}podcast.xml\""),
    )
    .set(
        "mspod.toml",
        "media_base_url",
        &format!("media_base_url = \"{media_base}\""),
    )
    .edit("mspod.toml", |t| format!("{t}\n{deploy_table}\n"));
    show.publish(&[]).expect_code(0);
    show
}

fn deploy(show: &Show, extra: &[&str]) -> Run {
    deploy_env(show, extra, &[])
}

fn deploy_env(show: &Show, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["deploy", "--format", "json"];
    args.extend_from_slice(extra);
    let mut all: Vec<(&str, &str)> = ENV.to_vec();
    all.extend_from_slice(env);
    mspod_env(show.path(), &args, &all)
}

/// The S3 setup used by most tests: buckets `feeds` and `media` on moto.
fn s3_show(moto: &Moto, endpoint: &str, extra: &str) -> Show {
    moto.bucket("feeds");
    moto.bucket("media");
    sample_show(
        &format!("{}/feeds/podcast/", moto.url()),
        &format!("{}/media/podcast/", moto.url()),
        &format!(
            "[deploy]\nfeed = \"s3://feeds/podcast/\"\nmedia = \"s3://media/podcast/\"\nendpoint = \"{endpoint}\"\nregion = \"us-east-1\"\n{extra}"
        ),
    )
}

fn steps(report: &Value, action: &str) -> Vec<String> {
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["action"] == action)
        .map(|s| s["location"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn head(url: &str) -> reqwest::blocking::Response {
    client().head(url).send().expect("HEAD")
}

fn header(r: &reqwest::blocking::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

// ------------------------------- what a deploy must put up, from the show itself

/// One file the published feed makes apps fetch.
#[derive(Debug, Clone)]
struct Link {
    /// The element naming it: `enclosure`, `podcast:source`, `itunes:image`…
    tag: &'static str,
    url: String,
    /// The type the feed announces, when it does.
    mime: Option<String>,
    length: Option<u64>,
}

/// `name="value"` inside one start tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// Every URL the feed's enclosures, alternate-enclosure sources, artwork,
/// chapters, transcripts and trailer point at, read straight from the XML
/// (independently of mspod's own reader).
fn feed_links(feed: &str) -> Vec<Link> {
    let mut links = Vec::new();
    for (tag, name) in [
        ("enclosure", "url"),
        ("podcast:source", "uri"),
        ("itunes:image", "href"),
        ("podcast:image", "href"),
        ("podcast:chapters", "url"),
        ("podcast:transcript", "url"),
        ("podcast:trailer", "url"),
    ] {
        let open = format!("<{tag} ");
        let mut from = 0;
        while let Some(at) = feed[from..].find(&open).map(|i| i + from) {
            let end = feed[at..].find('>').map_or(feed.len(), |i| i + at);
            let element = &feed[at..end];
            // A source's type and length are on its podcast:alternateEnclosure.
            let typed = if tag == "podcast:source" {
                let parent = feed[..at]
                    .rfind("<podcast:alternateEnclosure ")
                    .expect("a source inside an alternateEnclosure");
                &feed[parent..feed[parent..].find('>').map_or(at, |i| i + parent)]
            } else {
                element
            };
            links.push(Link {
                tag,
                url: attr(element, name).expect("the URL attribute"),
                mime: attr(typed, "type"),
                length: attr(typed, "length").and_then(|l| l.parse().ok()),
            });
            from = end;
        }
    }
    assert!(!links.is_empty(), "the feed links to files");
    links
}

/// Every file a deploy must put up, as (public URL, target location): each
/// file publish listed in its index goes to the feed target; each file the
/// feed links to under `media_base` (audio, video, artwork) to the media one.
fn expected(
    show: &Show,
    (feed_base, feed_target): (&str, &str),
    (media_base, media_target): (&str, &str),
) -> BTreeMap<String, String> {
    let index = show.read(".mspod/published-files");
    let mut all: BTreeMap<String, String> = index
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|rel| (format!("{feed_base}{rel}"), format!("{feed_target}{rel}")))
        .collect();
    for link in feed_links(&show.read("feeds/podcast.xml")) {
        if let Some(rel) = link.url.strip_prefix(media_base) {
            all.insert(link.url.clone(), format!("{media_target}{rel}"));
        } else {
            assert!(
                link.url.starts_with(feed_base),
                "{} {} is neither under the feed's folder nor media_base_url",
                link.tag,
                link.url
            );
        }
    }
    all
}

/// The S3 tests' targets, as `expected` takes them.
fn s3_expected(moto: &Moto, show: &Show) -> BTreeMap<String, String> {
    expected(
        show,
        (
            &format!("{}/feeds/podcast/", moto.url()),
            "s3://feeds/podcast/",
        ),
        (
            &format!("{}/media/podcast/", moto.url()),
            "s3://media/podcast/",
        ),
    )
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// GETs every URL the published feed links to and checks it answers 200 with
/// the type (and length) the feed announces.
fn assert_feed_links_served(show: &Show) {
    let links = feed_links(&show.read("feeds/podcast.xml"));
    for link in &links {
        let r = client().get(&link.url).send().expect("GET");
        assert_eq!(r.status().as_u16(), 200, "{} {}", link.tag, link.url);
        let served_type = header(&r, "content-type");
        if let Some(mime) = &link.mime {
            assert_eq!(
                served_type.split(';').next().unwrap_or_default(),
                mime,
                "{} {}",
                link.tag,
                link.url
            );
        }
        let body = r.bytes().expect("body");
        if let Some(length) = link.length {
            assert_eq!(body.len() as u64, length, "{} {}", link.tag, link.url);
        }
    }
    // The sample show exercises every kind of link.
    for tag in [
        "enclosure",
        "podcast:source",
        "itunes:image",
        "podcast:image",
        "podcast:chapters",
        "podcast:transcript",
    ] {
        assert!(links.iter().any(|l| l.tag == tag), "no {tag} in the feed");
    }
}

// ------------------------------------------------------------------- tests

#[test]
fn first_deploy_uploads_everything_with_the_right_headers_then_nothing() {
    let Some(moto) = Moto::start() else { return };
    // One episode (282,390 bytes) crosses the multipart threshold.
    let show = s3_show(&moto, &moto.url(), "multipart_bytes = 250000");

    let all = s3_expected(&moto, &show);
    let first = deploy(&show, &[]);
    first.expect_code(0);
    let report = first.json();
    assert_eq!(
        sorted(steps(&report, "upload")),
        sorted(all.values().cloned().collect()),
        "{}",
        first.stdout
    );
    assert_eq!(report["verified"], true);
    assert_eq!(
        report["verify_warnings"],
        Value::Array(vec![]),
        "{}",
        first.stdout
    );

    let base = moto.url();
    for (path, content_type, cache) in [
        (
            "media/podcast/first-therapy-session/audio.mp3",
            "audio/mpeg",
            "public, max-age=31536000, immutable",
        ),
        (
            "media/podcast/relationship-as-medicine/audio.mp3",
            "audio/mpeg",
            "public, max-age=31536000, immutable",
        ),
        (
            "media/podcast/cover.jpg",
            "image/jpeg",
            "public, max-age=86400",
        ),
        (
            "media/podcast/relationship-as-medicine/cover.jpg",
            "image/jpeg",
            "public, max-age=86400",
        ),
        (
            "media/podcast/grounding-techniques-for-panic/artwork.png",
            "image/png",
            "public, max-age=86400",
        ),
        (
            "media/podcast/first-therapy-session/video.mp4",
            "video/mp4",
            "public, max-age=31536000, immutable",
        ),
        (
            "feeds/podcast/first-therapy-session/transcript.vtt",
            "text/vtt; charset=utf-8",
            "public, max-age=3600",
        ),
        (
            "feeds/podcast/index.html",
            "text/html; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "feeds/podcast/podcast.xml",
            "application/rss+xml; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "feeds/podcast/relationship-as-medicine/chapters.json",
            "application/json+chapters",
            "public, max-age=3600",
        ),
        (
            "feeds/podcast/welcome-to-mentalspace/show-notes.html",
            "text/html; charset=utf-8",
            "public, max-age=300",
        ),
    ] {
        let r = head(&format!("{base}/{path}"));
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert_eq!(header(&r, "content-type"), content_type, "{path}");
        assert_eq!(header(&r, "cache-control"), cache, "{path}");
        assert_eq!(
            header(&r, "x-amz-meta-sha256").len(),
            64,
            "{path}: content hash"
        );
        assert!(header(&r, "content-disposition").is_empty(), "{path}");
    }
    // The feed the bucket serves is the published one, byte for byte.
    let served = client()
        .get(format!("{base}/feeds/podcast/podcast.xml"))
        .send()
        .and_then(|r| r.bytes())
        .expect("GET feed");
    assert_eq!(
        served.as_ref(),
        std::fs::read(show.file("feeds/podcast.xml")).expect("feed")
    );
    // Every file the feed links to is there, with the type the feed announces.
    assert_feed_links_served(&show);

    // Order in the server's log: every audio PUT before any feeds/ PUT, the feed last.
    let log = moto.requests();
    let puts: Vec<&String> = log
        .iter()
        .filter(|l| {
            l.starts_with("PUT /feeds/podcast/")
                || l.starts_with("PUT /media/podcast/")
                || l.contains("?uploads")
        })
        .collect();
    assert_eq!(
        puts.last().map(|s| s.as_str()),
        Some("PUT /feeds/podcast/podcast.xml"),
        "{log:#?}"
    );
    let last_audio = puts
        .iter()
        .rposition(|l| l.contains(".mp3") || l.contains(".mp4"))
        .expect("audio PUTs");
    let first_page = puts
        .iter()
        .position(|l| l.starts_with("PUT /feeds/"))
        .expect("page PUTs");
    assert!(
        last_audio < first_page,
        "audio goes before pages: {puts:#?}"
    );
    assert!(
        log.iter().any(
            |l| l.starts_with("POST /media/podcast/relationship-as-medicine/audio.mp3?uploads")
        ),
        "large audio goes as a multipart upload: {log:#?}"
    );

    // Second deploy: everything is current, nothing is written.
    let before = moto.requests().len();
    let second = deploy(&show, &[]);
    second.expect_code(0);
    let report = second.json();
    assert_eq!(steps(&report, "upload"), Vec::<String>::new());
    assert_eq!(report["skipped"], all.len());
    let writes: Vec<String> = moto.requests()[before..]
        .iter()
        .filter(|l| !l.starts_with("HEAD") && !l.starts_with("GET"))
        .cloned()
        .collect();
    assert_eq!(writes, Vec::<String>::new());
}

#[test]
fn touching_one_article_uploads_only_that_episodes_files_and_the_feed() {
    let Some(moto) = Moto::start() else { return };
    let show = s3_show(&moto, &moto.url(), "");
    deploy(&show, &[]).expect_code(0);

    show.edit("episodes/welcome-to-mentalspace/article.md", |t| {
        t.replace("is available 24/7", "is available day and night")
    });
    show.publish(&[]).expect_code(0);
    let run = deploy(&show, &[]);
    run.expect_code(0);
    let uploaded = steps(&run.json(), "upload");
    assert!(
        uploaded.contains(&"s3://feeds/podcast/podcast.xml".to_string()),
        "{uploaded:#?}"
    );
    assert!(
        uploaded.contains(&"s3://feeds/podcast/welcome-to-mentalspace/show-notes.html".to_string()),
        "{uploaded:#?}"
    );
    for location in &uploaded {
        assert!(
            location.starts_with("s3://feeds/podcast/welcome-to-mentalspace/")
                || location == "s3://feeds/podcast/podcast.xml",
            "only the touched episode's files and the feed: {uploaded:#?}"
        );
    }

    // A change that keeps every size is found by the content hash.
    show.edit("episodes/welcome-to-mentalspace/article.md", |t| {
        t.replace("is available day and night", "is available night and day")
    });
    show.publish(&[]).expect_code(0);
    let run = deploy(&show, &[]);
    run.expect_code(0);
    let report = run.json();
    let notes = report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["location"] == "s3://feeds/podcast/welcome-to-mentalspace/show-notes.html")
        .expect("the notes' step");
    assert_eq!(notes["action"], "upload");
    assert_eq!(notes["reason"], "changed content");
}

#[test]
fn dry_run_plans_without_writing() {
    let Some(moto) = Moto::start() else { return };
    let show = s3_show(&moto, &moto.url(), "");
    let run = deploy(&show, &["--dry-run"]);
    run.expect_code(0);
    let plan = run.json();
    assert_eq!(plan["dry_run"], true);
    let all = s3_expected(&moto, &show);
    assert_eq!(
        sorted(steps(&plan, "upload")),
        sorted(all.values().cloned().collect())
    );
    assert!(plan["steps"][0]["reason"] == "new");
    assert!(
        moto.requests()
            .iter()
            .all(|l| !l.starts_with("PUT /feeds/") && !l.starts_with("PUT /media/"))
    );
    // Text form: one line per object, with action, kind, size, location and reason.
    let text = mspod_env(show.path(), &["deploy", "--dry-run"], &ENV);
    text.expect_code(0)
        .stdout_has("upload  media           243 KB  s3://media/podcast/first-therapy-session/audio.mp3  (new)")
        .stdout_has("upload  media           161 KB  s3://media/podcast/first-therapy-session/video.mp4  (new)")
        .stdout_has("upload  art            ")
        .stderr_has(&format!("would upload {} files", all.len()));
}

#[test]
fn a_failed_media_upload_leaves_the_old_feed() {
    let Some(moto) = Moto::start() else { return };
    let proxy = failing_proxy(moto.port, "new-episode/audio.mp3", usize::MAX);
    let show = s3_show(&moto, &proxy.url(), "");
    deploy(&show, &[]).expect_code(0);
    let old_feed = show.read("feeds/podcast.xml");

    // A new episode, whose audio upload will fail.
    support::copy_dir(
        &show.file("episodes/welcome-to-mentalspace"),
        &show.file("episodes/new-episode"),
        &[],
    );
    show.set(
        "episodes/new-episode/episode.toml",
        "article_url",
        "article_url = \"https://example.org/blog/new-episode/\"",
    )
    .set("episodes/new-episode/episode.toml", "youtube", "")
    .set(
        "episodes/new-episode/episode.toml",
        "published",
        "published = \"2026-06-03T09:00:00-04:00\"",
    )
    .set("episodes/new-episode/episode.toml", "number", "number = 5");
    show.publish(&[]).expect_code(0);
    assert_ne!(show.read("feeds/podcast.xml"), old_feed);

    let run = deploy(&show, &[]);
    run.expect_code(2)
        .stderr_has("new-episode/audio.mp3")
        .stderr_has("the previously deployed feed is unchanged");
    // --format json still says what happened, step by step.
    let report = run.json();
    let failed: Vec<&Value> = report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| {
            s["result"]
                .as_str()
                .is_some_and(|r| r.starts_with("failed"))
        })
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0]["location"],
        "s3://media/podcast/new-episode/audio.mp3"
    );
    assert!(
        report["error"]
            .as_str()
            .is_some_and(|e| e.contains("previously deployed feed"))
    );
    let feed_step = report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["location"] == "s3://feeds/podcast/podcast.xml")
        .expect("feed step");
    assert_eq!(feed_step["result"], Value::Null, "the feed was never tried");
    let served = client()
        .get(format!("{}/feeds/podcast/podcast.xml", moto.url()))
        .send()
        .and_then(|r| r.text())
        .expect("GET feed");
    assert_eq!(served, old_feed, "the bucket still serves the old feed");
    let proxied: Vec<String> = proxy
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let feed_puts = proxied
        .iter()
        .filter(|l| *l == "PUT /feeds/podcast/podcast.xml")
        .count();
    assert_eq!(
        feed_puts, 1,
        "only the first deploy wrote the feed: {proxied:#?}"
    );
    let tries = proxied
        .iter()
        .filter(|l| *l == "PUT /media/podcast/new-episode/audio.mp3")
        .count();
    assert_eq!(
        tries, 4,
        "one try and three retries with backoff: {proxied:#?}"
    );
}

#[test]
fn a_transient_server_error_is_retried() {
    let Some(moto) = Moto::start() else { return };
    let proxy = failing_proxy(moto.port, "podcast.xml", 1);
    let show = s3_show(&moto, &proxy.url(), "");
    deploy(&show, &[]).expect_code(0);
    let feed_puts = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path == "/feeds/podcast/podcast.xml")
        .count();
    assert_eq!(feed_puts, 2);
}

#[test]
fn prune_deletes_stale_pages_but_keeps_audio() {
    let Some(moto) = Moto::start() else { return };
    let show = s3_show(&moto, &moto.url(), "");
    deploy(&show, &[]).expect_code(0);
    for key in [
        "feeds/podcast/old-episode/show-notes.html",
        "media/podcast/old-episode/audio.mp3",
        "media/podcast/old-episode/cover.jpg",
        // In the folder of an episode mspod.lock lists.
        "media/podcast/welcome-to-mentalspace/old-video.mp4",
    ] {
        let status = client()
            .put(format!("{}/{key}", moto.url()))
            .body("x")
            .send()
            .expect("PUT")
            .status();
        assert!(status.is_success());
    }
    let plan = deploy(&show, &["--prune", "--dry-run"]);
    plan.expect_code(0);
    assert_eq!(
        steps(&plan.json(), "delete"),
        ["s3://feeds/podcast/old-episode/show-notes.html"]
    );
    assert_eq!(
        sorted(steps(&plan.json(), "keep")),
        [
            "s3://media/podcast/old-episode/audio.mp3",
            "s3://media/podcast/old-episode/cover.jpg",
            "s3://media/podcast/welcome-to-mentalspace/old-video.mp4",
        ]
    );
    deploy(&show, &["--prune"]).expect_code(0);
    assert_eq!(
        head(&format!(
            "{}/feeds/podcast/old-episode/show-notes.html",
            moto.url()
        ))
        .status()
        .as_u16(),
        404
    );
    assert_eq!(
        head(&format!(
            "{}/media/podcast/old-episode/audio.mp3",
            moto.url()
        ))
        .status()
        .as_u16(),
        200
    );
    // With --allow-removal, media of episodes the lock does not list goes too;
    // what lies in a listed episode's folder stays.
    let run = deploy(&show, &["--prune", "--allow-removal"]);
    run.expect_code(0);
    for (key, status) in [
        ("old-episode/audio.mp3", 404),
        ("old-episode/cover.jpg", 404),
        ("welcome-to-mentalspace/old-video.mp4", 200),
    ] {
        assert_eq!(
            head(&format!("{}/media/podcast/{key}", moto.url()))
                .status()
                .as_u16(),
            status,
            "{key}"
        );
    }
    assert_eq!(
        head(&format!(
            "{}/media/podcast/welcome-to-mentalspace/audio.mp3",
            moto.url()
        ))
        .status()
        .as_u16(),
        200
    );
}

#[test]
fn notifications_go_out_after_a_verified_deploy() {
    let Some(moto) = Moto::start() else { return };
    let hub = Server::start(Box::new(|r| {
        if r.path.starts_with("/broken") {
            respond("503 Service Unavailable", &[], b"hub is down")
        } else if r.path.starts_with("/podping") {
            respond("200 OK", &[], b"Success!")
        } else {
            respond("204 No Content", &[], b"")
        }
    }));
    let table = format!(
        "\n[notify]\nhubs = [\"{0}/hub\", \"{0}/broken\"]\npodping = true\npodping_url = \"{0}/podping\"\npodcastindex = true\npodcastindex_url = \"{0}/pubnotify\"\ntimeout = 5",
        hub.url()
    );
    let show = s3_show(&moto, &moto.url(), &table);
    // publish announced the hub and podping in the feed.
    let feed = show.read("feeds/podcast.xml");
    assert!(
        feed.contains(&format!(
            "<atom:link href=\"{}/hub\" rel=\"hub\"/>",
            hub.url()
        )),
        "{feed}"
    );
    assert!(feed.contains("<podcast:podping usesPodping=\"true\"/>"));

    let run = deploy_env(&show, &[], &[("PODPING_TOKEN", "secret-token")]);
    run.expect_code(0)
        .stderr_has("/broken: HTTP 503 Service Unavailable: hub is down");
    let feed_url = format!("{}/feeds/podcast/podcast.xml", moto.url());
    let seen = hub.requests();
    let websub = seen.iter().find(|r| r.path == "/hub").expect("WebSub ping");
    assert_eq!(websub.method, "POST");
    let form: BTreeMap<String, String> = url::form_urlencoded::parse(&websub.body)
        .into_owned()
        .collect();
    assert_eq!(form.get("hub.mode").map(String::as_str), Some("publish"));
    assert_eq!(form.get("hub.url"), Some(&feed_url));
    let podping = seen
        .iter()
        .find(|r| r.path.starts_with("/podping"))
        .expect("podping");
    assert_eq!(
        podping.headers.get("authorization").map(String::as_str),
        Some("secret-token")
    );
    assert!(podping.path.contains("reason=update") && podping.path.contains("medium=podcast"));
    assert!(
        seen.iter()
            .any(|r| r.path.starts_with("/pubnotify?url=http"))
    );
    let report = run.json();
    let ok: Vec<bool> = report["notified"]
        .as_array()
        .expect("notified")
        .iter()
        .map(|n| n["ok"] == true)
        .collect();
    assert_eq!(ok, [true, false, true, true]);

    // Nothing changed: nobody is told again.
    let count = hub.requests().len();
    deploy_env(&show, &[], &[("PODPING_TOKEN", "secret-token")]).expect_code(0);
    assert_eq!(hub.requests().len(), count);
}

// ------------------------------------------- local folder and verify (no moto)

fn file_url(p: &Path) -> String {
    format!("file://{}/", p.display())
}

#[test]
fn a_file_target_gets_the_same_files_and_is_skipped_when_current() {
    let site = tempfile::tempdir().expect("temp dir");
    let table = format!(
        "[deploy]\nfeed = \"{}\"\nmedia = \"{}\"",
        file_url(&site.path().join("podcast")),
        file_url(&site.path().join("media"))
    );
    let show = sample_show(
        "https://example.org/podcast/",
        "https://media.example.org/podcast/",
        &table,
    );
    let run = deploy(&show, &["--no-verify"]);
    run.expect_code(0);
    let (feed_dir, media_dir) = (site.path().join("podcast"), site.path().join("media"));
    let all = expected(
        &show,
        (
            "https://example.org/podcast/",
            &format!("file://{}/", feed_dir.display()),
        ),
        (
            "https://media.example.org/podcast/",
            &format!("file://{}/", media_dir.display()),
        ),
    );
    assert_eq!(
        sorted(steps(&run.json(), "upload")),
        sorted(all.values().cloned().collect())
    );
    // Every file the feed links to is in the folder that serves its URL.
    for link in feed_links(&show.read("feeds/podcast.xml")) {
        let local = match link.url.strip_prefix("https://media.example.org/podcast/") {
            Some(rel) => media_dir.join(rel),
            None => feed_dir.join(
                link.url
                    .strip_prefix("https://example.org/podcast/")
                    .expect("under the feed's folder"),
            ),
        };
        let bytes = std::fs::metadata(&local)
            .unwrap_or_else(|e| panic!("{} {}: {}: {e}", link.tag, link.url, local.display()))
            .len();
        if let Some(length) = link.length {
            assert_eq!(bytes, length, "{}", link.url);
        }
    }
    assert_eq!(
        std::fs::read(site.path().join("media/relationship-as-medicine/audio.mp3")).expect("audio"),
        std::fs::read(show.file("episodes/relationship-as-medicine/audio.mp3")).expect("audio")
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("podcast/podcast.xml")).expect("feed"),
        show.read("feeds/podcast.xml")
    );
    assert!(site.path().join("media/cover.jpg").is_file());

    let again = deploy(&show, &["--no-verify"]);
    again.expect_code(0);
    assert_eq!(steps(&again.json(), "upload"), Vec::<String>::new());

    // --prune removes what is no longer published from the folder too.
    let stale = site.path().join("podcast/old-episode/show-notes.html");
    std::fs::create_dir_all(stale.parent().expect("parent")).expect("mkdir");
    std::fs::write(&stale, "old").expect("write");
    deploy(&show, &["--no-verify", "--prune"]).expect_code(0);
    assert!(!stale.exists());
    assert!(site.path().join("podcast/podcast.xml").is_file());

    // Run with the root named another way (its absolute path, from elsewhere), deploy
    // finds the same published files: nothing to upload, nothing pruned (it once
    // planned to delete every file, the feed included).
    let root = show.path().to_str().expect("a UTF-8 temp path");
    let args = [
        "deploy",
        "--format",
        "json",
        "--no-verify",
        "--prune",
        "--root",
        root,
    ];
    let elsewhere = mspod_env(Path::new("/"), &args, &ENV);
    elsewhere.expect_code(0);
    assert_eq!(steps(&elsewhere.json(), "upload"), Vec::<String>::new());
    assert_eq!(steps(&elsewhere.json(), "delete"), Vec::<String>::new());
    assert!(site.path().join("podcast/podcast.xml").is_file());
}

#[test]
fn media_served_from_elsewhere_is_not_uploaded_and_a_link_nothing_serves_is_a_warning() {
    let site = tempfile::tempdir().expect("temp dir");
    let table = format!(
        "[deploy]\nfeed = \"{}\"\nmedia = \"{}\"",
        file_url(&site.path().join("podcast")),
        file_url(&site.path().join("media"))
    );
    let show = sample_show(
        "https://example.org/podcast/",
        "https://media.example.org/podcast/",
        &table,
    );
    // The video lives on another host; the cover is said to be at a URL no file maps to.
    show.edit("episodes/first-therapy-session/episode.toml", |t| {
        format!("{t}video_url = \"https://videos.example.net/first.mp4\"\n")
    })
    .set(
        "mspod.toml",
        "media_base_url",
        "media_base_url = \"https://media.example.org/podcast/\"\nimage_url = \"https://media.example.org/podcast/art/cover-3000.jpg\"",
    );
    show.publish(&[]).expect_code(0);
    let run = deploy(&show, &["--dry-run"]);
    run.expect_code(0)
        .stderr_has("episode.toml: ")
        .stderr_has("video.mp4 is served from https://videos.example.net/first.mp4, outside media_base_url; deploy does not upload it")
        .stderr_has("the feed's podcast:image https://media.example.org/podcast/art/cover-3000.jpg is under a deploy target but no published or content file is deployed there");
    let planned = steps(&run.json(), "upload");
    assert!(
        !planned
            .iter()
            .any(|l| l.ends_with("/video.mp4") || l.ends_with("media/cover.jpg")),
        "{planned:#?}"
    );
    assert!(
        planned
            .iter()
            .any(|l| l.ends_with("media/relationship-as-medicine/cover.jpg")),
        "episode artwork still goes: {planned:#?}"
    );
}

#[test]
fn verify_reports_a_wrong_content_type_and_a_stale_feed() {
    // A "CDN" that still serves yesterday's feed and serves audio as octet-stream.
    let site = tempfile::tempdir().expect("temp dir");
    let media_dir = site.path().join("media");
    let media_root = media_dir.clone();
    let cdn = Server::start(Box::new(move |r| {
        if r.path.ends_with("podcast.xml") {
            return respond(
                "200 OK",
                &[("content-type", "application/rss+xml")],
                b"<rss>yesterday</rss>",
            );
        }
        let rel = r.path.trim_start_matches("/media/");
        let Ok(bytes) = std::fs::read(media_root.join(rel)) else {
            return respond("404 Not Found", &[], b"");
        };
        let total = bytes.len().to_string();
        if r.method == "HEAD" {
            let mut answer = respond(
                "200 OK",
                &[
                    ("content-type", "application/octet-stream"),
                    ("content-length", &total),
                ],
                b"",
            );
            answer.truncate(answer.len());
            return answer;
        }
        if r.headers.contains_key("range") {
            let range = format!("bytes 0-1/{total}");
            return respond(
                "206 Partial Content",
                &[
                    ("content-type", "application/octet-stream"),
                    ("content-range", &range),
                ],
                &bytes[..2],
            );
        }
        respond(
            "200 OK",
            &[("content-type", "application/octet-stream")],
            &bytes,
        )
    }));
    let hub = Server::start(Box::new(|_| respond("204 No Content", &[], b"")));
    let table = format!(
        "[deploy]\nfeed = \"{}\"\nmedia = \"{}\"\n\n[notify]\nhubs = [\"{}/hub\"]",
        file_url(&site.path().join("podcast")),
        file_url(&media_dir),
        hub.url()
    );
    let show = sample_show(
        &format!("{}/podcast/", cdn.url()),
        &format!("{}/media/", cdn.url()),
        &table,
    );
    let run = deploy(&show, &[]);
    run.expect_code(0);
    let feed_url = format!("{}/podcast/podcast.xml", cdn.url());
    run.stderr_has(&format!("verify: {feed_url}: serves a different feed than was uploaded"))
        .stderr_has(&format!(
            "verify: {}/media/welcome-to-mentalspace/audio.mp3: Content-Type is `application/octet-stream`, the feed says `audio/mpeg`",
            cdn.url()
        ))
        .stderr_has("notify: skipped");
    run.stderr_has(&format!(
        "verify: {}/media/first-therapy-session/video.mp4: Content-Type is `application/octet-stream`, the feed says `video/mp4`",
        cdn.url()
    ));
    run.stderr_has(&format!(
        "verify: {}/media/grounding-techniques-for-panic/artwork.png: Content-Type is `application/octet-stream`, the feed says `image/png`",
        cdn.url()
    ));
    let report = run.json();
    // Every audio, video and artwork file apps download is checked, and the feed.
    let links = feed_links(&show.read("feeds/podcast.xml"));
    let of = |tags: &[&str]| -> BTreeSet<String> {
        links
            .iter()
            .filter(|l| tags.contains(&l.tag))
            .map(|l| l.url.clone())
            .collect()
    };
    let media = of(&["enclosure", "podcast:source"]);
    let art = of(&["itunes:image", "podcast:image"]);
    assert_eq!(media.len(), 5, "4 enclosures and a video: {media:#?}");
    assert_eq!(art.len(), 3, "the cover and 2 episodes' artwork: {art:#?}");
    assert_eq!(
        report["verify_warnings"].as_array().map(Vec::len),
        Some(1 + media.len() + art.len()),
        "{}",
        run.stdout
    );
    assert!(
        hub.requests().is_empty(),
        "no notification for an unverified feed"
    );
}

#[test]
fn deploy_without_a_deploy_table_says_what_to_add() {
    let show = sample_show(
        "https://example.org/podcast/",
        "https://media.example.org/podcast/",
        "",
    );
    deploy(&show, &[])
        .expect_code(2)
        .stderr_has("no [deploy] table");
    show.edit("mspod.toml", |t| {
        format!("{t}\n[deploy]\nfeed = \"ftp://x/\"\nmedia = \"s3://m/\"\n")
    });
    deploy(&show, &[])
        .expect_code(1)
        .stderr_has("[deploy] `feed`: `ftp://x/`: unsupported scheme `ftp:`");
}

#[test]
fn a_feed_written_by_someone_else_meanwhile_is_not_overwritten() {
    let Some(moto) = Moto::start() else { return };
    // While armed, "another deploy" writes the feed right after this one compared it.
    let upstream = moto.port;
    let armed = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let trigger = armed.clone();
    let proxy = Server::start(Box::new(move |r| {
        let answer = forward(upstream, r);
        // Deploy compares through a listing of the bucket (or a HEAD of the feed).
        let compared = (r.method == "GET" && r.path.starts_with("/feeds?"))
            || (r.method == "HEAD" && r.path == "/feeds/podcast/podcast.xml");
        if compared && trigger.load(std::sync::atomic::Ordering::SeqCst) {
            let status = client()
                .put(format!(
                    "http://127.0.0.1:{upstream}/feeds/podcast/podcast.xml"
                ))
                .body("<rss>another deploy</rss>")
                .send()
                .expect("concurrent PUT")
                .status();
            assert!(status.is_success());
        }
        answer
    }));
    let feed = format!("{}/feeds/podcast/podcast.xml", moto.url());
    let served = || {
        client()
            .get(&feed)
            .send()
            .and_then(|r| r.text())
            .expect("GET feed")
    };
    let show = s3_show(&moto, &proxy.url(), "");
    let conflict =
        "s3://feeds/podcast/podcast.xml: changed on the server after this deploy compared it";

    // A new feed is written only if still absent (If-None-Match).
    deploy(&show, &[]).expect_code(2).stderr_has(conflict);
    assert_eq!(served(), "<rss>another deploy</rss>");

    armed.store(false, std::sync::atomic::Ordering::SeqCst);
    deploy(&show, &[]).expect_code(0);
    assert_eq!(served(), show.read("feeds/podcast.xml"));

    // An existing feed is replaced only if it is still the copy compared (If-Match).
    show.edit("episodes/welcome-to-mentalspace/article.md", |t| {
        t.replace("is available 24/7", "is available day and night")
    });
    show.publish(&[]).expect_code(0);
    armed.store(true, std::sync::atomic::Ordering::SeqCst);
    deploy(&show, &[]).expect_code(2).stderr_has(conflict);
    assert_eq!(served(), "<rss>another deploy</rss>");
}

#[test]
fn a_server_without_conditional_writes_still_gets_the_feed() {
    let Some(moto) = Moto::start() else { return };
    let upstream = moto.port;
    // Like some S3-compatible services: conditional PUTs are not implemented.
    let proxy = Server::start(Box::new(move |r| {
        if r.method == "PUT"
            && (r.headers.contains_key("if-none-match") || r.headers.contains_key("if-match"))
        {
            return respond(
                "501 Not Implemented",
                &[],
                b"<Error><Code>NotImplemented</Code></Error>",
            );
        }
        forward(upstream, r)
    }));
    let show = s3_show(&moto, &proxy.url(), "");
    deploy(&show, &[]).expect_code(0);
    let served = client()
        .get(format!("{}/feeds/podcast/podcast.xml", moto.url()))
        .send()
        .and_then(|r| r.text())
        .expect("GET feed");
    assert_eq!(served, show.read("feeds/podcast.xml"));
    assert!(
        proxy
            .requests()
            .iter()
            .any(|r| r.headers.contains_key("if-none-match")),
        "the guarded PUT was tried first"
    );
}
