//! Validation one item at a time: a feed split at each channel-level `<item` … `</item>`,
//! each item checked on its own (`check_item_in`) and the feed-level rules run from the
//! head, the tail and the items' facts (`check_feed`), reports exactly what
//! `validate_feed` reports on the whole feed — same diagnostics, positions, order, caps
//! and summaries — for every feed the tests have and for generated edge cases.

use mspod::validate::media::{check_item_media, check_media_with, combine_item_media};
use mspod::validate::{
    Diagnostic, ItemCheck, ItemFacts, ItemScope, check_feed, check_item, check_item_in,
    item_starts, validate_feed,
};
use std::path::{Path, PathBuf};

/// A feed cut into the bytes before its first item, each channel-level item (byte
/// range) and the bytes after the last.
struct Split<'a> {
    head: &'a [u8],
    items: Vec<&'a [u8]>,
    tail: &'a [u8],
    /// (line, column) of each item's `<`.
    starts: Vec<(usize, usize)>,
}

/// Line and column (1-based, bytes) of each offset (ascending), in one pass.
fn positions(bytes: &[u8], offsets: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let (mut line, mut line_start, mut from) = (1, 0, 0);
    offsets
        .map(|offset| {
            for (i, b) in bytes[from..offset].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    line_start = from + i + 1;
                }
            }
            from = offset;
            (line, offset - line_start + 1)
        })
        .collect()
}

/// Splits at the items of `<rss><channel>`; None if the feed cannot be read that far, or
/// something other than whitespace sits between two items.
fn split(bytes: &[u8]) -> Result<Split<'_>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    loop {
        let start = reader.buffer_position() as usize;
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not splittable: {e}"))?;
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                if depth == 2 && e.name().0 == "item" {
                    open = Some(start);
                }
                depth += 1;
            }
            Event::Empty(e) if depth == 2 && e.name().0 == "item" => ranges.push((start, end)),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 2
                    && let Some(s) = open.take()
                {
                    ranges.push((s, end));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
        return Err("no items".into());
    };
    for pair in ranges.windows(2) {
        if !bytes[pair[0].1..pair[1].0]
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            return Err("something other than whitespace between two items".into());
        }
    }
    Ok(Split {
        head: &bytes[..first.0],
        tail: &bytes[last.1..],
        items: ranges.iter().map(|(s, e)| &bytes[*s..*e]).collect(),
        starts: positions(bytes, ranges.iter().map(|(s, _)| *s)),
    })
}

/// What the per-item path reports on a split feed, items checked in `scope`.
fn per_item(bytes: &[u8], split: &Split<'_>, scope: &ItemScope, source: &str) -> Vec<Diagnostic> {
    let checks: Vec<ItemCheck> = split
        .items
        .iter()
        .map(|item| check_item_in(item, scope))
        .collect();
    let items: Vec<(usize, usize, &ItemCheck)> = split
        .starts
        .iter()
        .zip(&checks)
        .map(|((l, c), check)| (*l, *c, check))
        .collect();
    check_feed(split.head, split.tail, &items, bytes.len() as u64, source)
}

/// Splits a generated feed by its bytes alone (items are `<item>…</item>`, not nested):
/// for feeds an XML reader refuses, such as invalid UTF-8.
fn split_plain(bytes: &[u8]) -> Option<Split<'_>> {
    let find = |from: usize, what: &[u8]| {
        bytes[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|p| from + p)
    };
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(s) = find(from, b"<item>") {
        let e = find(s, b"</item>")? + b"</item>".len();
        ranges.push((s, e));
        from = e;
    }
    Some(Split {
        head: &bytes[..ranges.first()?.0],
        tail: &bytes[ranges.last()?.1..],
        items: ranges.iter().map(|(s, e)| &bytes[*s..*e]).collect(),
        starts: positions(bytes, ranges.iter().map(|(s, _)| *s)),
    })
}

/// Both paths agree on this feed, with a file name and with an http(s) URL as its source
/// (the podcast:guid derivation depends on it); the diagnostics survive a JSON round trip.
fn assert_same(name: &str, bytes: &[u8]) -> Result<usize, String> {
    match split(bytes) {
        Ok(s) => assert_same_split(name, bytes, s),
        // Not readable as XML (invalid UTF-8): items found by their bytes.
        Err(why) => assert_same_split(name, bytes, split_plain(bytes).ok_or(why)?),
    }
}

