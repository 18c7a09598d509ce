//! `mspod validate --links`: every link in the published notes resolves and every
//! `#fragment` exists on its page, checked against a loopback server started here
//! (no outside network). Also: publish names a video by the title `mspod pair` cached.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Show, mspod, repo};

/// What the test server answers for one path.
#[derive(Clone)]
enum Route {
    Html(String),
    Json(String),
    /// 302 to this path.
    Redirect(&'static str),
    /// 405 to HEAD, the page to GET (some CDNs do this).
    NoHead(String),
    /// The page, after a pause (to see how many requests overlap).
    Slow(u64),
}

/// The requests the server saw ("HEAD /a", "GET /b"), and the most in flight at once.
#[derive(Default)]
struct Log {
    requests: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Log {
    fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("log").clone()
    }
    fn count(&self, request: &str) -> usize {
        self.requests().iter().filter(|r| *r == request).count()
    }
}

/// Serves `routes` on 127.0.0.1 (unknown paths: 404); returns the base URL and the log.
fn serve(routes: Vec<(&'static str, Route)>) -> (String, Arc<Log>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let log = Arc::new(Log::default());
    let server_log = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            let log = server_log.clone();
            std::thread::spawn(move || handle(stream, &routes, &log));
        }
    });
    (format!("http://{addr}"), log)
}

