//! What mspod promises about text and links it did not write itself: articles
//! (local or fetched from the web), chapter titles and URLs from a manifest or
//! an audio file's tags, and the servers it talks to. One test per attack; each
//! one failed before the defence it checks was built.

mod support;

use pulldown_cmark::{Event, Options, Parser, Tag};
use std::collections::BTreeSet;
use support::Show;

/// An article written to attack every place its text reaches: the title, a
/// heading, a FAQ question, a reference, a link, with HTML that was escaped in
/// the source (so the parser decodes it to real `<`), bidi overrides and
/// terminal escape sequences.
const HOSTILE_ARTICLE: &str = r#"<!doctype html>
<html><head><title>t</title>
<link rel="canonical" href="https://example.org/blog/welcome/">
</head><body><article>
<h1>&lt;script&gt;alert(1)&lt;/script&gt; Title &lt;!-- end</h1>
<h2>Quick answer</h2>
<p>Summary &lt;img src=x onerror=alert(1)&gt; with <a href="javascript:alert(1)">a bad link</a>, <a href="JaVaScRiPt&#x3a;alert(2)">another</a>, <a href="data:text/html,x">data</a> and <a href="/ok">a good one</a>. Abc&#x202E;evil&#x202C; and &#x1b;[31mred.</p>
<p>1. not a list</p>
<p>- nor this</p>
<h2>&lt;iframe src=//evil.example&gt; Section</h2>
<p>[click](javascript:alert(3)) and ![img](x) and <b>&lt;a href="javascript:alert(4)"&gt;x&lt;/a&gt;</b></p>
<h2>Key takeaways</h2>
<ul><li>&lt;svg onload=alert(5)&gt; takeaway</li></ul>
<h2>Frequently asked questions</h2>
<h3>&lt;script&gt;alert(6)&lt;/script&gt; question?</h3>
<p>Answer &amp;lt;b&amp;gt; &lt;/p&gt;.</p>
<h2>References</h2>
<ul><li>&lt;a href=javascript:alert(7)&gt;Ref&lt;/a&gt; (2024). <a href="javascript:alert(8)">link</a></li></ul>
</article></body></html>
"#;

/// A show whose one episode uses [`HOSTILE_ARTICLE`] and hostile manifest chapters.
fn hostile_show() -> Show {
    let show = Show::init();
    show.write("episodes/welcome/article.html", HOSTILE_ARTICLE);
    show.set(
        "episodes/welcome/episode.toml",
        "article",
        "article = \"article.html\"",
    );
    show.edit("episodes/welcome/episode.toml", |t| {
        t + r#"
[[chapters]]
start = "0:00"
title = "<script>alert(9)</script> Intro \u202Eevil"
url = "javascript:alert(10)"

[[chapters]]
start = "0:10"
title = "Data ](javascript:alert(11)) [x"
url = "data:text/html;base64,PHNjcmlwdD4="

[[chapters]]
start = "0:20"
title = "Fine"
url = "/blog/welcome/#fine"
"#
    });
    show.publish(&[]).expect_code(0);
    show
}

fn notes(show: &Show, file: &str) -> String {
    show.read(&format!("feeds/welcome/{file}"))
}

/// Element names in some HTML, as a browser parses it.
fn elements(html: &str) -> BTreeSet<String> {
    let doc = scraper::Html::parse_document(html);
    doc.tree
        .values()
        .filter_map(|n| n.as_element().map(|e| e.name().to_string()))
        .collect()
}

