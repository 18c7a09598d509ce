//! `mspod pair` and `mspod new`, driven through the real binary, plus the
//! YouTube fetchers against a loopback server started by each test.
//!
//! The fresh content folder holds only articles, audio files and a channel
//! feed file: the sample show's four articles and MP3s under new names, and
//! the decoys in `tests/fixtures/pair/` (a similar title with no audio, a
//! teaser audio file, a same-day upload with no article, a video matched
//! only by title and date). Nothing here uses the network beyond 127.0.0.1.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod support;

use support::{Run, mspod, mspod_env, repo};

fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/pair").join(rel)
}

/// Source (in the sample show) → name in the fresh folder.
const ARTICLES: &[(&str, &str)] = &[
    (
        "first-therapy-session/article.html",
        "first-therapy-session.html",
    ),
    (
        "grounding-techniques-for-panic/article.md",
        "grounding-techniques-for-panic.md",
    ),
    (
        "relationship-as-medicine/article.html",
        "relationship-as-medicine.html",
    ),
    (
        "welcome-to-mentalspace/article.md",
        "welcome-to-mentalspace.md",
    ),
];
const AUDIO: &[(&str, &str)] = &[
    (
        "first-therapy-session/audio.mp3",
        "2026-05-20-first-therapy-session.mp3",
    ),
    (
        "grounding-techniques-for-panic/audio.mp3",
        "ep03-grounding-techniques-for-panic.mp3",
    ),
    // Decoy: the same recording's teaser (same ID3 title, a longer name).
    (
        "grounding-techniques-for-panic/audio.mp3",
        "2026-05-13-grounding-techniques-for-panic-teaser.mp3",
    ),
    (
        "relationship-as-medicine/audio.mp3",
        "relationship-as-medicine.mp3",
    ),
    (
        "welcome-to-mentalspace/audio.mp3",
        "welcome-to-mentalspace.mp3",
    ),
];

/// A fresh content folder: mspod.toml and its cover, articles/, audio/, channel.xml. No episodes.
fn fresh() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let copy = |from: PathBuf, to: &str| {
        let to = root.join(to);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    };
    copy(repo().join("mspod.toml"), "mspod.toml");
    copy(repo().join("episodes/cover.jpg"), "episodes/cover.jpg");
    for (from, to) in ARTICLES {
        copy(
            repo().join("episodes").join(from),
            &format!("articles/{to}"),
        );
    }
    copy(
        fixture("articles/grounding-techniques-for-sleep.md"),
        "articles/grounding-techniques-for-sleep.md",
    );
    for (from, to) in AUDIO {
        copy(repo().join("episodes").join(from), &format!("audio/{to}"));
    }
    copy(fixture("channel.xml"), "channel.xml");
    dir
}

const PAIR: &[&str] = &[
    "pair",
    "--articles",
    "articles",
    "--audio",
    "audio",
    "--videos",
    "channel.xml",
];

fn pair(root: &Path, extra: &[&str]) -> Run {
    let mut args = PAIR.to_vec();
    args.extend_from_slice(extra);
    mspod(root, &args)
}

fn slugs(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|x| x[key].as_str().unwrap_or("-").to_string())
        .collect()
}

