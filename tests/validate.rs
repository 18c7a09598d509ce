//! `mspod validate`: the rules catalogue against fixtures, real-world feeds, hostile
//! inputs, the output formats and exit codes, `--online` against a loopback server, and
//! `--media` against local files.

use mspod::validate::rules::{Mode, RULES};
use mspod::validate::{Severity, check_media, validate_feed};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn mspod(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mspod"))
        .args(args)
        .output()
        .expect("run mspod");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The rule ids a fixture says it must produce: `<!-- expect: a b -->` on its second line.
fn expected_rules(path: &Path) -> BTreeSet<String> {
    let text = String::from_utf8_lossy(&std::fs::read(path).expect("read fixture")).into_owned();
    let line = text
        .lines()
        .find(|l| l.contains("<!-- expect:"))
        .unwrap_or_else(|| panic!("{} has no expect comment", path.display()));
    let inner = line
        .split("<!-- expect:")
        .nth(1)
        .and_then(|r| r.split("-->").next())
        .expect("comment");
    inner.split_whitespace().map(str::to_string).collect()
}

fn rule_fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("validate"))
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_reports_exactly_its_expected_rules() {
    let mut failures = Vec::new();
    for path in rule_fixtures() {
        let bytes = std::fs::read(&path).expect("read");
        let got: BTreeSet<String> = validate_feed(&bytes, &path.display().to_string())
            .iter()
            .map(|d| d.rule.to_string())
            .collect();
        let want = expected_rules(&path);
        if got != want {
            failures.push(format!(
                "{}: expected {want:?}, got {got:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Rules whose failing case lives in a dedicated test below rather than a fixture file.
const TESTED_ELSEWHERE: &[&str] = &["rss/feed-size"];

#[test]
fn every_offline_rule_has_a_failing_fixture_and_the_valid_feeds_pass_them_all() {
    let mut failing: BTreeMap<String, usize> = BTreeMap::new();
    let mut passing = 0;
    for path in rule_fixtures() {
        let want = expected_rules(&path);
        if want.is_empty() {
            passing += 1;
        }
        for r in want {
            *failing.entry(r).or_default() += 1;
        }
    }
    assert!(passing >= 4, "valid fixtures pass every rule");
    let missing: Vec<&str> = RULES
        .iter()
        .filter(|r| r.mode == Mode::Offline)
        .map(|r| r.id)
        .filter(|id| !failing.contains_key(*id) && !TESTED_ELSEWHERE.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "offline rules without a failing fixture: {missing:?}"
    );
    for id in failing.keys() {
        assert!(
            RULES.iter().any(|r| r.id == id),
            "fixture expects unknown rule {id}"
        );
    }
}

#[test]
fn a_feed_as_mspod_writes_it_has_no_errors_and_no_warnings() {
    let path = fixtures().join("validate/valid-mspod.xml");
    let (code, stdout, stderr) =
        mspod(&["validate", "--strict", path.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("valid: 0 errors, 0 warnings, 0 infos"),
        "{stdout}"
    );
}

#[test]
fn feed_larger_than_5_mb_is_flagged() {
    let base = std::fs::read_to_string(fixtures().join("validate/valid-mspod.xml")).expect("read");
    let filler = format!("<!-- {} -->", "x".repeat(5_100_000));
    let big = base.replacen("<channel>", &format!("<channel>{filler}"), 1);
    let rules: BTreeSet<&str> = validate_feed(big.as_bytes(), "big.xml")
        .iter()
        .map(|d| d.rule)
        .collect();
    assert_eq!(rules, BTreeSet::from(["rss/feed-size"]));
}

#[test]
fn positions_point_at_the_element_or_the_parent_of_a_missing_child() {
    let path = fixtures().join("validate/apple-image.xml");
    let d = validate_feed(&std::fs::read(&path).expect("read"), "f");
    let image = d
        .iter()
        .find(|d| d.rule == "apple/image")
        .expect("apple/image");
    // <channel> opens on line 4, column 3.
    assert_eq!((image.line, image.column), (4, 3));
    let path = fixtures().join("validate/rss-date.xml");
    let d = validate_feed(&std::fs::read(&path).expect("read"), "f");
    let date = d.iter().find(|d| d.rule == "rss/date").expect("rss/date");
    assert_eq!((date.line, date.column), (30, 7));
    assert_eq!(
        date.item.as_deref(),
        Some("2b0e5a3e-6d0a-4b44-9c1e-0d5d6b7f9a10")
    );
}

#[test]
fn positions_survive_a_byte_order_mark_and_crlf_line_ends() {
    let plain = std::fs::read_to_string(fixtures().join("validate/rss-date.xml")).expect("read");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(plain.replace('\n', "\r\n").as_bytes());
    let d = validate_feed(&bytes, "f");
    let date = d.iter().find(|d| d.rule == "rss/date").expect("rss/date");
    assert_eq!((date.line, date.column), (30, 7));
    assert_eq!(d.len(), 1, "{d:?}");
}

/// The error rule ids each real feed must produce, and nothing else at error level.
/// Why each one is a real defect: tests/fixtures/validate/REAL-FEEDS.md.
const REAL_FEEDS: &[(&str, &[&str])] = &[
    (
        "antennapod--feed-rss-testPodcastIndexTranscript.xml",
        &[
            "apple/at-least-one-item",
            "apple/category",
            "apple/explicit",
            "apple/image",
            "apple/language",
            "rss/channel-description",
            "rss/channel-link",
        ],
    ),
    ("feed-rs--rss_2.0_anchorfm.xml", &[]),
    ("feed-rs--rss_2.0_bbc.xml", &[]),
    ("feed-rs--rss_2.0_ch9.xml", &[]),
    ("feed-rs--rss_2.0_nightvale.xml", &[]),
    ("feed-rs--rss_2.0_spiegel.xml", &[]),
    ("feed-rs--rss_2.0_spreaker.xml", &[]),
    ("partytime--1865.xml", &[]),
    (
        "partytime--animated-no-agenda.xml",
        &["apple/category", "apple/language"],
    ),
    ("partytime--changing-the-tide.xml", &["rss/channel-link"]),
    ("partytime--dk-podcast.xml", &["apple/guid"]),
    ("partytime--homegrown-hits.xml", &[]),
    ("partytime--launched.xml", &[]),
    ("partytime--no-agenda.xml", &["xml/entity"]),
    ("partytime--pc20rss.xml", &[]),
    ("partytime--sentimental-garbage.xml", &["xml/well-formed"]),
    ("partytime--themnshow.xml", &["apple/explicit"]),
    (
        "podcastparser--episode_podcast_transcript.rss",
        &[
            "apple/category",
            "apple/explicit",
            "apple/guid",
            "apple/image",
            "apple/language",
            "apple/pubdate",
            "rss/channel-description",
            "rss/channel-link",
            "rss/enclosure-attributes",
            "rss/root",
            "xml/undeclared-prefix",
        ],
    ),
];

#[test]
fn real_feeds_report_exactly_their_known_defects_as_errors() {
    let dir = fixtures().join("real-feeds");
    let mut failures = Vec::new();
    for (name, want) in REAL_FEEDS {
        let bytes = std::fs::read(dir.join(name)).expect("read real feed");
        let started = Instant::now();
        let got: BTreeSet<&str> = validate_feed(&bytes, name)
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.rule)
            .collect();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} took {:?}",
            started.elapsed()
        );
        let want: BTreeSet<&str> = want.iter().copied().collect();
        if got != want {
            failures.push(format!("{name}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    let listed: BTreeSet<&str> = REAL_FEEDS.iter().map(|(n, _)| *n).collect();
    let on_disk = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml") || n.ends_with(".rss"))
        .count();
    assert_eq!(listed.len(), on_disk, "every real feed is listed");
}

#[test]
fn not_well_formed_real_feeds_fail_through_the_cli() {
    for name in [
        "partytime--no-agenda.xml",
        "partytime--sentimental-garbage.xml",
    ] {
        let path = fixtures().join("real-feeds").join(name);
        let (code, stdout, _) = mspod(&["validate", path.to_str().expect("path")]);
        assert_eq!(code, 1, "{name}: {stdout}");
    }
}

/// Runs the CLI on `input` (via stdin) with a time limit.
fn validate_stdin(input: &[u8], limit: Duration) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mspod"))
        .args(["validate", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let _ = writer.join();
            let mut out = String::new();
            child
                .stdout
                .take()
                .expect("stdout")
                .read_to_string(&mut out)
                .expect("read");
            return (status.code().unwrap_or(-1), out);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("validator did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn rules_in_json(out: &str) -> BTreeSet<String> {
    let v: serde_json::Value = serde_json::from_str(out).expect("json");
    v["feeds"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

#[test]
fn hostile_inputs_give_a_clear_error_quickly_and_never_expand_entities() {
    let laughs: String = (1..10)
        .map(|i| {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            format!("<!ENTITY lol{i} \"{}\">\n", format!("&{prev};").repeat(10))
        })
        .collect();
    let billion = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n{laughs}]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>\n"
    );
    let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<rss version=\"2.0\"><channel><title>&xxe;</title></channel></rss>\n";
    let deep = format!(
        "<rss version=\"2.0\"><channel>{}{}</channel></rss>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    let attribute = format!(
        "<rss version=\"2.0\"><channel><title a=\"{}\">t</title></channel></rss>",
        "x".repeat(1 << 20)
    );
    let utf8 = b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>\xc3\x28 \xff</title></channel></rss>\n".to_vec();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("billion laughs", billion.into_bytes(), "xml/entity"),
        (
            "external entity",
            external.as_bytes().to_vec(),
            "xml/entity",
        ),
        (
            "10,000-deep nesting",
            deep.into_bytes(),
            "rss/channel-title",
        ),
        ("1 MB attribute", attribute.into_bytes(), "rss/channel-link"),
        ("invalid UTF-8", utf8, "xml/encoding"),
    ];
    for (what, input, rule) in cases {
        let (code, out) = validate_stdin(&input, Duration::from_secs(20));
        assert_eq!(code, 1, "{what}: {out}");
        let rules = rules_in_json(&out);
        assert!(rules.contains(rule), "{what}: expected {rule} in {rules:?}");
        assert!(!out.contains("lollol"), "{what}: an entity was expanded");
        assert!(
            !out.contains("root:"),
            "{what}: an external entity was read"
        );
    }
}

#[test]
fn exit_codes_are_0_valid_1_errors_or_strict_warnings_2_could_not_validate() {
    let dir = fixtures().join("validate");
    let p = |n: &str| dir.join(n).to_str().expect("path").to_string();
    assert_eq!(mspod(&["validate", &p("valid-mspod.xml")]).0, 0);
    assert_eq!(mspod(&["validate", &p("rss-date.xml")]).0, 1);
    // A warning alone passes, and fails with --strict.
    assert_eq!(mspod(&["validate", &p("rss-atom-self.xml")]).0, 0);
    assert_eq!(
        mspod(&["validate", "--strict", &p("rss-atom-self.xml")]).0,
        1
    );
    // An info never fails.
    assert_eq!(
        mspod(&["validate", "--strict", &p("apple-deprecated.xml")]).0,
        0
    );
    let (code, _, stderr) = mspod(&["validate", &p("valid-mspod.xml"), "/nonexistent/feed.xml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/feed.xml"), "{stderr}");
    assert_eq!(mspod(&["validate"]).0, 2, "usage error");
    let (code, _, stderr) = mspod(&["validate", "http://127.0.0.1:9/feed.xml", "--timeout", "2"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("could not connect"), "{stderr}");
}

#[test]
fn json_output_follows_the_documented_schema() {
    let path = fixtures().join("validate/rss-guid-unique.xml");
    let (code, out, _) = mspod(&["validate", "--format", "json", path.to_str().expect("path")]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let feed = &v["feeds"][0];
    assert_eq!(feed["source"], path.to_str().expect("path"));
    let d = &feed["diagnostics"][0];
    assert_eq!(d["rule"], "rss/guid-unique");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 46);
    assert_eq!(d["column"], 7);
    assert_eq!(d["item"], "2b0e5a3e-6d0a-4b44-9c1e-0d5d6b7f9a10");
    assert!(d["message"].as_str().expect("message").contains("line 29"));
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn github_format_writes_workflow_annotations() {
    let path = fixtures().join("validate/rss-atom-self.xml");
    let (_, out, _) = mspod(&[
        "validate",
        "--format",
        "github",
        path.to_str().expect("path"),
    ]);
    let file = path
        .to_str()
        .expect("path")
        .replace(':', "%3A")
        .replace(',', "%2C");
    assert!(
        out.starts_with(&format!(
            "::warning file={file},line=4,col=3,title=rss/atom-self::<channel> has no <atom:link"
        )),
        "{out}"
    );
}

#[test]
fn text_output_is_plain_when_not_a_terminal_and_groups_by_item() {
    let path = fixtures().join("validate/apple-duration.xml");
    let (_, out, _) = mspod(&["validate", path.to_str().expect("path")]);
    assert!(!out.contains('\x1b'), "no colour codes when piped");
    assert!(
        out.contains(
            "  item 7c4f0d1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f:\n    49:7 warning [apple/duration]"
        ),
        "{out}"
    );
}

#[test]
fn stdin_and_several_feeds_in_one_call() {
    let good = std::fs::read(fixtures().join("validate/valid-mspod.xml")).expect("read");
    let (code, out) = validate_stdin(&good, Duration::from_secs(20));
    assert_eq!(code, 0, "{out}");
    let dir = fixtures().join("validate");
    let (code, out, _) = mspod(&[
        "validate",
        "--format",
        "json",
        dir.join("valid-mspod.xml").to_str().expect("p"),
        dir.join("apple-type.xml").to_str().expect("p"),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["feeds"].as_array().expect("feeds").len(), 2);
}

#[test]
fn rules_lists_the_catalogue() {
    let (code, out, _) = mspod(&["validate", "--rules"]);
    assert_eq!(code, 0);
    for r in RULES {
        assert!(out.contains(r.id), "{} missing from --rules", r.id);
    }
    let (_, json, _) = mspod(&["validate", "--rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["rules"].as_array().expect("rules").len(), RULES.len());
}

// --media

#[test]
fn media_cross_check_finds_files_by_url_suffix_and_compares_length() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The file for item 1 (length="12345678" in the feed) under <slug>/audio.mp3.
    std::fs::create_dir_all(dir.path().join("validating-feeds")).expect("mkdir");
    std::fs::write(
        dir.path().join("validating-feeds/audio.mp3"),
        vec![0u8; 1000],
    )
    .expect("write");
    let feed = std::fs::read(fixtures().join("validate/valid-mspod.xml")).expect("read");
    let d = check_media(&feed, dir.path());
    let length = d
        .iter()
        .find(|d| d.rule == "media/length")
        .expect("media/length");
    assert!(
        length.message.contains("length=\"12345678\"") && length.message.contains("1000 bytes"),
        "{}",
        length.message
    );
    assert_eq!(
        length.item.as_deref(),
        Some("2b0e5a3e-6d0a-4b44-9c1e-0d5d6b7f9a10")
    );
    // Item 2's file is absent.
    assert!(
        d.iter()
            .any(|d| d.rule == "media/missing-file" && d.line == 48)
    );
    // Whatever the prober says about 1000 zero bytes, it is a diagnostic, not a crash.
    assert!(d.iter().all(|d| d.rule.starts_with("media/")));
}

#[test]
fn media_flag_on_the_cli_adds_the_cross_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("audio.mp3"), vec![0u8; 2_048_000]).expect("write");
    let feed = fixtures().join("validate/valid-mspod.xml");
    let (code, out, _) = mspod(&[
        "validate",
        "--format",
        "json",
        "--media",
        dir.path().to_str().expect("p"),
        feed.to_str().expect("p"),
    ]);
    let rules = rules_in_json(&out);
    // Both items map to DIR/audio.mp3 by file name; only item 1's length differs.
    assert!(rules.contains("media/length"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let lengths: Vec<&serde_json::Value> = v["feeds"][0]["diagnostics"]
        .as_array()
        .expect("d")
        .iter()
        .filter(|d| d["rule"] == "media/length")
        .collect();
    assert_eq!(lengths.len(), 1, "{out}");
    assert_eq!(code, 1);
}

// --online, against a loopback server started here.

/// What the test server does for one path.
#[derive(Clone)]
enum Route {
    /// Serves `len` bytes with this Content-Type; `head` false answers 405 to HEAD;
    /// `ranges` false ignores Range headers.
    File {
        len: usize,
        ctype: &'static str,
        head: bool,
        ranges: bool,
    },
    Redirect(&'static str),
    Slow,
    Body(&'static str, Vec<u8>),
}

fn serve(routes: Vec<(&'static str, Route)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            std::thread::spawn(move || handle(stream, &routes));
        }
    });
    format!("http://{addr}")
}

fn handle(mut stream: TcpStream, routes: &[(&'static str, Route)]) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("range:") {
            range = Some(v.trim().to_string());
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");
    let route = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, r)| r.clone());
    let respond = |stream: &mut TcpStream, status: &str, headers: &[String], body: &[u8]| {
        let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    match route {
        None => respond(
            &mut stream,
            "404 Not Found",
            &["Content-Length: 0".into()],
            b"",
        ),
        Some(Route::Redirect(to)) => respond(
            &mut stream,
            "302 Found",
            &[format!("Location: {to}"), "Content-Length: 0".into()],
            b"",
        ),
        Some(Route::Slow) => std::thread::sleep(Duration::from_secs(5)),
        Some(Route::Body(ctype, body)) => {
            let headers = [
                format!("Content-Type: {ctype}"),
                format!("Content-Length: {}", body.len()),
            ];
            respond(
                &mut stream,
                "200 OK",
                &headers,
                if method == "HEAD" { b"" } else { &body },
            );
        }
        Some(Route::File {
            len,
            ctype,
            head,
            ranges,
        }) => {
            if method == "HEAD" && !head {
                respond(
                    &mut stream,
                    "405 Method Not Allowed",
                    &["Content-Length: 0".into()],
                    b"",
                );
                return;
            }
            let wanted = range.filter(|_| ranges).and_then(|r| {
                let spec = r.strip_prefix("bytes=")?;
                let (a, b) = spec.split_once('-')?;
                Some((
                    a.parse::<usize>().ok()?,
                    b.parse::<usize>().ok()?.min(len - 1),
                ))
            });
            match wanted {
                Some((a, b)) => {
                    let body = vec![0u8; b - a + 1];
                    let headers = [
                        format!("Content-Type: {ctype}"),
                        format!("Content-Length: {}", body.len()),
                        format!("Content-Range: bytes {a}-{b}/{len}"),
                    ];
                    respond(
                        &mut stream,
                        "206 Partial Content",
                        &headers,
                        if method == "HEAD" { b"" } else { &body },
                    );
                }
                None => {
                    let headers = [
                        format!("Content-Type: {ctype}"),
                        format!("Content-Length: {len}"),
                    ];
                    let body = vec![0u8; if method == "HEAD" { 0 } else { len }];
                    respond(&mut stream, "200 OK", &headers, &body);
                }
            }
        }
    }
}

fn png(width: u32, height: u32, colour_type: u8) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, colour_type, 0, 0, 0, 0, 0, 0, 0]);
    b
}

/// A two-item feed whose URLs point at the loopback server.
fn online_feed(base: &str, ep1: &str, ep2: &str, image: &str) -> String {
    let src = std::fs::read_to_string(fixtures().join("validate/valid-mspod.xml")).expect("read");
    src.replace(
        "https://cdn.example.com/validating-feeds/audio.mp3",
        &format!("{base}{ep1}"),
    )
    .replace(
        "https://cdn.example.com/hello-world/audio.mp3",
        &format!("{base}{ep2}"),
    )
    .replace("https://example.com/cover.jpg", &format!("{base}{image}"))
    .replace(
        "https://example.com/validating-feeds/chapters.json",
        &format!("{base}/chapters.json"),
    )
    .replace(
        "<podcast:contentLink",
        &format!("<podcast:transcript url=\"{base}/t.vtt\" type=\"text/vtt\"/>\n      <podcast:contentLink"),
    )
}

const VTT: &[u8] = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Jane>Hello.\n";

fn online_rules(feed: &str, extra: &[&str]) -> (i32, Vec<(String, i64)>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, feed).expect("write");
    let mut args = vec!["validate", "--online", "--format", "json", "--timeout", "2"];
    args.extend_from_slice(extra);
    args.push(path.to_str().expect("p"));
    let (code, out, err) = mspod(&args);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let rules = v["feeds"][0]["diagnostics"]
        .as_array()
        .expect("d")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("r").to_string(),
                d["line"].as_i64().expect("line"),
            )
        })
        // The loopback server speaks plain http, which podcast-namespace URLs must not.
        .filter(|(r, _)| r != "podcast/https")
        .collect();
    (code, rules)
}

/// Routes that serve the two episodes of the fixture feed exactly as declared, with
/// chapters and a transcript, plus `cover` as the artwork.
fn well_served(cover: &'static str, image: Vec<u8>) -> Vec<(&'static str, Route)> {
    let file = |len| Route::File {
        len,
        ctype: "audio/mpeg",
        head: true,
        ranges: true,
    };
    vec![
        ("/ep1.mp3", file(12_345_678)),
        ("/ep2.mp3", file(2_048_000)),
        (cover, Route::Body("image/png", image)),
        (
            "/chapters.json",
            Route::Body("application/json+chapters", CHAPTERS.to_vec()),
        ),
        ("/t.vtt", Route::Body("text/vtt", VTT.to_vec())),
    ]
}

const CHAPTERS: &[u8] = br#"{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":95.5},{"startTime":610,"title":"Outro"}]}"#;
/// Valid, but too few chapters for Spotify to show them.
const TWO_CHAPTERS: &[u8] =
    br#"{"version":"1.2.0","chapters":[{"startTime":0},{"startTime":95.5}]}"#;

#[test]
fn online_checks_pass_on_a_well_served_feed() {
    let base = serve(well_served("/cover.png", png(3000, 3000, 2)));
    let (code, rules) = online_rules(
        &online_feed(&base, "/ep1.mp3", "/ep2.mp3", "/cover.png"),
        &[],
    );
    // The artwork URL ends in .png, which the offline rules accept.
    assert_eq!(rules, vec![], "{rules:?}");
    assert_eq!(code, 0);
}

#[test]
fn online_checks_find_serving_problems() {
    let base = serve(vec![
        // Item 1: HEAD refused, wrong length, wrong type, no range support.
        (
            "/ep1.mp3",
            Route::File {
                len: 999,
                ctype: "application/octet-stream",
                head: false,
                ranges: false,
            },
        ),
        // Item 2: a redirect loop.
        ("/loop-a.mp3", Route::Redirect("/loop-b.mp3")),
        ("/loop-b.mp3", Route::Redirect("/loop-a.mp3")),
        // Artwork: too small, not square, greyscale.
        ("/cover.png", Route::Body("image/png", png(600, 400, 0))),
        (
            "/chapters.json",
            Route::Body("application/json", br#"{"chapters":[]}"#.to_vec()),
        ),
        (
            "/t.vtt",
            Route::Body("text/vtt", b"Hello, this is not WebVTT".to_vec()),
        ),
    ]);
    let (code, rules) = online_rules(
        &online_feed(&base, "/ep1.mp3", "/loop-a.mp3", "/cover.png"),
        &[],
    );
    let ids: BTreeSet<&str> = rules.iter().map(|(r, _)| r.as_str()).collect();
    let want = BTreeSet::from([
        "net/head-refused",
        "net/enclosure-length",
        "net/enclosure-type",
        "apple/byte-range",
        "net/enclosure-reachable",
        "apple/image-size",
        "apple/image-rgb",
        "net/chapters-file",
        "net/transcript-file",
    ]);
    assert_eq!(ids, want, "{rules:?}");
    assert!(
        rules.contains(&("net/enclosure-reachable".to_string(), 49)),
        "the loop is item 2's enclosure: {rules:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn online_checks_respect_timeouts_and_report_unreachable_hosts() {
    let base = serve(vec![
        ("/slow.mp3", Route::Slow),
        ("/ep2.mp3", Route::Redirect("http://127.0.0.1:9/ep2.mp3")),
        ("/cover.png", Route::Body("image/png", png(1400, 1400, 6))),
        (
            "/chapters.json",
            Route::Body("application/json+chapters", TWO_CHAPTERS.to_vec()),
        ),
        ("/t.vtt", Route::Body("text/vtt", VTT.to_vec())),
    ]);
    let started = Instant::now();
    let (_, rules) = online_rules(
        &online_feed(&base, "/slow.mp3", "/ep2.mp3", "/missing.png"),
        &[],
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        rules.contains(&("net/image-reachable".to_string(), 16)),
        "{rules:?}"
    );
    let reach: Vec<i64> = rules
        .iter()
        .filter(|(r, _)| r == "net/enclosure-reachable")
        .map(|(_, l)| *l)
        .collect();
    assert_eq!(reach, vec![31, 49], "{rules:?}");
    assert!(
        rules.contains(&("spotify/chapters".to_string(), 39)),
        "{rules:?}"
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let _ = validate_feed(&bytes, "fuzz.xml");
        }

        /// The valid feed with a slice replaced by markup-ish noise: every parser path
        /// (broken tags, entities, attributes, namespaces) without a crash.
        #[test]
        fn on_damaged_feeds(at in 0usize..3600, cut in 0usize..40, noise in "[<>&;=\"'/a-z: #\\]\\[!?\\x00-\\x1f\u{80}-\u{ff}\u{2028}\u{fffe}]{0,24}") {
            let base = std::fs::read(fixtures().join("validate/valid-podcast-tags.xml")).expect("read");
            let at = at.min(base.len());
            let end = (at + cut).min(base.len());
            let mut bytes = base[..at].to_vec();
            bytes.extend_from_slice(noise.as_bytes());
            bytes.extend_from_slice(&base[end..]);
            let _ = validate_feed(&bytes, "https://feeds.example.com/mspod/feed.xml");
        }
    }
}

#[test]
fn online_checks_flag_long_redirect_chains_and_give_up_after_ten() {
    let mut routes = vec![
        (
            "/ep.mp3",
            Route::File {
                len: 12_345_678,
                ctype: "audio/mpeg",
                head: true,
                ranges: true,
            },
        ),
        ("/cover.png", Route::Body("image/png", png(2000, 2000, 2))),
        (
            "/chapters.json",
            Route::Body("application/json+chapters", CHAPTERS.to_vec()),
        ),
        ("/t.vtt", Route::Body("text/vtt", VTT.to_vec())),
    ];
    // Item 1: six hops to the file. Item 2: twelve hops, more than the ten apps follow.
    let hops: &[(&'static str, &'static str)] = &[
        ("/r1", "/r2"),
        ("/r2", "/r3"),
        ("/r3", "/r4"),
        ("/r4", "/r5"),
        ("/r5", "/r6"),
        ("/r6", "/ep.mp3"),
        ("/s1", "/s2"),
        ("/s2", "/s3"),
        ("/s3", "/s4"),
        ("/s4", "/s5"),
        ("/s5", "/s6"),
        ("/s6", "/s7"),
        ("/s7", "/s8"),
        ("/s8", "/s9"),
        ("/s9", "/s10"),
        ("/s10", "/s11"),
        ("/s11", "/s12"),
        ("/s12", "/ep.mp3"),
    ];
    routes.extend(hops.iter().map(|(from, to)| (*from, Route::Redirect(to))));
    let base = serve(routes);
    let (_, rules) = online_rules(&online_feed(&base, "/r1", "/s1", "/cover.png"), &[]);
    assert_eq!(
        rules,
        vec![
            ("net/redirects".to_string(), 31),
            ("net/enclosure-reachable".to_string(), 49)
        ],
        "{rules:?}"
    );
}

#[test]
fn online_budget_stops_the_checks_and_says_so() {
    // Five slow jobs for four workers: the fifth starts after the budget is spent.
    let base = serve(vec![
        ("/slow1", Route::Slow),
        ("/slow2", Route::Slow),
        ("/slow3", Route::Slow),
        ("/chapters.json", Route::Slow),
        ("/t.vtt", Route::Slow),
    ]);
    let feed = online_feed(&base, "/slow1", "/slow2", "/slow3");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, feed).expect("write");
    let started = Instant::now();
    let (_, _, stderr) = mspod(&[
        "validate",
        "--online",
        "--timeout",
        "3",
        "--budget",
        "1",
        path.to_str().expect("p"),
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "took {:?}",
        started.elapsed()
    );
    assert!(stderr.contains("--budget ran out"), "{stderr}");
}

#[test]
fn a_feed_url_is_fetched_and_its_url_drives_the_podcast_guid_check() {
    let feed = std::fs::read(fixtures().join("validate/valid-mspod.xml")).expect("read");
    let base = serve(vec![(
        "/feed.xml",
        Route::Body("application/rss+xml", feed),
    )]);
    let (code, out, err) = mspod(&["validate", "--format", "json", &format!("{base}/feed.xml")]);
    assert_eq!(code, 0, "{out}{err}");
    // The guid was derived from https://feeds.example.com/mspod/feed.xml, not this URL.
    assert_eq!(
        rules_in_json(&out),
        BTreeSet::from(["podcast/guid-derivation".to_string()])
    );
    let html = std::fs::read(fixtures().join("validate/valid-mspod.xml")).expect("read");
    let base2 = serve(vec![(
        "/feed",
        Route::Body("text/html; charset=utf-8", html),
    )]);
    let (_, out, _) = mspod(&["validate", "--format", "json", &format!("{base2}/feed")]);
    assert!(
        rules_in_json(&out).contains("net/feed-content-type"),
        "{out}"
    );
    let (code, _, err) = mspod(&["validate", &format!("{base}/missing.xml")]);
    assert_eq!(code, 2);
    assert!(err.contains("HTTP 404"), "{err}");
}

#[test]
fn online_artwork_must_be_what_its_extension_says() {
    // A PNG served under a .jpg name.
    let base = serve(well_served("/cover.jpg", png(1400, 1400, 2)));
    let (code, rules) = online_rules(
        &online_feed(&base, "/ep1.mp3", "/ep2.mp3", "/cover.jpg"),
        &[],
    );
    assert_eq!(
        rules,
        vec![("apple/image-format".to_string(), 16)],
        "{rules:?}"
    );
    assert_eq!(code, 1);
}

/// A 1-second, 8 kHz, mono, 16-bit PCM WAV file, written by hand so no tool is needed.
fn one_second_wav() -> Vec<u8> {
    let samples = 8000u32;
    let data_len = samples * 2;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes()); // bytes per second
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    b.resize(b.len() + data_len as usize, 0);
    b
}

#[test]
fn media_cross_check_compares_type_and_duration_or_reports_an_unreadable_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wav = one_second_wav();
    std::fs::create_dir_all(dir.path().join("hello-world")).expect("mkdir");
    let path = dir.path().join("hello-world/audio.mp3");
    std::fs::write(&path, &wav).expect("write");
    // Item 2 declares length 2048000, type audio/mpeg and 128 s; the file is a 1 s WAV.
    let feed = std::fs::read(fixtures().join("validate/valid-mspod.xml")).expect("read");
    let d: Vec<_> = check_media(&feed, dir.path())
        .into_iter()
        .filter(|d| d.line >= 42)
        .collect();
    let rules: BTreeSet<&str> = d.iter().map(|d| d.rule).collect();
    match mspod::media::probe(&path) {
        // With a working prober: the WAV is not audio/mpeg and lasts 1 s, not 128 s.
        Ok(info) => {
            assert!(
                (info.duration - 1.0).abs() < 0.01,
                "prober says {}",
                info.duration
            );
            assert_eq!(
                rules,
                BTreeSet::from(["media/length", "media/type", "media/duration"]),
                "{d:?}"
            );
        }
        // Without one, the size is still compared and the rest is a warning, not a crash.
        Err(_) => assert_eq!(
            rules,
            BTreeSet::from(["media/length", "media/probe-failed"]),
            "{d:?}"
        ),
    }
}