/// Every attribute name and value in some HTML, as a browser parses it.
fn attributes(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    doc.tree
        .values()
        .filter_map(|n| n.as_element())
        .flat_map(|e| e.attrs().map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

fn assert_no_script_links(what: &str, urls: &[String]) {
    for u in urls {
        let lower = u.to_ascii_lowercase();
        // mspod's own navigation: a fragment on the page, or a sibling page of the site.
        let own = lower.starts_with('#')
            || (lower.starts_with("../") && lower.ends_with(".html") && !lower.contains(':'));
        assert!(
            own || lower.starts_with("https://")
                || lower.starts_with("http://")
                || lower.starts_with("mailto:")
                || lower.starts_with("tel:"),
            "{what}: link {u:?} is not http(s)"
        );
    }
}

#[test]
fn markdown_notes_render_to_no_element_mspod_did_not_write() {
    let show = hostile_show();
    let md = notes(&show, "show-notes.md");
    let mut urls = Vec::new();
    let mut raw_html = Vec::new();
    // As Jekyll, Hugo and Astro read it: the YAML front matter is metadata, not text.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for event in Parser::new_ext(&md, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => raw_html.push(h.to_string()),
            Event::Start(Tag::Link { dest_url, .. }) => urls.push(dest_url.to_string()),
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("the notes show an image from {dest_url}")
            }
            _ => {}
        }
    }
    assert!(
        raw_html.is_empty(),
        "raw HTML in the .md: {raw_html:?}\n{md}"
    );
    assert_no_script_links("show-notes.md", &urls);

    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, options));
    let allowed: BTreeSet<&str> = [
        "html",
        "head",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "em",
        "strong",
        "a",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "blockquote",
    ]
    .into();
    for e in elements(&html) {
        assert!(allowed.contains(e.as_str()), "unexpected <{e}> in\n{html}");
    }
    for (name, _) in attributes(&html) {
        assert!(
            matches!(name.as_str(), "href" | "start" | "title"),
            "unexpected attribute {name} in\n{html}"
        );
    }
    // The words survive as words.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Title"));
    assert!(html.contains("<h3>&lt;script&gt;alert(6)&lt;/script&gt; question?</h3>"));
    // "1. not a list" stays a paragraph.
    assert!(html.contains("<p>1. not a list</p>"), "{html}");
    assert!(html.contains("<p>- nor this</p>"), "{html}");
}

#[test]
fn html_notes_carry_only_mspods_own_elements_and_scripts() {
    let show = hostile_show();
    let html = notes(&show, "show-notes.html");
    let doc = scraper::Html::parse_document(&html);
    let scripts: Vec<String> = doc
        .select(&scraper::Selector::parse("script").expect("selector"))
        .map(|s| s.attr("type").unwrap_or("").to_string())
        .collect();
    // mspod's own two: the JSON-LD and the player script.
    assert_eq!(scripts, ["application/ld+json", ""], "{html}");
    for e in elements(&html) {
        assert!(
            !matches!(e.as_str(), "iframe" | "svg" | "object" | "embed"),
            "<{e}> in the notes"
        );
    }
    // The only pictures are mspod's own: the show's cover (artwork is published under
    // `media_base_url`), never one from the article.
    let doc = scraper::Html::parse_document(&html);
    for img in doc.select(&scraper::Selector::parse("img").expect("selector")) {
        let src = img.attr("src").unwrap_or("");
        assert!(
            src.starts_with("https://media.example.org/podcast/"),
            "<img src={src}> in the notes"
        );
    }
    for (name, value) in attributes(&html) {
        assert!(!name.starts_with("on"), "event handler {name}={value:?}");
        if name == "href" || name == "src" {
            assert_no_script_links("show-notes.html", &[value]);
        }
    }
}

#[test]
fn chapter_urls_with_script_schemes_are_dropped_everywhere_with_a_warning() {
    let show = Show::init();
    show.edit("episodes/welcome/episode.toml", |t| {
        t + "\n[[chapters]]\nstart = \"0:00\"\ntitle = \"One\"\nurl = \"javascript:alert(1)\"\n\
             \n[[chapters]]\nstart = \"0:10\"\ntitle = \"Two\"\nurl = \" VBScript:msgbox(1)\"\n\
             \n[[chapters]]\nstart = \"0:20\"\ntitle = \"Three\"\nurl = \"/blog/welcome/#three\"\n"
    });
    let run = show.publish(&[]);
    run.expect_code(0)
        .stderr_has("chapter 1 \"One\": link `javascript:alert(1)` left out")
        .stderr_has("chapter 2 \"Two\"");
    for file in [
        "show-notes.html",
        "show-notes.md",
        "chapters.json",
        "youtube-description.txt",
    ] {
        let text = notes(&show, file).to_ascii_lowercase();
        assert!(!text.contains("javascript:"), "{file}");
        assert!(!text.contains("vbscript:"), "{file}");
    }
    let feed = show.read("feeds/podcast.xml").to_ascii_lowercase();
    assert!(!feed.contains("javascript:") && !feed.contains("vbscript:"));
    // A relative chapter link is resolved against the article.
    let chapters: serde_json::Value =
        serde_json::from_str(&notes(&show, "chapters.json")).expect("json");
    assert_eq!(
        chapters["chapters"][2]["url"],
        "https://example.org/blog/welcome/#three"
    );
    assert!(chapters["chapters"][0].get("url").is_none());
}