fn assert_same_split(name: &str, bytes: &[u8], split: Split<'_>) -> Result<usize, String> {
    let scope = ItemScope::from_head(split.head);
    for source in [name, "https://example.com/feeds/podcast.xml"] {
        let whole = validate_feed(bytes, source);
        let pieces = per_item(bytes, &split, &scope, source);
        if whole != pieces {
            let show = |v: &[Diagnostic]| {
                v.iter()
                    .map(|d| format!("{}:{} {} {}\n", d.line, d.column, d.rule, d.message))
                    .collect::<String>()
            };
            panic!(
                "{name} (source {source}): per-item validation differs\n--- whole feed ---\n{}--- per item ---\n{}",
                show(&whole),
                show(&pieces)
            );
        }
    }
    // What a publisher caches comes back the same.
    for item in &split.items {
        let check = check_item_in(item, &scope);
        let json = serde_json::to_string(&check).expect("serialize");
        let back: ItemCheck = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, check, "{name}: ItemCheck JSON round trip");
    }
    Ok(split.items.len())
}

fn feeds_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            feeds_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml" || x == "rss") {
            out.push(p);
        }
    }
}

#[test]
fn every_fixture_feed_with_items_validates_the_same_item_by_item() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("feeds/podcast.xml")];
    feeds_under(&root.join("tests/fixtures"), &mut paths);
    let (mut feeds, mut items, mut skipped) = (0, 0, Vec::new());
    for path in &paths {
        let bytes = std::fs::read(path).expect("read fixture");
        if !bytes.windows(5).any(|w| w == b"<item") {
            continue;
        }
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        match assert_same(&name, &bytes) {
            Ok(n) => {
                feeds += 1;
                items += n;
            }
            Err(why) => skipped.push(format!("{name}: {why}")),
        }
    }
    println!("{feeds} feeds, {items} items checked item by item; not splittable: {skipped:#?}");
    assert!(feeds >= 100, "only {feeds} fixture feeds were compared");
    // Only feeds that are broken before or around their items cannot be split.
    assert!(skipped.len() <= 10, "too many feeds skipped: {skipped:#?}");
}

#[test]
fn the_writers_items_need_no_scope_from_the_feed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join("feeds/podcast.xml")).expect("sample feed");
    let split = split(&bytes).expect("split the sample feed");
    // The writer declares exactly the namespaces `check_item` assumes (mspod::ns::WRITER).
    assert_eq!(ItemScope::from_head(split.head), ItemScope::writer());
    let checks: Vec<ItemCheck> = split.items.iter().map(|i| check_item(i)).collect();
    let items: Vec<(usize, usize, &ItemCheck)> = split
        .starts
        .iter()
        .zip(&checks)
        .map(|((l, c), check)| (*l, *c, check))
        .collect();
    assert_eq!(
        check_feed(
            split.head,
            split.tail,
            &items,
            bytes.len() as u64,
            "podcast.xml"
        ),
        validate_feed(&bytes, "podcast.xml")
    );
    // The writer separates items by a newline and their indentation: their positions
    // follow from the head and the items' facts.
    let facts: Vec<&ItemFacts> = checks.iter().map(|c| &c.facts).collect();
    assert_eq!(item_starts(split.head, &facts, b"\n    "), split.starts);
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Generated</title>
<link>https://example.com/</link>
<description>A generated show.</description>
<language>en</language>
<itunes:author>Someone</itunes:author>
<itunes:explicit>false</itunes:explicit>
<itunes:image href="https://example.com/art.jpg"/>
<itunes:category text="Education"/>
<itunes:owner><itunes:name>Someone</itunes:name><itunes:email>a@example.com</itunes:email></itunes:owner>
<atom:link href="https://example.com/feed.xml" rel="self" type="application/rss+xml"/>
"#;

/// One well-formed episode with index `n`; `extra` goes inside the item.
fn episode(n: usize, guid: &str, url: &str, extra: &str) -> String {
    format!(
        "<item>\n  <title>Episode {n}</title>\n  <description>Notes {n}.</description>\n  <guid isPermaLink=\"false\">{guid}</guid>\n  <pubDate>Wed, 02 Oct 2024 13:00:00 +0000</pubDate>\n  <enclosure url=\"{url}\" length=\"1000\" type=\"audio/mpeg\"/>\n  <itunes:duration>60</itunes:duration>\n{extra}</item>"
    )
}

fn feed(channel_extra: &str, items: &[String], separator: &str) -> String {
    format!(
        "{HEAD}{channel_extra}{}\n</channel>\n</rss>\n",
        items.join(separator)
    )
}