#[test]
fn a_fresh_folder_pairs_with_evidence_and_lists_the_close_calls() {
    let show = fresh();
    let run = pair(show.path(), &["--dry-run", "--format", "json"]);
    run.expect_code(1);
    let plan = run.json();
    let pairs = &plan["pairs"];
    assert_eq!(
        slugs(pairs, "slug"),
        [
            "first-therapy-session",
            "grounding-techniques-for-panic",
            "relationship-as-medicine",
            "welcome-to-mentalspace"
        ]
    );
    assert_eq!(
        slugs(pairs, "audio"),
        [
            "audio/2026-05-20-first-therapy-session.mp3",
            "audio/ep03-grounding-techniques-for-panic.mp3",
            "audio/relationship-as-medicine.mp3",
            "audio/welcome-to-mentalspace.mp3",
        ]
    );
    assert_eq!(
        slugs(pairs, "video"),
        ["Ft2sVx0hJkM", "Gp4nT8wLqZc", "Rm7aQ2xK9sE", "-"]
    );
    assert_eq!(pairs[0]["article"], "articles/first-therapy-session.html");
    let keys: Vec<&String> = pairs[0].as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        ["article", "audio", "evidence", "score", "slug", "video"]
    );

    // Evidence, strongest first, per link.
    let evidence = |i: usize| -> Vec<String> {
        pairs[i]["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .map(|e| e.as_str().unwrap_or("").to_string())
            .collect()
    };
    let first = evidence(0);
    assert_eq!(first[0], "audio: file name equals the slug (+4.0)");
    assert!(
        first[1].starts_with("audio: ID3 title shares 5 word(s) with the article"),
        "{first:?}"
    );
    assert_eq!(first[2], "audio: dates 0 day(s) apart (+2.0)");
    assert!(
        first.contains(&"video: article embeds or links video Ft2sVx0hJkM".to_string()),
        "{first:?}"
    );
    assert!(evidence(1).contains(&"video: video description links the article URL".to_string()));
    // Only an explicit link scores 1; the pair is as sure as its weaker link.
    assert_eq!(pairs[0]["score"], 0.999);

    // The welcome video agrees only by one title word and the date: proposed, not accepted.
    let ambiguous = plan["ambiguous"].as_array().expect("ambiguous");
    assert_eq!(ambiguous.len(), 1, "{ambiguous:#?}");
    assert_eq!(ambiguous[0]["slug"], "welcome-to-mentalspace");
    assert_eq!(ambiguous[0]["kind"], "video");
    assert!(
        ambiguous[0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("below 0.90")
    );
    assert_eq!(ambiguous[0]["candidates"][0]["video"], "Wt9cLm3pRqA");

    // Decoys: an article without audio, a teaser without article, a same-day
    // upload without article, a Short with the grounding article's exact title.
    let unpaired = &plan["unpaired"];
    assert_eq!(
        slugs(unpaired, "kind"),
        ["article", "audio", "video", "video"]
    );
    assert_eq!(
        unpaired[0]["article"],
        "articles/grounding-techniques-for-sleep.md"
    );
    assert_eq!(
        unpaired[1]["audio"],
        "audio/2026-05-13-grounding-techniques-for-panic-teaser.mp3"
    );
    assert_eq!(unpaired[2]["video"], "Bts0Film123");
    assert_eq!(unpaired[3]["video"], "Sh0rtsGrnd1");
    assert_eq!(
        unpaired[3]["reason"],
        "a Short (#shorts): not an episode video"
    );

    // A dry run writes nothing.
    assert!(!show.path().join("episodes/first-therapy-session").exists());
}

#[test]
fn the_text_plan_is_readable() {
    let show = fresh();
    pair(show.path(), &["--dry-run"])
        .expect_code(1)
        .stdout_has("paired    first-therapy-session  score 0.999\n          article articles/first-therapy-session.html\n          audio   audio/2026-05-20-first-therapy-session.mp3\n          video   Ft2sVx0hJkM\n")
        .stdout_has("ambiguous welcome-to-mentalspace (video): close call")
        .stdout_has("          ? Wt9cLm3pRqA \"Welcome to the show\"  score 0.")
        .stdout_has("unpaired  video Bts0Film123 \"Behind the scenes: filming day\": no article matches (a behind the scenes)")
        .stderr_has("4 paired, 1 ambiguous, 4 unpaired (dry run: nothing written)")
        .stderr_has("--accept SLUG");
}

#[test]
fn pair_then_publish_turns_a_fresh_folder_into_a_show() {
    let show = fresh();
    let root = show.path();
    pair(root, &["--accept", "welcome-to-mentalspace"])
        .expect_code(1)
        .stderr_has("created episodes/welcome-to-mentalspace/");

    let manifest =
        std::fs::read_to_string(root.join("episodes/grounding-techniques-for-panic/episode.toml"))
            .expect("manifest");
    assert_eq!(
        manifest,
        "# Written by mspod. Edit freely: `mspod pair` only ever adds keys that are missing.\n\
         article = \"article.md\"\n\
         article_url = \"https://example.org/blog/grounding-techniques-for-panic/\"\n\
         audio = \"audio.mp3\"\n\
         youtube = \"https://www.youtube.com/watch?v=Gp4nT8wLqZc\"\n\
         published = \"2026-05-13T12:00:00Z\"\n\
         type = \"full\"\n\
         paired_by = \"audio: score: file name equals the slug (+4.0) (0.999); video: explicit: video description links the article URL (1.000); score 0.999\"\n"
    );
    // The folder is self-contained: byte-identical copies of the inputs.
    let same = |a: &str, b: &str| {
        std::fs::read(root.join(a)).expect(a) == std::fs::read(root.join(b)).expect(b)
    };
    assert!(same(
        "articles/grounding-techniques-for-panic.md",
        "episodes/grounding-techniques-for-panic/article.md"
    ));
    assert!(same(
        "audio/ep03-grounding-techniques-for-panic.mp3",
        "episodes/grounding-techniques-for-panic/audio.mp3"
    ));
    let first = std::fs::read_to_string(root.join("episodes/first-therapy-session/episode.toml"))
        .expect("manifest");
    assert!(
        first.contains("published = \"2026-05-20T13:00:00Z\"\n"),
        "{first}"
    );
    let welcome =
        std::fs::read_to_string(root.join("episodes/welcome-to-mentalspace/episode.toml"))
            .expect("manifest");
    assert!(
        welcome.contains("youtube = \"https://www.youtube.com/watch?v=Wt9cLm3pRqA\"\n"),
        "{welcome}"
    );
    assert!(
        welcome.contains("paired_by = \"audio: score: "),
        "{welcome}"
    );
    assert!(welcome.contains("video: accepted: "), "{welcome}");

    mspod(root, &["publish"])
        .expect_code(0)
        .stderr_has("published 4 episodes");
    let feed = std::fs::read_to_string(root.join("feeds/podcast.xml")).expect("feed");
    for id in ["Ft2sVx0hJkM", "Gp4nT8wLqZc", "Rm7aQ2xK9sE", "Wt9cLm3pRqA"] {
        assert!(feed.contains(id), "{id} not in the feed");
    }
    assert!(!feed.contains("Bts0Film123"));
}

#[test]
fn pairing_again_keeps_hand_edits_and_only_fills_missing_keys() {
    let show = fresh();
    let root = show.path();
    pair(root, &[]).expect_code(1);
    // A person edits one manifest (as publish accepts it: tables below every
    // top-level key) and confirms the welcome video afterwards.
    let grounding = root.join("episodes/grounding-techniques-for-panic/episode.toml");
    let edited = std::fs::read_to_string(&grounding)
        .expect("manifest")
        .replace(
            "type = \"full\"\n",
            "type = \"full\"\n# Our own title.\ntitle = \"Grounding, explained\"\n",
        )
        + "\n# By hand.\n[[chapters]]\nstart = \"0:00\"\ntitle = \"Intro\"\n";
    std::fs::write(&grounding, &edited).expect("write");
    let welcome = root.join("episodes/welcome-to-mentalspace/episode.toml");
    let before = std::fs::read_to_string(&welcome).expect("manifest");
    assert!(!before.contains("youtube"), "{before}");

    let run = pair(
        root,
        &["--accept", "welcome-to-mentalspace", "--format", "json"],
    );
    run.expect_code(1)
        .stderr_has("updated episodes/welcome-to-mentalspace/episode.toml: added youtube\n");
    assert_eq!(
        std::fs::read_to_string(&grounding).expect("manifest"),
        edited
    );
    let after = std::fs::read_to_string(&welcome).expect("manifest");
    assert!(after.starts_with(&before), "existing lines kept:\n{after}");
    assert!(after.contains("youtube = \"https://www.youtube.com/watch?v=Wt9cLm3pRqA\"\n"));
    // Kept links are reported as such, not re-scored.
    let plan = run.json();
    assert_eq!(
        plan["pairs"][1]["evidence"][0],
        "audio: already in episodes/grounding-techniques-for-panic/episode.toml"
    );
    assert_eq!(plan["ambiguous"].as_array().map(Vec::len), Some(0));

    // A third run changes nothing.
    let snapshot = std::fs::read_to_string(&welcome).expect("manifest");
    pair(root, &[]).expect_code(1);
    assert_eq!(
        std::fs::read_to_string(&welcome).expect("manifest"),
        snapshot
    );

    // A manifest publish would refuse is named, and pairing takes no links from it.
    std::fs::write(&grounding, format!("seasn = 1\n{edited}")).expect("write");
    pair(root, &["--dry-run"]).stderr_has(
        "episodes/grounding-techniques-for-panic/episode.toml:1: column 1: unknown field `seasn`",
    ).stderr_has("(pairing takes no links from it)");
}

#[test]
fn a_hand_written_manifest_keeps_every_byte_when_pair_adds_keys_and_still_publishes() {
    let show = fresh();
    let root = show.path();
    pair(root, &[]).expect_code(1);
    // A person rewrites the welcome manifest: comments, every TOML string form,
    // an unquoted date-time, quotes, backslashes, newlines, unicode, `"""`.
    let welcome = root.join("episodes/welcome-to-mentalspace/episode.toml");
    let head = r#"# Welcome — written by hand.
article = 'article.md'      # a literal string
article_url = "https://example.org/blog/welcome-to-mentalspace/"
audio="audio.mp3"
published = 2026-04-29T09:00:00-04:00   # an unquoted TOML date-time
type = "trailer"
title = "Welcome: \"quoted\", back\\slash, é, 日本, 🎙"
summary = """
Two lines, with \"\"\" inside
and a \\ backslash."""
guid = '''C:\show\welcome ''q'' end'''
"#;
    let tail =
        "\n# Chapters by hand.\n[[chapters]]\nstart = \"0:00\"\ntitle = 'Intro \"cold open\"'\n";
    std::fs::write(&welcome, format!("{head}{tail}")).expect("write");

    pair(root, &["--accept", "welcome-to-mentalspace"])
        .expect_code(1)
        .stderr_has(
            "updated episodes/welcome-to-mentalspace/episode.toml: added youtube, paired_by\n",
        );
    let after = std::fs::read_to_string(&welcome).expect("manifest");
    assert!(after.starts_with(head) && after.ends_with(tail), "{after}");
    let added: Vec<&str> = after[head.len()..after.len() - tail.len()]
        .lines()
        .collect();
    assert_eq!(added.len(), 2, "{after}");
    assert_eq!(
        added[0],
        "youtube = \"https://www.youtube.com/watch?v=Wt9cLm3pRqA\""
    );
    assert!(added[1].starts_with("paired_by = \"audio: "), "{after}");

    // load reads every value as it was written.
    mspod(root, &["publish"]).expect_code(0);
    let feed = std::fs::read_to_string(root.join("feeds/podcast.xml")).expect("feed");
    for needle in [
        "<title>Welcome: \"quoted\", back\\slash, é, 日本, 🎙</title>",
        "<p>Two lines, with &quot;&quot;&quot; inside\nand a \\ backslash.</p>",
        "<guid isPermaLink=\"false\">C:\\show\\welcome ''q'' end</guid>",
        "<p>0:00 Intro &quot;cold open&quot;</p>",
        "https://www.youtube.com/watch?v=Wt9cLm3pRqA",
    ] {
        assert!(feed.contains(needle), "{needle} not in the feed:\n{feed}");
    }
}

#[test]
fn two_articles_claiming_one_video_are_listed_for_a_person() {
    let show = fresh();
    let root = show.path();
    std::fs::copy(
        fixture("conflict-article.md"),
        root.join("articles/first-session-questions.md"),
    )
    .expect("copy");
    let plan = pair(root, &["--dry-run", "--format", "json"])
        .expect_code(1)
        .json();
    let conflicts: Vec<&Value> = plan["ambiguous"]
        .as_array()
        .expect("ambiguous")
        .iter()
        .filter(|a| a["reason"].as_str().unwrap_or("").starts_with("conflict"))
        .collect();
    assert_eq!(conflicts.len(), 2, "{plan:#}");
    assert_eq!(conflicts[0]["slug"], "first-session-questions");
    assert_eq!(conflicts[1]["slug"], "first-therapy-session");
    assert_eq!(
        conflicts[1]["reason"],
        "conflict: video Ft2sVx0hJkM is claimed by 2 articles (first-session-questions, first-therapy-session)"
    );
    // The audio pair stands; the contested video is given to nobody.
    let first = plan["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .find(|p| p["slug"] == "first-therapy-session")
        .cloned();
    assert_eq!(first.map(|p| p["video"].clone()), Some(Value::Null));

    let plan = pair(
        root,
        &[
            "--dry-run",
            "--format",
            "json",
            "--accept",
            "first-therapy-session",
        ],
    )
    .json();
    let first = plan["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .find(|p| p["slug"] == "first-therapy-session")
        .cloned();
    assert_eq!(
        first.map(|p| p["video"].clone()),
        Some(Value::from("Ft2sVx0hJkM"))
    );
}

#[test]
fn usage_and_input_errors_exit_2() {
    let show = fresh();
    let root = show.path();
    mspod(root, &["pair", "--articles", "nope", "--audio", "audio"])
        .expect_code(2)
        .stderr_has("--articles nope: no such folder or file");
    mspod(root, &["pair", "--articles", "articles", "--audio", "nope"])
        .expect_code(2)
        .stderr_has("--audio nope: no such folder");
    pair(root, &["--accept", "no-such-slug"])
        .expect_code(2)
        .stderr_has("--accept no-such-slug: no article has that slug");
    std::fs::write(
        root.join("list.txt"),
        "https://youtu.be/Ft2sVx0hJkM\nhttps://vimeo.com/1\n",
    )
    .expect("write");
    mspod(
        root,
        &[
            "pair",
            "--articles",
            "articles",
            "--audio",
            "audio",
            "--videos",
            "list.txt",
            "--offline",
        ],
    )
    .expect_code(2)
    .stderr_has("list.txt:2: `https://vimeo.com/1` is not a YouTube URL");
    std::fs::write(root.join("bad.xml"), "<feed><entry>").expect("write");
    mspod(
        root,
        &[
            "pair",
            "--articles",
            "articles",
            "--audio",
            "audio",
            "--videos",
            "bad.xml",
        ],
    )
    .expect_code(2)
    .stderr_has("bad.xml: not an Atom feed");
    let empty = tempfile::tempdir().expect("tmp");
    mspod(empty.path(), &["pair", "--articles", ".", "--audio", "."])
        .expect_code(2)
        .stderr_has("mspod.toml not found");
    assert!(!root.join("episodes/first-therapy-session").exists());
}

// ---------------------------------------------------------------- loopback HTTP

/// One canned answer.
#[derive(Clone)]
struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
    delay: Duration,
    /// Extra raw header lines, each ending in `\r\n`.
    headers: String,
}

fn reply(status: u16, content_type: &'static str, body: &str) -> Reply {
    Reply {
        status,
        content_type,
        body: body.to_string(),
        delay: Duration::ZERO,
        headers: String::new(),
    }
}

/// A server on 127.0.0.1 answering each request with `route(path, n)`, where
/// `n` counts requests from 1. Sends `Connection: close` (reqwest's pool
/// would otherwise reuse a socket this server has closed).
struct Server {
    base: String,
    hits: Arc<Mutex<Vec<String>>>,
    /// Every request head, in arrival order.
    heads: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(route: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let hits = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&hits);
        let heads = Arc::new(Mutex::new(Vec::new()));
        let all_heads = Arc::clone(&heads);
        let route = Arc::new(route);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let seen = Arc::clone(&seen);
                let all_heads = Arc::clone(&all_heads);
                let route = Arc::clone(&route);
                std::thread::spawn(move || {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).into_owned();
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    all_heads.lock().expect("lock").push(head.clone());
                    let n = {
                        let mut s = seen.lock().expect("lock");
                        s.push(path.clone());
                        s.len()
                    };
                    let r = route(&path, n);
                    std::thread::sleep(r.delay);
                    let extra = r.headers;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{}",
                        r.status,
                        r.content_type,
                        r.body.len(),
                        r.body
                    );
                });
            }
        });
        Server { base, hits, heads }
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().expect("lock").clone()
    }
}