fn handle(mut stream: TcpStream, routes: &[(&'static str, Route)], log: &Log) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    log.requests
        .lock()
        .expect("log")
        .push(format!("{method} {path}"));
    let now = log.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    log.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let route = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, r)| r.clone());
    let page = |ctype: &str, body: &str| {
        (
            200,
            vec![format!("Content-Type: {ctype}")],
            body.to_string(),
        )
    };
    let (status, headers, body) = match route {
        None => (404, vec![], "not here".to_string()),
        Some(Route::Html(b)) => page("text/html; charset=utf-8", &b),
        Some(Route::Json(b)) => page("application/json", &b),
        Some(Route::Redirect(to)) => (302, vec![format!("Location: {to}")], String::new()),
        Some(Route::NoHead(_)) if method == "HEAD" => (405, vec![], String::new()),
        Some(Route::NoHead(b)) => page("text/html", &b),
        Some(Route::Slow(ms)) => {
            std::thread::sleep(Duration::from_millis(ms));
            page("text/html", "<p>slow</p>")
        }
    };
    let reason = match status {
        200 => "OK",
        302 => "Found",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(&h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    // Done before the answer leaves: once the client has it, it may send its next
    // request at once, which must not count as overlapping this one.
    log.in_flight.fetch_sub(1, Ordering::SeqCst);
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(body.as_bytes());
    }
}

/// A one-item feed whose description links `notes` (the show-notes page) and `extra`.
fn feed(notes: &str, chapters: Option<&str>, extra: &str) -> String {
    let chapters = chapters
        .map(|c| format!(r#"<podcast:chapters url="{c}" type="application/json+chapters"/>"#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Links</title>
    <link>https://example.org/</link>
    <description>A show.</description>
    <language>en</language>
    <atom:link rel="self" href="https://example.org/podcast.xml" type="application/rss+xml"/>
    <itunes:image href="https://example.org/cover.jpg"/>
    <itunes:category text="Health &amp; Fitness"/>
    <itunes:explicit>false</itunes:explicit>
    <itunes:author>Links</itunes:author>
    <itunes:owner><itunes:name>Links</itunes:name><itunes:email>links@example.org</itunes:email></itunes:owner>
    <item>
      <title>Episode one</title>
      <guid isPermaLink="false">ep-1</guid>
      <pubDate>Wed, 20 May 2026 13:00:00 +0000</pubDate>
      <itunes:duration>60</itunes:duration>
      <enclosure url="https://media.example.org/ep1.mp3" length="1000" type="audio/mpeg"/>
      <description><![CDATA[<p>Show notes: <a href="{notes}">{notes}</a></p><p>{extra}</p>]]></description>
      {chapters}
    </item>
  </channel>
</rss>
"#
    )
}

/// (rule, message) of each diagnostic of the only feed in a `--format json` report.
fn diagnostics(json: &serde_json::Value) -> Vec<(String, String)> {
    json["feeds"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with("links/")))
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn has(diags: &[(String, String)], rule: &str, needles: &[&str]) -> bool {
    diags
        .iter()
        .any(|(r, m)| r == rule && needles.iter().all(|n| m.contains(n)))
}

#[test]
fn broken_links_and_missing_fragments_are_reported_with_the_page_they_are_on() {
    let article = r#"<h1>Article</h1><h2 id="intro">Intro</h2><a name="old-anchor"></a>"#;
    let notes = r##"<main><h2 id="faq">FAQ</h2>
        <a href="/article">the article</a> <a href="/article#intro">intro</a>
        <a href="/article#missing">a made-up anchor</a> <a href="/article#old-anchor">old style</a>
        <a href="/gone">rotted reference</a> <a href="/moved#intro">moved page</a>
        <a href="/moved#nowhere">moved, bad anchor</a> <a href="/no-head">HEAD refused</a>
        <a href="#faq">this page</a> <a href="#not-on-this-page">this page, bad</a>
        <a href="/audio.mp3#t=15">seek</a> <a href="tel:988">988</a></main>"##;
    let (base, log) = serve(vec![
        ("/show/ep1/show-notes.html", Route::Html(notes.into())),
        (
            "/show/ep1/chapters.json",
            Route::Json(
                r#"{"version":"1.2.0","chapters":[{"startTime":0,"url":"/article#intro"},{"startTime":5,"url":"/chapter-gone"}]}"#
                    .into(),
            ),
        ),
        ("/article", Route::Html(article.into())),
        ("/moved", Route::Redirect("/article")),
        ("/no-head", Route::NoHead("<p>fine</p>".into())),
        ("/audio.mp3", Route::NoHead(String::new())),
    ]);
    let show = Show::empty();
    let notes_url = format!("{base}/show/ep1/show-notes.html");
    show.write(
        "podcast.xml",
        &feed(
            &notes_url,
            Some(&format!("{base}/show/ep1/chapters.json")),
            &format!(r#"<a href="{base}/gone-from-the-feed">a link in the feed</a>"#),
        ),
    );

    // Without --links nothing is requested.
    mspod(show.path(), &["validate", "podcast.xml"]);
    assert!(log.requests().is_empty(), "{:?}", log.requests());

    let run = mspod(
        show.path(),
        &["validate", "--links", "--format", "json", "podcast.xml"],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let d = diagnostics(&run.json());
    let on_notes = format!("(on {notes_url})");
    assert!(
        has(&d, "links/broken", &["/gone ", &on_notes, "404"]),
        "{d:?}"
    );
    assert!(
        has(
            &d,
            "links/broken",
            &["/chapter-gone", "chapters.json", "404"]
        ),
        "{d:?}"
    );
    assert!(
        has(
            &d,
            "links/broken",
            &["/gone-from-the-feed", "podcast.xml, item ep-1"]
        ),
        "{d:?}"
    );
    assert!(
        has(
            &d,
            "links/fragment",
            &["/article#missing", &on_notes, "\"missing\""]
        ),
        "{d:?}"
    );
    // A redirect is followed, and the fragment looked up on the page it lands on.
    assert!(has(&d, "links/fragment", &["/moved#nowhere"]), "{d:?}");
    assert!(
        has(&d, "links/fragment", &["show-notes.html#not-on-this-page"]),
        "{d:?}"
    );
    assert_eq!(d.len(), 6, "nothing else is reported: {d:?}");
    // JSON names the page a link is on (absent for links in the feed itself).
    let pages: Vec<serde_json::Value> = run.json()["feeds"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "links/broken")
        .map(|d| d["page"].clone())
        .collect();
    assert!(pages.contains(&serde_json::json!(notes_url)), "{pages:?}");
    assert!(pages.contains(&serde_json::Value::Null), "{pages:?}");

    // Each URL once, HEAD when only reachability matters, GET for fragments.
    // /article: once for its own links, once more at the end of /moved's redirect.
    assert_eq!(log.count("GET /article"), 2, "{:?}", log.requests());
    assert_eq!(log.count("GET /moved"), 1, "{:?}", log.requests());
    assert_eq!(log.count("HEAD /article"), 0, "{:?}", log.requests());
    assert_eq!(log.count("HEAD /gone"), 1, "{:?}", log.requests());
    assert_eq!(log.count("GET /gone"), 0, "404 to HEAD is a verdict");
    assert_eq!(log.count("HEAD /no-head"), 1);
    assert_eq!(log.count("GET /no-head"), 1, "HEAD refused: GET instead");
    assert_eq!(
        log.count("GET /show/ep1/show-notes.html"),
        1,
        "{:?}",
        log.requests()
    );
}

#[test]
fn github_and_text_formats_carry_the_rule_and_the_page() {
    let (base, _log) = serve(vec![(
        "/n/ep/show-notes.html",
        Route::Html(r#"<a href="/dead">dead</a>"#.into()),
    )]);
    let show = Show::empty();
    show.write(
        "podcast.xml",
        &feed(&format!("{base}/n/ep/show-notes.html"), None, ""),
    );
    let gh = mspod(
        show.path(),
        &["validate", "--links", "--format", "github", "podcast.xml"],
    );
    assert_eq!(gh.code, 1, "{}", gh.stderr);
    assert!(
        gh.stdout
            .contains("::error file=podcast.xml,line=14,col=5,title=links/broken::"),
        "{}",
        gh.stdout
    );
    assert!(gh.stdout.contains("/dead (on "), "{}", gh.stdout);
    let text = mspod(show.path(), &["validate", "--links", "podcast.xml"]);
    assert!(
        text.stdout.contains("error [links/broken]"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("HTTP 404 Not Found"),
        "{}",
        text.stdout
    );
}

#[test]
fn pages_published_beside_a_local_feed_are_read_from_disk() {
    let (base, log) = serve(vec![(
        "/article",
        Route::Html(r#"<h2 id="s1">S1</h2>"#.into()),
    )]);
    let show = Show::empty();
    // The public address is unreachable on purpose: the notes must come from disk.
    let public = "http://127.0.0.1:9/podcast";
    show.write(
        "feeds/podcast.xml",
        &feed(
            &format!("{public}/ep1/show-notes.html"),
            Some(&format!("{public}/ep1/chapters.json")),
            "",
        ),
    );
    show.write(
        "feeds/ep1/show-notes.html",
        &format!(
            r##"<h2 id="faq">FAQ</h2><a href="{base}/article#s1">ok</a> <a href="{base}/article#s9">bad</a>
            <a href="#faq">here</a> <a href="{public}/ep1/show-notes.html#gone">here, bad</a>
            <a href="{public}/">the show page</a>"##
        ),
    );
    show.write("feeds/ep1/chapters.json", r#"{"version":"1.2.0","chapters":[{"startTime":0,"url":"http://127.0.0.1:9/podcast/ep1/show-notes.html#faq"}]}"#);
    show.write("feeds/index.html", "<h1>Show</h1>");
    let run = mspod(
        show.path(),
        &[
            "validate",
            "--links",
            "--format",
            "json",
            "feeds/podcast.xml",
        ],
    );
    let d = diagnostics(&run.json());
    let local = format!(
        "(on {})",
        std::path::Path::new("feeds")
            .join("ep1")
            .join("show-notes.html")
            .display()
    );
    assert!(has(&d, "links/fragment", &["/article#s9", &local]), "{d:?}");
    assert!(
        has(&d, "links/fragment", &["show-notes.html#gone", &local]),
        "{d:?}"
    );
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(run.code, 0, "fragments are warnings: {}", run.stdout);
    assert_eq!(log.requests(), vec!["GET /article".to_string()]);
    let strict = mspod(
        show.path(),
        &["validate", "--links", "--strict", "feeds/podcast.xml"],
    );
    assert_eq!(strict.code, 1, "{}", strict.stdout);
}

#[test]
fn requests_to_one_host_are_limited_and_each_url_fetched_once() {
    let paths: Vec<&'static str> = (0..8)
        .map(|i| &*Box::leak(format!("/slow{i}").into_boxed_str()))
        .collect();
    let mut routes: Vec<(&'static str, Route)> =
        paths.iter().map(|p| (*p, Route::Slow(150))).collect();
    let links: String = paths
        .iter()
        .flat_map(|p| {
            [
                format!(r#"<a href="{p}">x</a>"#),
                format!(r#"<a href="{p}">again</a>"#),
            ]
        })
        .collect();
    routes.push(("/n/ep/show-notes.html", Route::Html(links)));
    let (base, log) = serve(routes);
    let show = Show::empty();
    show.write(
        "podcast.xml",
        &feed(&format!("{base}/n/ep/show-notes.html"), None, ""),
    );
    let run = mspod(show.path(), &["validate", "--links", "podcast.xml"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for p in &paths {
        assert_eq!(log.count(&format!("HEAD {p}")), 1, "{:?}", log.requests());
    }
    let max = log.max_in_flight.load(Ordering::SeqCst);
    // Overlapping (4 workers), but never more than 2 on the one host.
    assert_eq!(max, 2, "requests in flight to one host at once");
}

#[test]
fn a_host_that_does_not_answer_is_tried_once_not_once_per_link() {
    let links: String = (0..6)
        .map(|i| format!(r#"<a href="http://127.0.0.1:9/ref{i}">x</a>"#))
        .collect();
    let (base, _log) = serve(vec![("/n/ep/show-notes.html", Route::Html(links))]);
    let show = Show::empty();
    show.write(
        "podcast.xml",
        &feed(&format!("{base}/n/ep/show-notes.html"), None, ""),
    );
    let run = mspod(
        show.path(),
        &["validate", "--links", "--format", "json", "podcast.xml"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = diagnostics(&run.json());
    assert_eq!(d.len(), 6, "every link is reported: {d:?}");
    let tried = d
        .iter()
        .filter(|(_, m)| m.contains("could not connect") && !m.contains("not requested"))
        .count();
    let not_tried = d
        .iter()
        .filter(|(_, m)| m.contains("not requested: the host did not answer"))
        .count();
    // At most 2 in flight to the host, so at most 2 are tried before it is known dead.
    assert!((1..=2).contains(&tried), "{d:?}");
    assert_eq!(tried + not_tried, 6, "{d:?}");
}

#[test]
fn the_rules_list_names_the_link_rules() {
    let run = mspod(&repo(), &["validate", "--rules"]);
    assert!(run.stdout.contains("links/broken"), "{}", run.stdout);
    assert!(run.stdout.contains("links/fragment"), "{}", run.stdout);
    assert!(run.stdout.contains("(--links)"), "{}", run.stdout);
}

// Publish and the YouTube cache (issue 9): titles `mspod pair` cached, read offline.

fn sample() -> Show {
    Show::sample_unpublished()
}

#[test]
fn publish_names_the_video_by_its_cached_youtube_title_and_never_asks_youtube() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    let page = "feeds/first-therapy-session/show-notes.html";
    let before = show.read(page);
    let episode_title = "What to Expect in Your First Therapy Session";
    assert!(before.contains(&format!("<span class=\"title\">{episode_title}</span>")));

    // What `mspod pair` leaves behind after asking oEmbed about the episode's video.
    show.write(
        ".mspod/youtube/oembed/Ft2sVx0hJkM.json",
        r#"{"id":"Ft2sVx0hJkM","status":"ok","title":"Your First Therapy Session <explained> | MentalSpace","author_name":"MentalSpace","thumbnail_url":null}"#,
    );
    // The oEmbed endpoint is a closed port (tests/support): any request would fail.
    show.publish(&[]).expect_code(0);
    let after = show.read(page);
    assert!(
        after.contains("<span class=\"title\">Your First Therapy Session &lt;explained&gt; | MentalSpace</span>"),
        "the video's own title, escaped"
    );
    let ld_start = after.find("\"VideoObject\"").expect("VideoObject");
    let video_ld = &after[ld_start..ld_start + after[ld_start..].find('}').expect("end")];
    assert!(
        video_ld
            .contains(r#""name":"Your First Therapy Session \u003cexplained\u003e | MentalSpace""#),
        "{video_ld}"
    );
    // The episode keeps its own name (the PodcastEpisode in JSON-LD, the heading).
    assert_eq!(
        before.matches(episode_title).count() - 3,
        after.matches(episode_title).count(),
        "only the placeholder's title, its data-title and the VideoObject's name changed"
    );

    // A channel feed cached by `pair` also names videos; oEmbed wins when both do.
    show.write(
        ".mspod/youtube/feeds/0000.xml",
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:yt="http://www.youtube.com/xml/schemas/2015"><entry><yt:videoId>Gp4nT8wLqZc</yt:videoId><title>Grounding for Panic (channel title)</title><published>2026-05-13T13:00:00+00:00</published></entry></feed>"#,
    );
    show.publish(&[]).expect_code(0);
    assert!(
        show.read("feeds/grounding-techniques-for-panic/show-notes.html")
            .contains("<span class=\"title\">Grounding for Panic (channel title)</span>")
    );

    // No cache, no change: exactly the committed pages.
    std::fs::remove_dir_all(show.file(".mspod/youtube")).expect("rm cache");
    show.publish(&[]).expect_code(0);
    assert_eq!(show.read(page), before);
}