fn check_generated(name: &str, feed: &str) {
    let n = assert_same(name, feed.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(n > 0);
}

#[test]
fn duplicate_guids_and_enclosure_urls_name_the_first_items_line() {
    let items: Vec<String> = (0..6)
        .map(|n| {
            episode(
                n,
                &format!("g{}", n % 3),
                &format!("https://example.com/{}.mp3", n % 2),
                "",
            )
        })
        .collect();
    let f = feed("", &items, "\n");
    let diags = validate_feed(f.as_bytes(), "feed.xml");
    assert!(diags.iter().any(|d| d.rule == "rss/guid-unique"));
    assert!(diags.iter().any(|d| d.rule == "apple/enclosure-unique-url"));
    check_generated("duplicates", &f);
}

#[test]
fn serial_show_with_unnumbered_full_episodes() {
    let items: Vec<String> = (0..5)
        .map(|n| {
            let extra = match n {
                0 => "  <itunes:episode>1</itunes:episode>\n",
                1 => "  <itunes:episodeType>trailer</itunes:episodeType>\n",
                _ => "",
            };
            episode(
                n,
                &format!("g{n}"),
                &format!("https://example.com/{n}.mp3"),
                extra,
            )
        })
        .collect();
    let f = feed("<itunes:type>serial</itunes:type>\n", &items, "\n");
    let diags = validate_feed(f.as_bytes(), "feed.xml");
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.rule == "apple/serial-episode-number")
            .count(),
        3
    );
    check_generated("serial", &f);
}

#[test]
fn over_200_hits_of_one_rule_are_capped_the_same_way() {
    // Every item: a bad date, a duplicate guid, a repeated <title> (whose message names
    // the first one's line, rebased with the item).
    let items: Vec<String> = (0..260)
        .map(|n| {
            episode(
                n,
                "same",
                &format!("https://example.com/{n}.mp3"),
                "  <title>Again</title>\n",
            )
            .replace("Wed, 02 Oct 2024 13:00:00 +0000", "yesterday")
        })
        .collect();
    let f = feed("", &items, "\n");
    let diags = validate_feed(f.as_bytes(), "feed.xml");
    assert!(
        diags
            .iter()
            .any(|d| d.rule == "rss/date" && d.message.starts_with("60 more"))
    );
    check_generated("capped", &f);
}

#[test]
fn items_starting_mid_line_and_a_one_line_feed() {
    let items: Vec<String> = (0..4)
        .map(|n| {
            episode(
                n,
                "dup",
                &format!("https://example.com/{n}.mp3"),
                "<title>x</title>",
            )
            .replace('\n', " ")
        })
        .collect();
    check_generated("mid-line", &feed("", &items, ""));
    let one_line = feed("", &items, "").replace('\n', " ");
    check_generated("one line", &one_line);
}

#[test]
fn xml_problems_reported_once_per_feed_or_counted_across_items() {
    let bad = [
        // An undeclared prefix twice, an undefined entity twice: reported once each.
        "<media:content url=\"https://example.com/x\"/>",
        "<media:thumbnail url=\"https://example.com/y\"/><description>&nbsp;</description>",
        "<title>caf&eacute; &nbsp;</title>",
        // Control and C1 characters, counted over the whole feed.
        "<itunes:subtitle>a\u{1}b\u{2}</itunes:subtitle>",
        "<itunes:summary>\u{85}x</itunes:summary>",
    ];
    let items: Vec<String> = (0..10)
        .map(|n| {
            episode(
                n,
                &format!("g{n}"),
                &format!("https://example.com/{n}.mp3"),
                bad[n % bad.len()],
            )
        })
        .collect();
    let f = feed("<x:y/>\n", &items, "\n");
    let diags = validate_feed(f.as_bytes(), "feed.xml");
    let count = |rule: &str| diags.iter().filter(|d| d.rule == rule).count();
    assert_eq!(count("xml/undeclared-prefix"), 2, "{diags:#?}");
    assert_eq!(count("xml/entity"), 2, "{diags:#?}");
    assert!(diags.iter().any(|d| d.rule == "xml/invalid-char"
        && d.message.contains("(and 3 more in the file)")));
    assert!(diags.iter().any(|d| d.rule == "xml/c1-char"));
    check_generated("once per feed", &f);
}