fn feed_text() -> String {
    std::fs::read_to_string(fixture("channel.xml")).expect("feed fixture")
}

fn pair_url(root: &Path, url: &str, env: &[(&str, &str)]) -> Run {
    mspod_env(
        root,
        &[
            "pair",
            "--articles",
            "articles",
            "--audio",
            "audio",
            "--videos",
            url,
            "--dry-run",
            "--format",
            "json",
        ],
        env,
    )
}

#[test]
fn a_fetched_feed_is_cached_and_a_failing_feed_falls_back_to_the_cache() {
    let feed = feed_text();
    let failing = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&failing);
    let server = Server::start(move |_, _| {
        if *flag.lock().expect("lock") {
            reply(500, "text/html", "<html>oops</html>")
        } else {
            reply(200, "application/atom+xml", &feed)
        }
    });
    let url = format!(
        "{}/feeds/videos.xml?channel_id=UCmspodTestChannel000000",
        server.base
    );
    let show = fresh();
    let plan = pair_url(show.path(), &url, &[]).expect_code(1).json();
    assert_eq!(plan["pairs"][0]["video"], "Ft2sVx0hJkM");
    let cached: Vec<String> = std::fs::read_dir(show.path().join(".mspod/youtube/feeds"))
        .expect("cache dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    assert_eq!(cached.len(), 1);

    // YouTube has a bad day: three tries, then the last good copy; no pair is lost.
    *failing.lock().expect("lock") = true;
    let run = pair_url(show.path(), &url, &[]);
    run.expect_code(1)
        .stderr_has("HTTP 500")
        .stderr_has("using the copy cached in");
    assert_eq!(run.json()["pairs"], plan["pairs"]);
    assert_eq!(server.hits().len(), 1 + 3);

    // Without a cached copy, a failed feed stops pairing (exit 2) rather than unpairing.
    let other = fresh();
    pair_url(other.path(), &url, &[])
        .expect_code(2)
        .stderr_has("HTTP 500 (and no cached copy)");
    assert!(!other.path().join("episodes/first-therapy-session").exists());
}

#[test]
fn a_feed_that_fails_once_is_retried() {
    let feed = feed_text();
    let server = Server::start(move |_, n| {
        if n == 1 {
            reply(503, "text/plain", "busy")
        } else {
            reply(200, "application/atom+xml", &feed)
        }
    });
    let show = fresh();
    let url = format!("{}/feeds/videos.xml?playlist_id=PLx", server.base);
    pair_url(show.path(), &url, &[])
        .expect_code(1)
        .stdout_has("Gp4nT8wLqZc");
    assert_eq!(server.hits().len(), 2);
}