#[test]
fn id3_chapter_links_go_through_the_same_policy() {
    // CHAP frames with WXXX links, as a contributed audio file can carry them.
    let show = Show::init();
    let audio = show.file("episodes/welcome/audio.mp3");
    let mut tag = id3::Tag::read_from_path(&audio).unwrap_or_default();
    for (n, (url, title)) in [
        ("javascript:alert(1)", "Bad"),
        ("https://example.org/good", "Good"),
    ]
    .iter()
    .enumerate()
    {
        let mut chap = id3::frame::Chapter {
            element_id: format!("ch{n}"),
            start_time: n as u32 * 1000,
            end_time: (n as u32 + 1) * 1000,
            start_offset: u32::MAX,
            end_offset: u32::MAX,
            frames: Vec::new(),
        };
        chap.frames.push(id3::Frame::text("TIT2", *title));
        chap.frames.push(id3::Frame::with_content(
            "WXXX",
            id3::Content::ExtendedLink(id3::frame::ExtendedLink {
                description: String::new(),
                link: url.to_string(),
            }),
        ));
        id3::TagLike::add_frame(&mut tag, chap);
    }
    tag.write_to_path(&audio, id3::Version::Id3v24)
        .expect("write the tag");
    let run = show.publish(&[]);
    run.expect_code(0)
        .stderr_has("\"Bad\": link `javascript:alert(1)` left out");
    for file in ["show-notes.html", "show-notes.md", "chapters.json"] {
        let text = notes(&show, file);
        assert!(!text.contains("javascript:"), "{file}");
        assert!(text.contains("https://example.org/good"), "{file}");
    }
}

#[test]
fn json_ld_escapes_every_angle_bracket_and_ampersand() {
    let show = hostile_show();
    let html = notes(&show, "show-notes.html");
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("end of script");
    let json = &html[start..end];
    assert!(
        !json.contains('<') && !json.contains('>') && !json.contains('&'),
        "{json}"
    );
    let value: serde_json::Value = serde_json::from_str(json).expect("still JSON");
    assert!(
        value["name"]
            .as_str()
            .is_some_and(|n| n.contains("<!-- end"))
    );
}

#[test]
fn control_characters_and_bidi_overrides_reach_no_output() {
    let show = hostile_show();
    for file in [
        "show-notes.html",
        "show-notes.md",
        "youtube-description.txt",
        "chapters.json",
    ] {
        let text = notes(&show, file);
        // chapters.json is parsed, so an escaped control (\u001b) counts too.
        let decoded = if file.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .expect("json")
                .to_string()
        } else {
            text.clone()
        };
        for c in text.chars().chain(decoded.chars()) {
            assert!(
                !(c.is_control() && c != '\n' && c != '\t'),
                "{file} has U+{:04X}",
                c as u32
            );
            assert!(
                !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
                "{file} has the bidi mark U+{:04X}",
                c as u32
            );
        }
        assert!(
            !text.contains("\\u001b") && !text.contains("\\u202e"),
            "{file}"
        );
    }
    let feed = show.read("feeds/podcast.xml");
    assert!(!feed.contains('\u{202E}') && !feed.contains('\u{1b}'));
}

#[test]
fn the_validator_reads_handlers_and_tags_only_where_a_browser_would() {
    // An href value that contains ` onmouseover=` and text that shows escaped
    // markup (`&lt;img src=x&gt;`) are not HTML: these fixtures must be clean.
    let dir = support::fixture("validate");
    for name in [
        "valid-handler-inside-escaped-href.xml",
        "valid-escaped-markup-as-text.xml",
    ] {
        let path = dir.join(name);
        let run = support::mspod(&dir, &["validate", path.to_str().unwrap_or_default()]);
        run.expect_code(0);
        for rule in [
            "rss/html-unsafe",
            "rss/double-escaped",
            "rss/relative-url-in-html",
        ] {
            assert!(
                !run.stdout.contains(rule) && !run.stderr.contains(rule),
                "{name}: {rule}\n{}",
                run.stdout
            );
        }
    }
    // And the feed mspod writes for the hostile article validates with no such warning.
    let show = hostile_show();
    let run = support::mspod(show.path(), &["validate", "feeds/podcast.xml"]);
    for rule in [
        "rss/html-unsafe",
        "rss/double-escaped",
        "rss/relative-url-in-html",
    ] {
        assert!(!run.stdout.contains(rule), "{rule}\n{}", run.stdout);
    }
}