#[test]
fn a_fatal_error_in_one_item_stops_the_feed_there() {
    let mut items: Vec<String> = (0..5)
        .map(|n| {
            episode(
                n,
                "g",
                &format!("https://example.com/{n}.mp3"),
                "<foo:bar/>",
            )
        })
        .collect();
    items[2] = items[2].replace("</title>", "</titel>");
    let f = feed("", &items, "\n");
    let diags = validate_feed(f.as_bytes(), "feed.xml");
    assert!(
        diags.iter().any(|d| d.rule == "xml/well-formed"),
        "{diags:#?}"
    );
    check_generated("fatal item", &f);
    // Invalid UTF-8 in the head: the item's parse error is reported as the encoding.
    let mut bytes = feed("<copyright>\u{1}</copyright>\n", &items, "\n").into_bytes();
    let at = bytes
        .windows(10)
        .position(|w| w == b"<copyright")
        .expect("copyright");
    bytes[at + 11] = 0xFF;
    let diags = validate_feed(&bytes, "feed.xml");
    assert!(diags.iter().any(|d| d.rule == "xml/encoding"), "{diags:?}");
    assert_same("bad utf-8 then fatal", &bytes).expect("same");
}

#[test]
fn a_podcast_guid_in_an_item_is_checked_against_the_feed_url() {
    let items: Vec<String> = (0..2)
        .map(|n| {
            episode(
                n,
                &format!("g{n}"),
                &format!("https://example.com/{n}.mp3"),
                "<podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>",
            )
        })
        .collect();
    check_generated("podcast guid", &feed("", &items, "\n"));
}

#[test]
fn media_checks_per_item_combine_into_the_whole_feeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join("feeds/podcast.xml")).expect("sample feed");
    // A probe that answers from nothing: every item gets the same kind of finding.
    let probe = |p: &Path| -> Result<mspod::media::MediaInfo, String> {
        Err(format!("{} is not probed here", p.display()))
    };
    let media_dir = root.join("episodes");
    let whole = check_media_with(&bytes, &media_dir, &probe);
    let split = split(&bytes).expect("split");
    let per: Vec<Vec<Diagnostic>> = split
        .items
        .iter()
        .map(|i| check_item_media(i, &media_dir, &probe))
        .collect();
    let items: Vec<(usize, usize, &[Diagnostic])> = split
        .starts
        .iter()
        .zip(&per)
        .map(|((l, c), d)| (*l, *c, d.as_slice()))
        .collect();
    assert!(!whole.is_empty());
    assert_eq!(combine_item_media(&items), whole);
}

/// Timing, not asserted: `MSPOD_TIMING_FEED=feeds/podcast.xml cargo test --release
/// --test validate_incremental -- --ignored --nocapture` (default: the sample feed's
/// items repeated to 10,000 with distinct guids and URLs).
#[test]
#[ignore]
fn timing_whole_feed_against_item_by_item() {
    use std::time::Instant;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = match std::env::var("MSPOD_TIMING_FEED") {
        Ok(path) => std::fs::read(path).expect("read MSPOD_TIMING_FEED"),
        Err(_) => {
            let sample = std::fs::read(root.join("feeds/podcast.xml")).expect("sample");
            let s = split(&sample).expect("split");
            let mut out = s.head.to_vec();
            for n in 0..10_000 {
                let item = String::from_utf8_lossy(s.items[n % s.items.len()]);
                out.extend_from_slice(
                    item.replace("</guid>", &format!("-{n}</guid>"))
                        .replace(".mp3\"", &format!(".mp3?n={n}\""))
                        .as_bytes(),
                );
                out.push(b'\n');
            }
            out.extend_from_slice(s.tail);
            out
        }
    };
    let s = split(&bytes).expect("split");
    let t = Instant::now();
    let whole = validate_feed(&bytes, "podcast.xml");
    let whole_time = t.elapsed();
    let t = Instant::now();
    let checks: Vec<ItemCheck> = s.items.iter().map(|i| check_item(i)).collect();
    let all_items_time = t.elapsed();
    let items: Vec<(usize, usize, &ItemCheck)> = s
        .starts
        .iter()
        .zip(&checks)
        .map(|((l, c), check)| (*l, *c, check))
        .collect();
    let t = Instant::now();
    let pieces = check_feed(s.head, s.tail, &items, bytes.len() as u64, "podcast.xml");
    let feed_time = t.elapsed();
    let one = s.items[s.items.len() / 2];
    let t = Instant::now();
    for _ in 0..100 {
        check_item(one);
    }
    let one_time = t.elapsed() / 100;
    assert_eq!(whole, pieces);
    println!(
        "{} items, {:.1} MB: validate_feed {:.1} ms; check_item on all {:.1} ms; one {} B item {:.3} ms; check_feed (head {} B, tail {} B, facts) {:.2} ms",
        s.items.len(),
        bytes.len() as f64 / 1e6,
        whole_time.as_secs_f64() * 1e3,
        all_items_time.as_secs_f64() * 1e3,
        one.len(),
        one_time.as_secs_f64() * 1e3,
        s.head.len(),
        s.tail.len(),
        feed_time.as_secs_f64() * 1e3
    );
}