#[test]
fn a_feed_that_is_not_xml_or_404_or_too_slow_is_a_failure_not_an_empty_channel() {
    for (r, why) in [
        (
            reply(200, "text/html", "<html><body>consent</body></html>"),
            "not an Atom feed",
        ),
        (reply(404, "text/html", "gone"), "HTTP 404"),
        (
            Reply {
                delay: Duration::from_millis(1500),
                ..reply(200, "application/atom+xml", &feed_text())
            },
            "timed out after 0.3 s (after 3 tries)",
        ),
    ] {
        let server = Server::start(move |_, _| r.clone());
        let show = fresh();
        let url = format!("{}/feeds/videos.xml?channel_id=UCx", server.base);
        pair_url(show.path(), &url, &[("MSPOD_HTTP_TIMEOUT_MS", "300")])
            .expect_code(2)
            .stderr_has(why);
    }
}

/// oEmbed answers per video id, as YouTube gives them.
fn oembed_server() -> Server {
    Server::start(|path, _| {
        let json = |title: &str| {
            reply(
                200,
                "application/json",
                &format!(
                    r#"{{"title":"{title}","author_name":"MentalSpace Therapy","type":"video","thumbnail_url":"https://i.ytimg.com/vi/x/hqdefault.jpg"}}"#
                ),
            )
        };
        if path.contains("Ft2sVx0hJkM") {
            json("What to Expect in Your First Therapy Session")
        } else if path.contains("Wt9cLm3pRqA") {
            reply(401, "text/html", "Unauthorized")
        } else if path.contains("Bts0Film123") {
            reply(404, "text/html", "Not Found")
        } else if path.contains("Gp4nT8wLqZc") {
            reply(200, "text/html", "Forbidden")
        } else {
            reply(500, "text/html", "error")
        }
    })
}

#[test]
fn oembed_answers_map_to_verdicts_or_failures() {
    use mspod::http::retry::{Http, HttpConfig};
    use mspod::videos::oembed::{self, Status};
    use mspod::youtube::VideoId;
    let server = oembed_server();
    let base = format!("{}/oembed", server.base);
    let http = Http::new(HttpConfig {
        backoff: Duration::from_millis(20),
        ..HttpConfig::default()
    })
    .expect("client");
    let fetch = |id: &str| oembed::fetch(&http, &base, &VideoId::parse(id).expect("id"));

    let ok = fetch("Ft2sVx0hJkM").expect("found");
    assert_eq!(
        (ok.status, ok.title.as_deref()),
        (
            Status::Ok,
            Some("What to Expect in Your First Therapy Session")
        )
    );
    assert_eq!(
        fetch("Wt9cLm3pRqA").map(|r| r.status),
        Ok(Status::EmbeddingDisabled)
    );
    assert_eq!(fetch("Bts0Film123").map(|r| r.status), Ok(Status::NotFound));
    assert!(
        fetch("Gp4nT8wLqZc")
            .expect_err("an error")
            .contains("not JSON")
    );
    assert_eq!(
        fetch("Rm7aQ2xK9sE").expect_err("an error"),
        "oEmbed answered HTTP 500"
    );
    // The watch URL is sent, URL-encoded.
    assert!(
        server.hits().iter().any(|h| h
            == "/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DFt2sVx0hJkM&format=json"),
        "{:?}",
        server.hits()
    );
    // 500 was retried (3 tries); 401/404/non-JSON were not.
    assert_eq!(
        server
            .hits()
            .iter()
            .filter(|h| h.contains("Rm7aQ2xK9sE"))
            .count(),
        3
    );
    assert_eq!(
        server
            .hits()
            .iter()
            .filter(|h| h.contains("Wt9cLm3pRqA"))
            .count(),
        1
    );
}

#[test]
fn videos_from_a_url_list_get_titles_from_oembed_and_the_answers_are_cached() {
    let server = oembed_server();
    let show = fresh();
    let root = show.path();
    std::fs::write(
        root.join("videos.txt"),
        "# our uploads\nhttps://www.youtube.com/watch?v=Ft2sVx0hJkM&t=42s\nhttps://youtube.com/shorts/Wt9cLm3pRqA\nyoutu.be/Bts0Film123\nGp4nT8wLqZc\nhttps://www.youtube.com/embed/Rm7aQ2xK9sE\n",
    )
    .expect("write");
    let oembed = format!("{}/oembed", server.base);
    let env = [("MSPOD_YOUTUBE_OEMBED_URL", oembed.as_str())];
    let run = pair_url(root, "videos.txt", &env);
    run.expect_code(1)
        .stderr_has("video Wt9cLm3pRqA: embedding is turned off (oEmbed 401)")
        .stderr_has("video Bts0Film123: not found on YouTube (oEmbed 404")
        .stderr_has("video Gp4nT8wLqZc: no title from oEmbed: oEmbed answered 200 with a body that is not JSON")
        .stderr_has("video Rm7aQ2xK9sE: no title from oEmbed: oEmbed answered HTTP 500");
    let plan = run.json();
    // Explicit evidence does not need a title: the embedding articles still get their videos.
    assert_eq!(plan["pairs"][0]["video"], "Ft2sVx0hJkM");
    assert_eq!(plan["pairs"][2]["video"], "Rm7aQ2xK9sE");
    let cached = |id: &str| {
        std::fs::read_to_string(root.join(format!(".mspod/youtube/oembed/{id}.json"))).ok()
    };
    assert!(
        cached("Ft2sVx0hJkM")
            .is_some_and(|c| c.contains("\"status\": \"ok\"") && c.contains("What to Expect"))
    );
    assert!(
        cached("Wt9cLm3pRqA").is_some_and(|c| c.contains("\"status\": \"embedding-disabled\""))
    );
    assert!(cached("Bts0Film123").is_some_and(|c| c.contains("\"status\": \"not-found\"")));
    assert_eq!(cached("Gp4nT8wLqZc"), None, "a failure is not a verdict");
    assert_eq!(cached("Rm7aQ2xK9sE"), None);

    // Offline, the cached verdicts are used and nothing is fetched.
    let before = server.hits().len();
    let run = mspod_env(
        root,
        &[
            "pair",
            "--articles",
            "articles",
            "--audio",
            "audio",
            "--videos",
            "videos.txt",
            "--dry-run",
            "--offline",
        ],
        &env,
    );
    run.expect_code(1)
        .stderr_has("video Wt9cLm3pRqA: embedding is turned off");
    assert_eq!(server.hits().len(), before);
}

#[test]
fn the_client_refuses_bodies_over_the_cap_and_follows_redirects() {
    use mspod::http::retry::{Http, HttpConfig};
    let server = Server::start(|path, _| match path {
        "/big" => reply(200, "text/html", &"x".repeat(1000)),
        "/moved" => Reply {
            headers: "Location: /page\r\n".into(),
            ..reply(302, "text/html", "")
        },
        "/loop" => Reply {
            headers: "Location: /loop\r\n".into(),
            ..reply(302, "text/html", "")
        },
        _ => reply(200, "text/html", "<html>ok</html>"),
    });
    let http = Http::new(HttpConfig {
        max_bytes: 100,
        backoff: Duration::from_millis(10),
        ..HttpConfig::default()
    })
    .expect("client");
    assert!(
        http.get(&format!("{}/big", server.base))
            .expect_err("an error")
            .contains("100-byte limit")
    );
    let moved = http
        .get(&format!("{}/moved", server.base))
        .expect("redirected");
    assert_eq!(
        (moved.status, moved.final_url.ends_with("/page")),
        (200, true)
    );
    assert!(
        http.get(&format!("{}/loop", server.base))
            .expect_err("an error")
            .contains("too many redirects")
    );
}

// ---------------------------------------------------------------- mspod new