/// A loopback server that answers every request at once with `content_type` and
/// a 100 kB Content-Length, then sends the body one byte a second: no read ever
/// waits long, so only a total deadline ends the download.
fn drip_server(content_type: &'static str) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(match stream.try_clone() {
                    Ok(s) => s,
                    Err(_) => return,
                });
                let mut head = false;
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    head |= line.starts_with("HEAD ");
                    if line == "\r\n" {
                        break;
                    }
                    line.clear();
                }
                let mut stream = stream;
                let header = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: 100000\r\nAccept-Ranges: bytes\r\n\r\n"
                );
                if stream.write_all(header.as_bytes()).is_err() || head {
                    return;
                }
                // Stops when the client hangs up.
                while stream.write_all(b"<").and_then(|()| stream.flush()).is_ok() {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                }
            });
        }
    });
    format!("http://{addr}")
}

/// Runs mspod and returns the run and how long it took.
fn timed(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (support::Run, f64) {
    let start = std::time::Instant::now();
    let run = support::mspod_env(dir, args, env);
    (run, start.elapsed().as_secs_f64())
}

#[test]
fn validate_of_a_dripping_feed_url_ends_at_its_timeout() {
    let base = drip_server("application/rss+xml");
    let dir = tempfile::tempdir().expect("tmp");
    let url = format!("{base}/feed.xml");
    let (run, secs) = timed(dir.path(), &["validate", "--timeout", "2", &url], &[]);
    run.expect_code(2).stderr_has("timed out");
    assert!(secs < 6.0, "took {secs:.1} s");
}

#[test]
fn online_checks_of_a_dripping_host_end_at_the_timeout() {
    let base = drip_server("image/jpeg");
    let dir = tempfile::tempdir().expect("tmp");
    let feed = std::fs::read_to_string(support::fixture("validate/valid-mspod.xml"))
        .expect("fixture")
        .replace(
            "https://example.com/cover.jpg",
            &format!("{base}/cover.jpg"),
        )
        .replace("https://cdn.example.com", &base)
        .replace("https://example.com/validating-feeds", &base);
    std::fs::write(dir.path().join("feed.xml"), feed).expect("write");
    let (run, secs) = timed(
        dir.path(),
        &["validate", "--online", "--timeout", "2", "feed.xml"],
        &[],
    );
    assert!(
        run.stdout.contains("timed out") || run.stderr.contains("timed out"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(secs < 8.0, "took {secs:.1} s");
}

#[test]
fn import_of_a_dripping_feed_ends_at_the_timeout() {
    let base = drip_server("application/rss+xml");
    let show = Show::init();
    let url = format!("{base}/feed.xml");
    let (run, secs) = timed(
        show.path(),
        &["import", &url],
        &[("MSPOD_HTTP_TIMEOUT_MS", "2000")],
    );
    run.expect_code(2).stderr_has("timed out");
    assert!(secs < 6.0, "took {secs:.1} s");
}

#[test]
fn new_with_a_dripping_article_url_ends_within_the_budget() {
    let base = drip_server("text/html");
    let show = Show::init();
    let url = format!("{base}/article.html");
    let audio = show.file("episodes/welcome/audio.mp3");
    let (run, secs) = timed(
        show.path(),
        &[
            "new",
            "--article",
            &url,
            "--audio",
            audio.to_str().unwrap_or_default(),
            "slow",
        ],
        // Three tries of 2 s each would take 6 s; the budget stops them at 3 s.
        &[
            ("MSPOD_HTTP_TIMEOUT_MS", "2000"),
            ("MSPOD_HTTP_BUDGET_MS", "3000"),
        ],
    );
    run.expect_code(2).stderr_has("timed out");
    assert!(secs < 6.0, "took {secs:.1} s");
}

#[test]
fn pair_with_a_dripping_video_feed_ends_within_the_budget() {
    let base = drip_server("application/atom+xml");
    let show = Show::init();
    let url = format!("{base}/feeds/videos.xml?channel_id=UC0000000000000000000000");
    let (run, secs) = timed(
        show.path(),
        &[
            "pair",
            "--articles",
            "episodes/welcome",
            "--audio",
            "episodes/welcome",
            "--videos",
            &url,
            "--dry-run",
        ],
        &[
            ("MSPOD_HTTP_TIMEOUT_MS", "2000"),
            ("MSPOD_HTTP_BUDGET_MS", "3000"),
        ],
    );
    assert!(
        run.stderr.contains("timed out") || run.stdout.contains("timed out"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(secs < 6.0, "took {secs:.1} s");
}

/// [`HOSTILE_ARTICLE`]'s shape, in Windows-1252 with curly quotes and accents.
fn latin1_html(meta: &str) -> Vec<u8> {
    let mut bytes =
        format!("<!doctype html><html><head>{meta}<title>t</title></head><body><article><h1>Caf")
            .into_bytes();
    bytes.extend_from_slice(b"\xe9 \x93cr\xe8me\x94</h1><h2>Quick answer</h2><p>Na\xefve r\xe9sum\xe9.</p></article></body></html>");
    bytes
}

#[test]
fn a_windows_1252_article_is_read_by_its_meta_charset() {
    let show = Show::init();
    std::fs::write(
        show.file("episodes/welcome/article.html"),
        latin1_html("<meta charset=\"windows-1252\">"),
    )
    .expect("write");
    show.set(
        "episodes/welcome/episode.toml",
        "article",
        "article = \"article.html\"",
    );
    show.publish(&[]).expect_code(0);
    let md = notes(&show, "show-notes.md");
    assert!(md.contains("\n# Café \u{201C}crème\u{201D}\n"), "{md}");
    assert!(md.contains("Naïve résumé."), "{md}");
}

#[test]
fn a_latin1_markdown_article_is_read_by_its_front_matter() {
    let show = Show::init();
    let path = show.file("episodes/welcome/article.md");
    let text = std::fs::read(&path).expect("read");
    let mut bytes = b"---\ncharset: iso-8859-1\n".to_vec();
    bytes.extend_from_slice(&text[4..]);
    bytes.extend_from_slice(b"\nCaf\xe9 au lait.\n");
    std::fs::write(&path, bytes).expect("write");
    show.publish(&[]).expect_code(0);
}

#[test]
fn an_undeclared_non_utf8_article_is_an_error_naming_the_byte() {
    let show = Show::init();
    let bytes = latin1_html("");
    let first = bytes.iter().position(|&b| b == 0xE9).unwrap_or_default();
    std::fs::write(show.file("episodes/welcome/article.html"), bytes).expect("write");
    show.set(
        "episodes/welcome/episode.toml",
        "article",
        "article = \"article.html\"",
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("article.html")
        .stderr_has(&format!("byte {first} is 0xE9"));
}

#[test]
fn a_fetched_page_is_decoded_by_the_servers_charset_and_saved_as_utf8() {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let body = latin1_html("");
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    let show = Show::init();
    let audio = show.file("episodes/welcome/audio.mp3");
    support::mspod(
        show.path(),
        &[
            "new",
            "--article",
            &format!("http://{addr}/cafe"),
            "--audio",
            audio.to_str().unwrap_or_default(),
            "--published",
            "2026-02-01T09:00:00Z",
            "cafe",
        ],
    )
    .expect_code(0);
    let saved = show.read("episodes/cafe/article.html");
    assert!(saved.contains("Café \u{201C}crème\u{201D}"), "{saved}");
}

#[test]
fn terminal_output_carries_no_control_or_bidi_character_from_a_feed() {
    // XML allows C1 controls (U+009B is a terminal's CSI) and bidi overrides in text;
    // the validator quotes titles in its messages and item labels.
    let dir = tempfile::tempdir().expect("tmp");
    let feed = std::fs::read_to_string(support::fixture("validate/valid-mspod.xml"))
        .expect("fixture")
        .replace(
            "<title>Hello, world</title>",
            "<title>&lt;b&gt;Hi\u{9b}31m \u{202E}gnp.exe&lt;/b&gt;</title>",
        );
    std::fs::write(dir.path().join("feed.xml"), feed).expect("write");
    for format in ["text", "github"] {
        let run = support::mspod(dir.path(), &["validate", "--format", format, "feed.xml"]);
        run.stdout_has("rss/html-in-text");
        for c in run.stdout.chars().chain(run.stderr.chars()) {
            let unwanted = (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            assert!(!unwanted, "{format}: U+{:04X} in\n{}", c as u32, run.stdout);
        }
    }
}