/// Random items built from fragments the rules and the XML layer treat specially —
/// duplicates, bad values, undeclared prefixes, undefined entities, control and C1
/// characters, invalid UTF-8, unbalanced or mismatched tags — joined mid-line or on new
/// lines: the per-item path agrees with the whole-feed path on every one.
mod random_items {
    use super::*;
    use proptest::prelude::*;

    fn fragment() -> impl Strategy<Value = Vec<u8>> {
        let fixed: Vec<&'static [u8]> = vec![
            b"<title>T</title>",
            b"<title> T </title>",
            b"<description>D</description>",
            b"<description><![CDATA[<p>x <a href='/rel'>y</a></p>]]></description>",
            b"<guid>g</guid>",
            b"<guid isPermaLink=\"false\">same</guid>",
            b"<guid>12345</guid>",
            b"<enclosure url=\"https://e.com/a.mp3\" length=\"1\" type=\"audio/mpeg\"/>",
            b"<enclosure url=\"https://e.com/b.mp3\" length=\"0\" type=\"audio/mp3\"/>",
            b"<pubDate>Wed, 02 Oct 2024 13:00:00 +0000</pubDate>",
            b"<pubDate>yesterday</pubDate>",
            b"<itunes:duration>61:30</itunes:duration>",
            b"<itunes:episode>1</itunes:episode>",
            b"<itunes:episodeType>bonus</itunes:episodeType>",
            b"<podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>",
            b"<podcast:person role=\"nobody\">P</podcast:person>",
            b"<podcast:season>x</podcast:season>",
            b"<!-- c -->",
            b"<?pi x?>",
            b"<itunes:image href=\"x\"/>",
            b"<podcast:transcript url=\"http://e.com/t.vtt\" type=\"text/vtt\"/>",
            b"<content:encoded><![CDATA[a & b]]></content:encoded>",
            b"\n",
            b"\r\n",
            b"  ",
            b"text",
            b"caf\xc3\xa9",
        ];
        // XML-level problems (most of them fatal) are rarer, so most feeds reach the
        // content rules.
        let xml_problems: Vec<&'static [u8]> = vec![
            b"<x:y/>",
            b"<media:content url=\"https://e.com/m\"/>",
            b"&nbsp;",
            b"&amp;",
            b"&#0;",
            b"\x01",
            b"\xc2\x85",
            b"\xff",
            b"]]>",
            b"<title>",
            b"</title>",
            b"</titel>",
            b"<a x:y=\"1\"/>",
            b"<a b=\"&nbsp;\"/>",
            b"<?xml version=\"1.0\"?>",
            b"<!DOCTYPE x>",
            b"\xe2\x82",
        ];
        prop_oneof![
            12 => proptest::sample::select(fixed).prop_map(<[u8]>::to_vec),
            1 => proptest::sample::select(xml_problems).prop_map(<[u8]>::to_vec),
        ]
    }

    /// Around the items: no lone start or end tag, which would put the items below
    /// `<channel>` (they would not be the feed's items then).
    fn channel_fragment() -> impl Strategy<Value = Vec<u8>> {
        fragment().prop_filter("balanced", |f| f != b"<title>" && f != b"</title>")
    }

    fn item() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(fragment(), 0..8).prop_map(|parts| {
            let mut out = b"<item>".to_vec();
            for p in parts {
                out.extend_from_slice(&p);
            }
            out.extend_from_slice(b"</item>");
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn any_items_validate_the_same_item_by_item(
            items in proptest::collection::vec(item(), 1..6),
            separator in proptest::sample::select(vec!["", "\n", " ", "\n    "]),
            serial in any::<bool>(),
            head in proptest::collection::vec(channel_fragment(), 0..3),
            tail in proptest::collection::vec(channel_fragment(), 0..3),
        ) {
            let mut bytes = HEAD.as_bytes().to_vec();
            if serial {
                bytes.extend_from_slice(b"<itunes:type>serial</itunes:type>\n");
            }
            // Channel elements (and problems) before the first item and after the last.
            bytes.extend(head.concat());
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    bytes.extend_from_slice(separator.as_bytes());
                }
                bytes.extend_from_slice(item);
            }
            bytes.extend(tail.concat());
            bytes.extend_from_slice(b"\n</channel>\n</rss>\n");
            let split = split_plain(&bytes).expect("items");
            prop_assert_eq!(split.items.len(), items.len());
            assert_same_split("random", &bytes, split).expect("same");
        }
    }
}