#[test]
fn new_scaffolds_an_episode_from_local_files() {
    let show = fresh();
    let root = show.path();
    mspod(
        root,
        &[
            "new",
            "relationship-as-medicine",
            "--article",
            "articles/relationship-as-medicine.html",
            "--audio",
            "audio/relationship-as-medicine.mp3",
            "--youtube",
            "https://youtu.be/Rm7aQ2xK9sE?si=abc",
        ],
    )
    .expect_code(0)
    .stderr_has("created episodes/relationship-as-medicine");
    let manifest =
        std::fs::read_to_string(root.join("episodes/relationship-as-medicine/episode.toml"))
            .expect("manifest");
    assert_eq!(
        manifest,
        "# Written by mspod. Edit freely: `mspod pair` only ever adds keys that are missing.\n\
         article = \"article.html\"\n\
         article_url = \"https://example.org/blog/relationship-as-medicine/\"\n\
         audio = \"audio.mp3\"\n\
         youtube = \"https://www.youtube.com/watch?v=Rm7aQ2xK9sE\"\n\
         published = \"2026-05-06T09:00:00-04:00\"\n\
         type = \"full\"\n"
    );
    mspod(root, &["publish"])
        .expect_code(0)
        .stderr_has("published 1 episode to");

    // Never over an existing episode; bad slugs and ids are usage errors.
    mspod(
        root,
        &[
            "new",
            "relationship-as-medicine",
            "--article",
            "articles/welcome-to-mentalspace.md",
            "--audio",
            "audio/welcome-to-mentalspace.mp3",
        ],
    )
    .expect_code(2)
    .stderr_has("already exists");
    mspod(
        root,
        &[
            "new",
            "Welcome Ep",
            "--article",
            "articles/welcome-to-mentalspace.md",
            "--audio",
            "audio/welcome-to-mentalspace.mp3",
        ],
    )
    .expect_code(2)
    .stderr_has("e.g. `welcome-ep`");
    mspod(
        root,
        &[
            "new",
            "welcome",
            "--article",
            "articles/welcome-to-mentalspace.md",
            "--audio",
            "audio/welcome-to-mentalspace.mp3",
            "--youtube",
            "https://vimeo.com/1",
        ],
    )
    .expect_code(2)
    .stderr_has("--youtube: `https://vimeo.com/1` is not a YouTube URL");
}

#[test]
fn new_downloads_an_article_page_and_saves_it_beside_the_manifest() {
    let page = std::fs::read_to_string(repo().join("episodes/first-therapy-session/article.html"))
        .expect("page");
    let server = Server::start(move |path, _| match path {
        "/blog/first-therapy-session/" => reply(200, "text/html; charset=UTF-8", &page),
        "/go" => Reply {
            headers: "Location: /blog/first-therapy-session/\r\n".into(),
            ..reply(301, "text/html", "")
        },
        _ => reply(200, "image/png", "PNG"),
    });
    let show = fresh();
    let root = show.path();
    let url = format!("{}/go", server.base);
    mspod(
        root,
        &[
            "new",
            "first-therapy-session",
            "--article",
            &url,
            "--audio",
            "audio/2026-05-20-first-therapy-session.mp3",
        ],
    )
    .expect_code(0);
    let dir = root.join("episodes/first-therapy-session");
    assert_eq!(
        std::fs::read(dir.join("article.html")).expect("saved page"),
        std::fs::read(repo().join("episodes/first-therapy-session/article.html")).expect("page")
    );
    let manifest = std::fs::read_to_string(dir.join("episode.toml")).expect("manifest");
    // The page's canonical URL wins over the URL it was downloaded from.
    assert!(
        manifest.contains("article_url = \"https://example.org/blog/first-therapy-session/\"\n"),
        "{manifest}"
    );

    let bad = format!("{}/image.png", server.base);
    mspod(
        root,
        &[
            "new",
            "picture",
            "--article",
            &bad,
            "--audio",
            "audio/welcome-to-mentalspace.mp3",
        ],
    )
    .expect_code(2)
    .stderr_has("expected an HTML or Markdown page, got image/png");
    assert!(!root.join("episodes/picture").exists());
}

#[test]
fn articles_can_be_a_list_of_urls_downloaded_once_and_kept_for_offline_runs() {
    let pages: Vec<(String, String)> = [
        (
            "first-therapy-session",
            "first-therapy-session/article.html",
        ),
        (
            "relationship-as-medicine",
            "relationship-as-medicine/article.html",
        ),
    ]
    .iter()
    .map(|(slug, file)| {
        (
            format!("/blog/{slug}/"),
            std::fs::read_to_string(repo().join("episodes").join(file)).expect("page"),
        )
    })
    .collect();
    let down = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&down);
    let server = Server::start(move |path, _| {
        if *flag.lock().expect("lock") {
            return reply(503, "text/html", "maintenance");
        }
        pages
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, body)| reply(200, "text/html; charset=utf-8", body))
            .unwrap_or_else(|| reply(404, "text/html", "no"))
    });
    let show = fresh();
    let root = show.path();
    std::fs::write(
        root.join("articles.txt"),
        format!(
            "# articles to pair\n{0}/blog/first-therapy-session/\n{0}/blog/relationship-as-medicine/\n",
            server.base
        ),
    )
    .expect("write");
    let args = [
        "pair",
        "--articles",
        "articles.txt",
        "--audio",
        "audio",
        "--videos",
        "channel.xml",
        "--dry-run",
        "--format",
        "json",
    ];
    let plan = mspod(root, &args).expect_code(1).json();
    assert_eq!(
        slugs(&plan["pairs"], "slug"),
        ["first-therapy-session", "relationship-as-medicine"]
    );
    assert_eq!(
        plan["pairs"][0]["article"],
        ".mspod/articles/first-therapy-session.html"
    );
    assert_eq!(
        slugs(&plan["pairs"], "video"),
        ["Ft2sVx0hJkM", "Rm7aQ2xK9sE"]
    );

    *down.lock().expect("lock") = true;
    let run = mspod(root, &args);
    run.expect_code(1)
        .stderr_has("HTTP 503; using the copy saved in");
    assert_eq!(run.json()["pairs"], plan["pairs"]);

    // A URL that never downloaded has no saved copy: pairing stops (exit 2).
    std::fs::write(
        root.join("more.txt"),
        format!("{}/blog/new-post/\n", server.base),
    )
    .expect("write");
    mspod(
        root,
        &[
            "pair",
            "--articles",
            "more.txt",
            "--audio",
            "audio",
            "--dry-run",
        ],
    )
    .expect_code(2)
    .stderr_has("/blog/new-post/: HTTP 503");
}

#[test]
fn a_slow_oembed_answer_times_out_and_is_retried_then_reported() {
    use mspod::http::retry::{Http, HttpConfig};
    use mspod::videos::oembed;
    use mspod::youtube::VideoId;
    let server = Server::start(|_, _| Reply {
        delay: Duration::from_millis(1500),
        ..reply(200, "application/json", r#"{"title":"late"}"#)
    });
    let http = Http::new(HttpConfig {
        timeout: Duration::from_millis(200),
        backoff: Duration::from_millis(20),
        ..HttpConfig::default()
    })
    .expect("client");
    let id = VideoId::parse("Ft2sVx0hJkM").expect("id");
    let why = oembed::fetch(&http, &format!("{}/oembed", server.base), &id).expect_err("timeout");
    assert_eq!(why, "timed out after 0.2 s (after 3 tries)");
    assert_eq!(server.hits().len(), 3);
}

#[test]
fn without_a_feed_the_videos_articles_embed_are_confirmed_by_oembed_and_paired() {
    let server = Server::start(|path, _| {
        if path.contains("Ft2sVx0hJkM") {
            reply(
                200,
                "application/json",
                r#"{"title":"What to Expect in Your First Therapy Session"}"#,
            )
        } else {
            reply(404, "text/html", "Not Found")
        }
    });
    let show = fresh();
    let oembed = format!("{}/oembed", server.base);
    let run = mspod_env(
        show.path(),
        &[
            "pair",
            "--articles",
            "articles",
            "--audio",
            "audio",
            "--dry-run",
            "--format",
            "json",
        ],
        &[("MSPOD_YOUTUBE_OEMBED_URL", oembed.as_str())],
    );
    run.expect_code(1).stderr_has(
        "video Rm7aQ2xK9sE: not found on YouTube (oEmbed 404: private or deleted); not paired",
    );
    let plan = run.json();
    assert_eq!(
        slugs(&plan["pairs"], "video"),
        ["Ft2sVx0hJkM", "-", "-", "-"]
    );
    // Only the two embedded ids were looked up, once each.
    assert_eq!(server.hits().len(), 2, "{:?}", server.hits());
}

#[test]
fn the_feed_is_fetched_with_a_conditional_get_and_304_reuses_the_cache() {
    let feed = feed_text();
    let server = Server::start(move |_, n| {
        if n == 1 {
            Reply {
                headers: "ETag: \"v1\"\r\nLast-Modified: Wed, 20 May 2026 18:00:00 GMT\r\n".into(),
                ..reply(200, "application/atom+xml", &feed)
            }
        } else {
            reply(304, "application/atom+xml", "")
        }
    });
    let show = fresh();
    let url = format!("{}/feeds/videos.xml?channel_id=UCx", server.base);
    let first = pair_url(show.path(), &url, &[]).expect_code(1).json();
    let run = pair_url(show.path(), &url, &[]);
    run.expect_code(1);
    assert!(
        !run.stderr.contains("using the copy cached"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["pairs"], first["pairs"]);
    let heads = server.heads.lock().expect("lock").clone();
    assert_eq!(heads.len(), 2);
    let second = heads[1].to_ascii_lowercase();
    assert!(second.contains("if-none-match: \"v1\"\r\n"), "{second}");
    assert!(
        second.contains("if-modified-since: wed, 20 may 2026 18:00:00 gmt\r\n"),
        "{second}"
    );
}

/// Copies a sample MP3 to `to` and writes an ID3v2.4 title and comment into it.
fn tagged_mp3(to: &Path, title: &str, comment: Option<&str>) {
    use id3::TagLike;
    std::fs::copy(repo().join("episodes/welcome-to-mentalspace/audio.mp3"), to).expect("copy");
    let mut tag = id3::Tag::read_from_path(to).expect("the sample MP3 has a tag");
    tag.set_title(title);
    tag.remove_comment(None, None);
    if let Some(text) = comment {
        tag.add_frame(id3::frame::Comment {
            lang: "eng".into(),
            description: String::new(),
            text: text.into(),
        });
    }
    tag.write_to_path(to, id3::Version::Id3v24)
        .expect("tag written");
}

#[test]
fn audio_tags_that_link_the_article_decide_and_a_missing_canonical_url_is_built_from_the_show_link()
{
    let show = fresh();
    let root = show.path();
    std::fs::write(
        root.join("articles/anxiety-at-work.md"),
        "---\ntitle: Anxiety at Work\ndate: 2026-06-03\nurl: https://example.org/blog/anxiety-at-work/\n---\n\nBody.\n\n## Quick answer\n\nBreathe.\n",
    )
    .expect("write");
    std::fs::write(
        root.join("articles/no-canonical.md"),
        "---\ntitle: Sleep and Anxiety\ndate: 2026-06-10\n---\n\nBody.\n\n## Quick answer\n\nRest.\n",
    )
    .expect("write");
    // A file name and title that say nothing, but a comment that links the article.
    tagged_mp3(
        &root.join("audio/final-mix-v3.mp3"),
        "Untitled session",
        Some("Show notes: https://example.org/blog/anxiety-at-work/"),
    );
    tagged_mp3(
        &root.join("audio/no-canonical.mp3"),
        "Sleep and Anxiety",
        None,
    );

    let run = pair(root, &["--format", "json"]);
    run.expect_code(1)
        .stderr_has("articles/no-canonical.md: the page names no canonical URL; using https://example.org/podcast/no-canonical/");
    let plan = run.json();
    let find = |slug: &str| {
        plan["pairs"]
            .as_array()
            .expect("pairs")
            .iter()
            .find(|p| p["slug"] == slug)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let anxiety = find("anxiety-at-work");
    assert_eq!(anxiety["audio"], "audio/final-mix-v3.mp3");
    assert_eq!(anxiety["score"], 1.0);
    assert_eq!(
        anxiety["evidence"][0],
        "audio: audio tags link the article URL"
    );
    assert_eq!(find("no-canonical")["audio"], "audio/no-canonical.mp3");
    let manifest =
        std::fs::read_to_string(root.join("episodes/no-canonical/episode.toml")).expect("manifest");
    assert!(
        manifest.contains("article_url = \"https://example.org/podcast/no-canonical/\"\n"),
        "{manifest}"
    );
}

/// A copy of `tests/fixtures/pair/measured/` (made by `scripts/gen-archive.py --measured`):
/// the archive issue 9 was measured on, which the old scoring paired 0 of 4.
fn measured() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = fixture("measured");
    for sub in ["", "articles", "audio"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(from.join(sub)).expect("fixture") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let name = path.file_name().expect("name");
                std::fs::copy(&path, dir.path().join(sub).join(name)).expect("copy");
            }
        }
    }
    dir
}

fn pair_measured(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "pair",
        "--articles",
        "articles",
        "--audio",
        "audio",
        "--videos",
        "channel.xml",
    ];
    args.extend_from_slice(extra);
    mspod(root, &args)
}

#[test]
fn every_case_the_issue_measured_pairs_automatically_and_decoys_stay_out() {
    let show = measured();
    let run = pair_measured(show.path(), &["--dry-run", "--format", "json"]);
    run.expect_code(1);
    let plan = run.json();
    let pairs = &plan["pairs"];
    let got: Vec<(String, String, String)> = pairs
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or("-").to_string();
            (s("slug"), s("audio"), s("video"))
        })
        .collect();
    let want = [
        // epNN_<some words>_FINAL against a Markdown article whose slug shares them.
        (
            "boundaries-with-family",
            "audio/ep04_boundaries_family_FINAL.mp3",
            "BndFam00004",
        ),
        // A meaningless name whose ID3 title equals the article title; the article embeds its video.
        (
            "grief-after-a-pet-dies",
            "audio/Audio Track 07.mp3",
            "GrfPet00003",
        ),
        // The file is named exactly as the slug; the video title equals the title after branding.
        (
            "managing-anxiety-at-work",
            "audio/managing-anxiety-at-work.mp3",
            "MaW0rk00001",
        ),
        // YYYY-MM-DD-<slug>; the video is "Ep. 2: <title> - <show> Podcast".
        (
            "sleep-and-stress",
            "audio/2026-03-11-sleep-and-stress.mp3",
            "SlpStr00002",
        ),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want, "{plan:#}");
    for p in pairs.as_array().expect("pairs") {
        let score = p["score"].as_f64().expect("score");
        assert!((0.9..=1.0).contains(&score), "{p:#}");
    }
    assert_eq!(plan["ambiguous"].as_array().map(Vec::len), Some(0));
    let unpaired: Vec<(String, String)> = plan["unpaired"]
        .as_array()
        .expect("unpaired")
        .iter()
        .map(|u| {
            let what = ["article", "audio", "video"]
                .iter()
                .find_map(|k| u[*k].as_str())
                .unwrap_or("-");
            (
                what.to_string(),
                u["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        unpaired,
        [
            (
                "articles/what-is-emdr.html".to_string(),
                "no audio file matches".to_string()
            ),
            (
                "audio/studio-ambience-test.mp3".to_string(),
                "no article matches".to_string()
            ),
            (
                "LiveQA00006".to_string(),
                "a live stream: not an episode video".to_string()
            ),
            (
                "ShrtAnx0005".to_string(),
                "a Short (#shorts): not an episode video".to_string()
            ),
        ]
    );
}

#[test]
fn a_video_follows_its_article_when_the_audio_is_missing() {
    let show = measured();
    std::fs::remove_file(show.path().join("audio/2026-03-11-sleep-and-stress.mp3")).expect("rm");
    let plan = pair_measured(show.path(), &["--dry-run", "--format", "json"]).json();
    let article = plan["unpaired"]
        .as_array()
        .expect("unpaired")
        .iter()
        .find(|u| u["slug"] == "sleep-and-stress")
        .cloned()
        .expect("sleep-and-stress unpaired");
    assert_eq!(article["video"], "SlpStr00002");
    assert_eq!(
        article["reason"],
        "no audio file matches; its video is SlpStr00002"
    );
    // The video is decided, so it is not also reported as matching nothing.
    assert!(
        !plan["unpaired"]
            .as_array()
            .expect("unpaired")
            .iter()
            .any(|u| u["kind"] == "video" && u["video"] == "SlpStr00002")
    );
}

#[test]
fn explain_prints_every_signal_for_one_article_and_writes_nothing() {
    let show = measured();
    pair_measured(show.path(), &["--explain", "boundaries-with-family"])
        .expect_code(0)
        .stdout_has("article boundaries-with-family (articles/boundaries-with-family.md)\n")
        .stdout_has("audio candidates (best 5 of 5):\n  audio/ep04_boundaries_family_FINAL.mp3  score 0.")
        .stdout_has("      - file name shares 2 word(s) with the article [boundary family] and has 0 it lacks (+")
        .stdout_has("  video BndFam00004 \"Calm Hour #4 — Setting Boundaries With Family\"  score 0.999")
        .stdout_has("      - video title equals the article title (+4.0)\n")
        .stdout_has("decision: paired with audio/ep04_boundaries_family_FINAL.mp3 and video BndFam00004");
    assert!(!show.path().join("episodes").exists());
    pair_measured(show.path(), &["--explain", "no-such-article"])
        .expect_code(2)
        .stderr_has("--explain no-such-article: no article has that slug");
}

#[test]
fn the_pairing_table_sets_thresholds_and_bad_keys_name_the_file() {
    let show = measured();
    let toml = show.path().join("mspod.toml");
    let text = std::fs::read_to_string(&toml).expect("toml");
    // A stricter threshold turns the abbreviated file name into a proposal.
    std::fs::write(&toml, format!("{text}\n[pairing]\nauto_accept = 0.999\n")).expect("write");
    let plan = pair_measured(show.path(), &["--dry-run", "--format", "json"]).json();
    let open: Vec<&str> = plan["ambiguous"]
        .as_array()
        .expect("ambiguous")
        .iter()
        .filter_map(|a| a["slug"].as_str())
        .collect();
    assert_eq!(open, ["boundaries-with-family"], "{plan:#}");
    assert_eq!(
        plan["ambiguous"][0]["candidates"][0]["audio"],
        "audio/ep04_boundaries_family_FINAL.mp3"
    );
    // The video is decided and travels with the open audio question.
    assert_eq!(plan["ambiguous"][0]["video"], "BndFam00004");

    std::fs::write(&toml, format!("{text}\n[pairing]\nautoaccept = 0.9\n")).expect("write");
    pair_measured(show.path(), &["--dry-run"])
        .expect_code(1)
        .stderr_has("mspod.toml:14: column 1: unknown field `autoaccept`, expected one of `auto_accept`, `propose_min`, `margin_nats`, `noise_words`, `branding`");
}

// ------------------------------------------------------- articles from a website

/// The sample show's episodes as WordPress REST posts: (slug, title, date).
const POSTS: &[(&str, &str, &str)] = &[
    (
        "first-therapy-session",
        "What to Expect in Your First Therapy Session",
        "2026-05-20T13:00:00",
    ),
    (
        "grounding-techniques-for-panic",
        "Grounding Techniques for Panic Attacks",
        "2026-05-13T13:00:00",
    ),
    (
        "relationship-as-medicine",
        "Relationship as Medicine: What Therapy Does That Thinking Alone Can't",
        "2026-05-06T13:00:00",
    ),
    (
        "welcome-to-mentalspace",
        "Welcome to MentalSpace Therapy",
        "2026-04-29T13:00:00",
    ),
];

fn wp_post(base: &str, id: usize, slug: &str, title: &str, date: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "date": date,
        "date_gmt": date,
        "slug": slug,
        "link": format!("{base}/blog/{slug}/"),
        "title": {"rendered": title},
        "content": {"rendered": format!(
            "<p>{title}: what the research says and what you can try this week.</p>\
             <h2>Quick answer</h2><p>Small, practised steps help most.</p>\
             <h2>What helps</h2><p>Breathing slowly, naming what you see, and asking for support.</p>"
        )},
    })
}

/// A fresh folder whose articles live only on a site: no articles/ folder.
fn fresh_without_articles() -> tempfile::TempDir {
    let show = fresh();
    std::fs::remove_dir_all(show.path().join("articles")).expect("rm articles");
    show
}

#[test]
fn a_wordpress_site_is_read_page_by_page_and_pairs_end_to_end_and_publishes() {
    // Page 1 is full (100 posts: the four episodes and 96 clinic notes), page 2
    // answers 400 as WordPress does past the last page.
    let server = Server::start(move |path, _| {
        let base = "http://wp.test";
        if path.starts_with("/wp-json/wp/v2/posts?per_page=100&page=1&") {
            let mut posts: Vec<serde_json::Value> = POSTS
                .iter()
                .enumerate()
                .map(|(i, (slug, title, date))| wp_post(base, i + 1, slug, title, date))
                .collect();
            for n in 0..96 {
                posts.push(wp_post(
                    base,
                    100 + n,
                    &format!("clinic-note-{n}"),
                    &format!("Clinic note {n}: new opening hours"),
                    "2025-01-01T09:00:00",
                ));
            }
            let mut r = reply(
                200,
                "application/json",
                &serde_json::Value::from(posts).to_string(),
            );
            r.headers = "X-WP-Total: 100\r\nX-WP-TotalPages: 1\r\n".into();
            return r;
        }
        if path.starts_with("/wp-json/wp/v2/posts?per_page=100&page=2&") {
            return reply(
                400,
                "application/json",
                r#"{"code":"rest_post_invalid_page_number","message":"The page number requested is larger than the number of pages available.","data":{"status":400}}"#,
            );
        }
        if path == "/" {
            return reply(
                200,
                "text/html",
                "<html><head><link rel=\"https://api.w.org/\" href=\"/wp-json/\"></head><body>Blog</body></html>",
            );
        }
        reply(404, "text/html", "not found")
    });
    let show = fresh_without_articles();
    let root = show.path();
    let site = format!("{}/", server.base);
    let args = [
        "pair",
        "--articles",
        &site,
        "--audio",
        "audio",
        "--videos",
        "channel.xml",
    ];
    let run = mspod(root, &args);
    run.expect_code(1)
        .stderr_has("created episodes/grounding-techniques-for-panic/");
    // The home page names the API (relative); the API is read until page 2 says there is no more.
    let hits = server.hits();
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert_eq!(hits[0], "/");
    assert!(hits[2].contains("page=2"), "{hits:?}");
    for (slug, _, _) in POSTS {
        assert!(
            root.join(format!("episodes/{slug}/episode.toml")).is_file(),
            "{slug} not paired"
        );
    }
    let saved = std::fs::read_dir(root.join(".mspod/articles"))
        .expect("saved")
        .count();
    assert_eq!(saved, 100);
    let manifest =
        std::fs::read_to_string(root.join("episodes/first-therapy-session/episode.toml"))
            .expect("manifest");
    assert!(
        manifest.contains("article_url = \"http://wp.test/blog/first-therapy-session/\"\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("published = \"2026-05-20T13:00:00Z\"\n"),
        "{manifest}"
    );

    mspod(root, &["publish"])
        .expect_code(0)
        .stderr_has("published 4 episodes");

    // Offline, the saved posts are used again.
    let run = mspod(
        root,
        &[
            "pair",
            "--articles",
            &site,
            "--audio",
            "audio",
            "--offline",
            "--dry-run",
        ],
    );
    run.expect_code(1);
    assert_eq!(server.hits().len(), 3);
}

#[test]
fn a_sitemap_index_and_a_feed_list_the_pages_to_download_once() {
    let pages: Vec<(String, String)> = [
        (
            "first-therapy-session",
            "first-therapy-session/article.html",
        ),
        (
            "relationship-as-medicine",
            "relationship-as-medicine/article.html",
        ),
    ]
    .iter()
    .map(|(slug, file)| {
        (
            format!("/blog/{slug}/"),
            std::fs::read_to_string(repo().join("episodes").join(file)).expect("page"),
        )
    })
    .collect();
    // The canned XML names the server's own address, known once it runs.
    let base_cell = Arc::new(Mutex::new(String::new()));
    let base_seen = Arc::clone(&base_cell);
    let server = Server::start(move |path, _| {
        let base = base_seen.lock().expect("lock").clone();
        let loc = |p: &str| format!("<url><loc>PLACEHOLDER{p}</loc></url>");
        let mut r = match path {
            "/sitemap_index.xml" => reply(
                200,
                "application/xml",
                "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                 <sitemap><loc>PLACEHOLDER/post-sitemap.xml</loc></sitemap></sitemapindex>",
            ),
            "/feed/" => reply(
                200,
                "application/rss+xml",
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title>\
                 <item><title>First</title><link>PLACEHOLDER/blog/first-therapy-session/</link></item>\
                 <item><title>Relationship</title><link>PLACEHOLDER/blog/relationship-as-medicine/</link></item>\
                 </channel></rss>",
            ),
            "/post-sitemap.xml" => reply(
                200,
                "application/xml",
                &format!(
                    "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{}{}{}</urlset>",
                    loc("/blog/first-therapy-session/"),
                    loc("/blog/relationship-as-medicine/"),
                    loc("/tag/therapy/")
                ),
            ),
            p => match pages.iter().find(|(route, _)| route == p) {
                Some((_, html)) => reply(200, "text/html", html),
                None => reply(404, "text/html", "not found"),
            },
        };
        r.body = r.body.replace("PLACEHOLDER", &base);
        r
    });
    *base_cell.lock().expect("lock") = server.base.clone();
    for (source, label) in [("/sitemap_index.xml", "sitemap"), ("/feed/", "feed")] {
        let show = fresh_without_articles();
        let root = show.path();
        let url = format!("{}{source}", server.base);
        let before = server.hits().len();
        let run = mspod(
            root,
            &[
                "pair",
                "--articles",
                &url,
                "--audio",
                "audio",
                "--dry-run",
                "--format",
                "json",
            ],
        );
        run.expect_code(1);
        let plan = run.json();
        assert_eq!(
            slugs(&plan["pairs"], "slug"),
            ["first-therapy-session", "relationship-as-medicine"],
            "{label}: {plan:#}"
        );
        let fetched = server.hits()[before..].to_vec();
        assert!(
            !fetched.iter().any(|h| h.starts_with("/tag/")),
            "{label}: {fetched:?}"
        );
        // A second run downloads no page again, only the index.
        let before = server.hits().len();
        mspod(
            root,
            &["pair", "--articles", &url, "--audio", "audio", "--dry-run"],
        )
        .expect_code(1);
        let again = server.hits()[before..].to_vec();
        assert!(
            again.iter().all(|h| !h.starts_with("/blog/")),
            "{label}: {again:?}"
        );
    }
}

/// Every naming style, decoy and two-part episode of `scripts/gen-archive.py`
/// at a small size (`tests/fixtures/pair/archive/`, 48 articles, seed 5), with
/// the truth beside it: every link a person makes is decided, and right, and
/// no decoy is in any decision.
#[test]
fn a_generated_archive_in_every_naming_style_pairs_exactly_as_its_truth() {
    let root = fixture("archive");
    let out = tempfile::tempdir().expect("tmp");
    std::fs::copy(root.join("mspod.toml"), out.path().join("mspod.toml")).expect("toml");
    let abs = |p: &str| root.join(p).display().to_string();
    let run = mspod(
        out.path(),
        &[
            "pair",
            "--articles",
            &abs("articles"),
            "--audio",
            &abs("audio"),
            "--videos",
            &abs("channel.xml"),
            "--dry-run",
            "--format",
            "json",
        ],
    );
    let plan = run.json();
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("truth.json")).expect("truth"))
            .expect("truth json");
    let rel = |v: &Value| -> Option<String> {
        v.as_str().map(|p| {
            Path::new(p)
                .strip_prefix(&root)
                .map(|r| r.display().to_string())
                .unwrap_or_else(|_| p.to_string())
        })
    };
    let mut audio = std::collections::BTreeMap::new();
    let mut video = std::collections::BTreeMap::new();
    for p in plan["pairs"].as_array().expect("pairs") {
        let slug = p["slug"].as_str().expect("slug").to_string();
        audio.insert(slug.clone(), rel(&p["audio"]));
        if let Some(v) = p["video"].as_str() {
            video.insert(slug, v.to_string());
        }
    }
    // Videos decided for articles whose audio is missing or open.
    for list in ["unpaired", "ambiguous"] {
        for x in plan[list].as_array().expect(list) {
            if let (Some(slug), Some(v)) = (x["slug"].as_str(), x["video"].as_str()) {
                video.insert(slug.to_string(), v.to_string());
            }
        }
    }
    let mut styles = std::collections::BTreeSet::new();
    for t in truth["pairs"].as_array().expect("truth pairs") {
        let slug = t["slug"].as_str().expect("slug");
        styles.insert(t["audio_style"].as_str().unwrap_or("").to_string());
        assert_eq!(
            audio.get(slug).cloned().flatten(),
            t["audio"].as_str().map(str::to_string),
            "{slug} ({}): audio",
            t["audio_style"]
        );
        assert_eq!(
            video.get(slug).cloned(),
            t["video"].as_str().map(str::to_string),
            "{slug} ({}): video",
            t["video_style"]
        );
    }
    assert_eq!(
        styles.len(),
        9,
        "every audio style and articles without audio: {styles:?}"
    );
    assert!(plan["ambiguous"].as_array().expect("ambiguous").is_empty());
    let decided: Vec<String> = audio
        .values()
        .flatten()
        .cloned()
        .chain(video.values().cloned())
        .collect();
    let decoys = &truth["decoys"];
    let mut n = 0;
    for (kind, key) in [("audio", "audio"), ("video", "id")] {
        for d in decoys[kind].as_array().expect("decoys") {
            let item = d[key].as_str().expect("item").to_string();
            assert!(!decided.contains(&item), "decoy {d} was paired");
            n += 1;
        }
    }
    assert!(n >= 50, "{n} decoys");
}
