//! The sample show in `episodes/`: its committed `feeds/` must be exactly what
//! `mspod publish` writes, and the feed must read back, through independent
//! parsers, with the real files' sizes and a real decoder's durations.

mod support;

use std::collections::BTreeMap;
use support::{Show, fixture, repo};

/// `tests/fixtures/sample-show-truth.tsv`, measured with ffprobe and a full ffmpeg decode.
struct Truth {
    bytes: u64,
    decoded_duration: f64,
}

fn truth() -> BTreeMap<String, Truth> {
    let text = std::fs::read_to_string(fixture("sample-show-truth.tsv")).expect("truth table");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (path, bytes, dur) = (col("path"), col("bytes"), col("decoded_duration"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let slug = f[path]
                .trim_start_matches("episodes/")
                .trim_end_matches("/audio.mp3")
                .to_string();
            (
                slug,
                Truth {
                    bytes: f[bytes].parse().expect("bytes"),
                    decoded_duration: f[dur].parse().expect("duration"),
                },
            )
        })
        .collect()
}

fn committed_feed() -> Vec<u8> {
    std::fs::read(repo().join("feeds/podcast.xml")).expect("feeds/podcast.xml is committed")
}

#[test]
fn committed_feeds_are_up_to_date() {
    let show = Show::sample_published();
    let run = show.publish(&["--check"]);
    assert_eq!(
        run.code, 0,
        "feeds/ or mspod.lock is stale: run `cargo run -- publish` and commit\n{}",
        run.stderr
    );
}

#[test]
fn publishing_is_deterministic_across_thread_counts() {
    let one = Show::sample_locked();
    let many = Show::sample_locked();
    one.publish(&["--jobs", "1"]).expect_code(0);
    many.publish(&["--jobs", "8", "--no-cache"]).expect_code(0);
    assert_eq!(
        support::tree(&one.file("feeds")),
        support::tree(&many.file("feeds"))
    );
    assert_eq!(one.read("mspod.lock"), many.read("mspod.lock"));
}

#[test]
fn the_rss_crate_reads_titles_guids_enclosures_and_durations() {
    let bytes = committed_feed();
    let channel = rss::Channel::read_from(bytes.as_slice()).expect("rss parses the feed");
    let truth = truth();
    assert_eq!(channel.items().len(), truth.len());
    let mut guids = std::collections::BTreeSet::new();
    for item in channel.items() {
        let enclosure = item.enclosure().expect("enclosure");
        let slug = enclosure
            .url()
            .split('/')
            .rev()
            .nth(1)
            .expect("slug in url");
        let t = &truth[slug];
        assert_eq!(
            enclosure.length(),
            t.bytes.to_string(),
            "{slug}: length = file size"
        );
        assert_eq!(enclosure.mime_type(), "audio/mpeg");
        let itunes = item.itunes_ext().expect("itunes");
        let duration: f64 = itunes
            .duration()
            .expect("duration")
            .parse()
            .expect("seconds");
        assert!(
            (duration - t.decoded_duration).abs() <= 1.0,
            "{slug}: {duration} vs decoded {}",
            t.decoded_duration
        );
        let guid = item.guid().expect("guid");
        assert!(!guid.is_permalink());
        assert!(guids.insert(guid.value().to_string()), "unique GUIDs");
        assert!(item.title().is_some_and(|t| !t.is_empty()));
        assert_eq!(
            item.link(),
            Some(format!("https://example.org/blog/{slug}/").as_str())
        );
    }
}

#[test]
fn feed_rs_reads_the_same_items() {
    let bytes = committed_feed();
    let feed = feed_rs::parser::parse(bytes.as_slice()).expect("feed-rs parses the feed");
    let channel = rss::Channel::read_from(bytes.as_slice()).expect("rss parses the feed");
    let truth = truth();
    assert_eq!(feed.entries.len(), channel.items().len());
    for (entry, item) in feed.entries.iter().zip(channel.items()) {
        assert_eq!(entry.id, item.guid().expect("guid").value());
        assert_eq!(
            entry.title.as_ref().map(|t| t.content.as_str()),
            item.title()
        );
        // feed-rs gives the iTunes block (duration) and the enclosure as two media objects.
        let content = entry
            .media
            .iter()
            .flat_map(|m| &m.content)
            .next()
            .expect("enclosure");
        let url = content.url.as_ref().expect("url").to_string();
        let slug = url.split('/').rev().nth(1).expect("slug");
        assert_eq!(content.size, Some(truth[slug].bytes));
        let secs = entry
            .media
            .iter()
            .find_map(|m| m.duration)
            .expect("duration")
            .as_secs_f64();
        assert!(
            (secs - truth[slug].decoded_duration).abs() <= 1.0,
            "{slug}: {secs}"
        );
    }
}

#[test]
fn the_seed_article_becomes_cross_linked_show_notes() {
    let notes =
        std::fs::read_to_string(repo().join("feeds/relationship-as-medicine/show-notes.md"))
            .expect("notes");
    for needle in [
        "# Relationship as Medicine",
        "- Read the article: <https://example.org/blog/relationship-as-medicine/>",
        "- Listen: <https://media.example.org/podcast/relationship-as-medicine/audio.mp3>",
        "- Watch on YouTube: <https://www.youtube.com/watch?v=Rm7aQ2xK9sE>",
        "## Chapters",
        "- 0:18 [Quick answer](https://example.org/blog/relationship-as-medicine/#quick-answer)",
        "## Key takeaways",
        "## Frequently asked questions",
        "### Why can't I just heal through self-help books and journaling?",
        "## References",
        "<https://pubmed.ncbi.nlm.nih.gov/25884340/>",
        "The Georgia Crisis & Access Line is 1-800-715-4225.",
    ] {
        assert!(notes.contains(needle), "show-notes.md lacks {needle:?}");
    }
    let yt = std::fs::read_to_string(
        repo().join("feeds/relationship-as-medicine/youtube-description.txt"),
    )
    .expect("yt");
    assert!(yt.len() <= 5000 && !yt.contains('<') && !yt.contains('>'));
    assert!(yt.contains("Chapters:\n0:00 Introduction\n0:18 Quick answer\n"));
    let chapters: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("feeds/relationship-as-medicine/chapters.json"))
            .expect("chapters"),
    )
    .expect("JSON");
    assert_eq!(chapters["version"], "1.2.0");
    assert_eq!(chapters["chapters"][1]["startTime"], 18.954);
}

#[test]
fn touching_one_episode_re_renders_only_it_and_the_feed() {
    let show = Show::sample_unpublished();
    show.publish(&[]).expect_code(0);
    let untouched = show.file("feeds/first-therapy-session/show-notes.html");
    let before = std::fs::metadata(&untouched)
        .and_then(|m| m.modified())
        .expect("mtime");

    // The body, not the title: neighbours' pages show only its title.
    show.edit("episodes/grounding-techniques-for-panic/article.md", |t| {
        t.replace(
            "Grounding techniques for panic are",
            "Steadying techniques for panic are",
        )
    });
    show.publish(&["--verbose"])
        .expect_code(0)
        .stderr_has("3 of 4 episodes unchanged since the last publish")
        .stderr_has("wrote feeds/grounding-techniques-for-panic/show-notes.md");
    let after = std::fs::metadata(&untouched)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(
        before, after,
        "an untouched episode's notes are not rewritten"
    );
    // The incremental result is exactly what a full rebuild gives.
    show.publish(&["--check"]).expect_code(0);
    assert!(
        show.read("feeds/podcast.xml")
            .contains("Steadying techniques for panic are")
    );

    // A new title shows on the pages before and after it (previous/next links).
    show.edit("episodes/grounding-techniques-for-panic/article.md", |t| {
        t.replace("title: Grounding", "title: Steadying")
    });
    show.publish(&["--verbose"])
        .expect_code(0)
        .stderr_has("1 of 4 episodes unchanged since the last publish");
    show.publish(&["--check"]).expect_code(0);
    assert!(
        show.read("feeds/first-therapy-session/show-notes.html")
            .contains("Steadying Techniques for Panic Attacks")
    );
}

/// The show page lists each episode's summary and shows the newest episode's help
/// line; neither is held with the listings but read back from the episode records, so
/// an incremental publish must show an edit of either exactly as a full rebuild does.
#[test]
fn the_show_page_follows_the_newest_summary_and_help_line() {
    let show = Show::sample_unpublished();
    show.publish(&[]).expect_code(0);
    let article = "episodes/first-therapy-session/article.html";
    show.edit(article, |t| {
        t.replace(
            "<p>Your first therapy session is mostly a conversation",
            "<p>A first session is mostly a conversation",
        )
        .replace(
            "The Georgia Crisis &amp; Access Line is 1-800-715-4225.",
            "The Georgia Crisis &amp; Access Line is 1-800-715-4225, day and night.",
        )
    });
    show.publish(&["--verbose"])
        .expect_code(0)
        .stderr_has("3 of 4 episodes unchanged since the last publish");
    let page = show.read("feeds/index.html");
    assert!(
        page.contains("A first session is mostly a conversation"),
        "{page}"
    );
    let helpline = page
        .lines()
        .find(|l| l.contains("class=\"helpline\""))
        .expect("a help line");
    assert!(helpline.contains("</a>, day and night."), "{helpline}");
    // Byte for byte what rendering everything again gives.
    show.publish(&["--check"]).expect_code(0);

    // Without a help line of its own, the next newest episode's is shown.
    show.edit(article, |t| {
        t.replace(
            "Call or text 988 to reach the 988 Suicide &amp; Crisis Lifeline, 24/7. The Georgia Crisis &amp; Access Line is 1-800-715-4225, day and night.",
            "",
        )
        .replace("If you or someone you know is in immediate danger, call 911 or go to your nearest emergency room.", "")
    });
    show.publish(&[]).expect_code(0);
    let page = show.read("feeds/index.html");
    let helpline = page
        .lines()
        .find(|l| l.contains("class=\"helpline\""))
        .expect("a help line");
    // grounding-techniques-for-panic's.
    assert!(
        helpline.contains("Lifeline is available 24/7 by call or text.")
            && !helpline.contains("day and night"),
        "{helpline}"
    );
    show.publish(&["--check"]).expect_code(0);
}

/// The diagnostics in a publish's log: `line:column severity [rule]`, sorted.
fn logged_diagnostics(stderr: &str) -> Vec<String> {
    let mut found: Vec<String> = stderr
        .lines()
        .filter_map(|l| {
            let (pos, rest) = l.trim_start().split_once(' ')?;
            let (sev, rest) = rest.split_once(' ')?;
            let rule = rest.strip_prefix('[')?.split(']').next()?;
            pos.contains(':').then(|| format!("{pos} {sev} [{rule}]"))
        })
        .collect();
    found.sort();
    found
}

/// The same, from `mspod validate --format json`.
fn validated_diagnostics(show: &Show) -> Vec<String> {
    let run = support::mspod(
        show.path(),
        &[
            "validate",
            "--format",
            "json",
            "--media",
            "episodes",
            "feeds/podcast.xml",
        ],
    );
    let json = run.json();
    let mut found: Vec<String> = json["feeds"][0]["diagnostics"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|d| {
                    format!(
                        "{}:{} {} [{}]",
                        d["line"],
                        d["column"],
                        d["severity"].as_str().unwrap_or_default(),
                        d["rule"].as_str().unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn publish_reports_what_validate_reports_from_each_items_cached_check() {
    let show = Show::sample_unpublished();
    // An episode dated years ahead: apps hide it, the validator warns (and will say
    // otherwise once the date has come: its check is reused only while the date is
    // still beyond the validator's horizon).
    show.set(
        "episodes/welcome-to-mentalspace/episode.toml",
        "published",
        "published = \"2031-04-29T09:00:00-04:00\"",
    );
    // …and one dated before podcasts existed: a warning that stays, so its check is reused.
    show.set(
        "episodes/relationship-as-medicine/episode.toml",
        "published",
        "published = \"1990-05-06T09:00:00-04:00\"",
    );
    // …and one due tomorrow: ahead, but within the horizon, so checked on every publish
    // until its date has passed.
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    show.set(
        "episodes/grounding-techniques-for-panic/episode.toml",
        "published",
        &format!("published = \"{}\"", tomorrow.format("%Y-%m-%dT%H:%M:%SZ")),
    );
    let first = show.publish(&["--allow-future", "-v"]);
    first.expect_code(0);
    let logged = logged_diagnostics(&first.stderr);
    assert!(
        logged.iter().any(|d| d.contains("[rss/date-plausible]")),
        "{}",
        first.stderr
    );
    assert_eq!(logged, validated_diagnostics(&show));

    // One item longer by two lines: every item after it moves; the cached checks of the
    // untouched items are placed where they now are.
    show.edit("episodes/first-therapy-session/episode.toml", |t| {
        t.replace(
            "people = [\"dana\"]",
            "people = [\"dana\"]\nsoundbite = [{ start = \"0:10\", duration = 15 }, { start = \"0:40\", duration = 20 }]",
        )
    });
    let second = show.publish(&["--allow-future", "-v"]);
    second
        .expect_code(0)
        .stderr_has("3 of 4 episodes unchanged since the last publish");
    let logged = logged_diagnostics(&second.stderr);
    assert_eq!(logged, validated_diagnostics(&show));
    assert_ne!(
        logged_diagnostics(&first.stderr),
        logged,
        "the warning moved with its item"
    );
}

#[test]
fn edits_append_to_the_episode_records_and_a_damaged_record_log_costs_only_time() {
    let show = Show::sample_unpublished();
    show.publish(&[]).expect_code(0);
    let snapshot = show.read(".mspod/episodes.jsonl");
    // (Not the trailer: its title is in the channel too, which moves every item.)
    show.edit("episodes/relationship-as-medicine/episode.toml", |t| {
        format!("{t}title = \"Relationship, again\"\n")
    });
    show.publish(&["-v"])
        .expect_code(0)
        .stderr_has("1 of 4 episodes built from their files");
    // The edit was appended; the snapshot of every episode was not rewritten.
    assert_eq!(snapshot, show.read(".mspod/episodes.jsonl"));
    let log = show.read(".mspod/episodes.log");
    assert!(log.lines().count() >= 2, "{log}");
    // The items kept their order: the log does not repeat it (at 100,000 episodes it
    // would be a megabyte per edit).
    assert!(!log.contains("\"layout\""), "{log}");
    // What the records say is what a full rebuild gives.
    show.publish(&["--check"]).expect_code(0);

    // A publish killed while appending leaves half a line: the log ends there, the
    // stamps show what is stale, and the result is the same.
    show.write(".mspod/episodes.log", &log[..log.len() - 40]);
    show.set(
        "episodes/first-therapy-session/episode.toml",
        "title",
        "title = \"Your first therapy session\"",
    );
    show.publish(&[]).expect_code(0);
    show.publish(&["--check"]).expect_code(0);
    assert!(
        show.read("feeds/podcast.xml")
            .contains("Your first therapy session")
    );
}

#[test]
fn a_publish_leaves_only_its_own_files_in_the_cache_folder() {
    // Records are written to an unnamed file as stage 2 goes and copied into place when
    // saved: nothing of it, or of any other temporary file, is left beside the caches.
    let show = Show::sample_unpublished();
    show.publish(&[]).expect_code(0);
    show.edit("episodes/relationship-as-medicine/episode.toml", |t| {
        format!("{t}title = \"Relationship, again\"\n")
    });
    show.publish(&[]).expect_code(0);
    let mut names: Vec<String> = std::fs::read_dir(show.file(".mspod"))
        .expect("the cache folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "articles.jsonl",
            "articles.jsonl.idx",
            "episodes.jsonl",
            "episodes.log",
            "last-publish.json",
            "media-cache.jsonl",
            "media-cache.jsonl.idx",
            "publish.lock",
            "published-files",
        ]
    );
}

#[test]
fn a_record_log_grown_to_the_snapshot_is_folded_into_a_new_one() {
    let show = Show::sample_unpublished();
    show.publish(&[]).expect_code(0);
    let first = show.read(".mspod/episodes.jsonl");
    // Each edit appends a record; once the log outweighs the snapshot, the next
    // publish writes a new snapshot (every record with its listing) and no log.
    let mut folded = false;
    let manifest = "episodes/relationship-as-medicine/episode.toml";
    show.edit(manifest, |t| format!("{t}title = \"Relationship\"\n"));
    for n in 0..12 {
        show.set(
            manifest,
            "title",
            &format!("title = \"Relationship, take {n}\""),
        );
        show.publish(&[]).expect_code(0);
        if show.read(".mspod/episodes.jsonl") != first {
            folded = true;
            break;
        }
    }
    assert!(folded, "the log was never folded into the snapshot");
    assert!(!show.file(".mspod/episodes.log").exists());
    // The new snapshot holds every episode as published: nothing is built again, and a
    // full rebuild gives the same outputs.
    show.set(
        "episodes/first-therapy-session/episode.toml",
        "title",
        "title = \"Your first therapy session\"",
    );
    show.publish(&["-v"])
        .expect_code(0)
        .stderr_has("1 of 4 episodes built from their files");
    show.publish(&["--check"]).expect_code(0);
}

#[test]
fn a_paged_feed_published_piece_by_piece_is_what_a_full_rebuild_gives() {
    let show = Show::sample_unpublished();
    show.edit("mspod.toml", |t| format!("{t}\n[feed]\nmax_items = 2\n"));
    show.publish(&[]).expect_code(0);
    assert!(show.file("feeds/podcast-2.xml").is_file());

    // A new episode, newest of all: every item moves one place, one across the pages.
    support::copy_dir(
        &show.file("episodes/grounding-techniques-for-panic"),
        &show.file("episodes/newest"),
        &[],
    );
    show.set(
        "episodes/newest/episode.toml",
        "published",
        "published = \"2026-06-01T09:00:00-04:00\"",
    );
    show.set(
        "episodes/newest/episode.toml",
        "article_url",
        "article_url = \"https://example.org/blog/newest/\"",
    );
    show.publish(&["-v"])
        .expect_code(0)
        .stderr_has("1 of 5 episodes built from their files");
    assert!(show.file("feeds/podcast-3.xml").is_file());
    // --check renders everything again and compares it byte for byte.
    show.publish(&["--check"]).expect_code(0);

    // One removed: the items move back, the third page goes.
    std::fs::remove_dir_all(show.file("episodes/relationship-as-medicine")).expect("rm");
    show.publish(&["--allow-removal"]).expect_code(0);
    assert!(!show.file("feeds/podcast-3.xml").exists());
    show.publish(&["--check", "--allow-removal"]).expect_code(0);
}

#[test]
fn caches_of_earlier_versions_are_removed_and_pages_saved_by_pair_are_kept() {
    let show = Show::sample_unpublished();
    let old_entry = ".mspod/articles/0123456789abcdef0123456789abcdef.json";
    let saved_page = ".mspod/articles/first-therapy-session.html";
    show.write(old_entry, "{}");
    show.write(saved_page, "<html><title>Saved by pair</title></html>");
    show.write(".mspod/media-cache.json", "{\"format\":1,\"entries\":{}}");
    show.publish(&[]).expect_code(0);
    assert!(!show.file(old_entry).exists());
    assert!(!show.file(".mspod/media-cache.json").exists());
    assert!(show.read(saved_page).contains("Saved by pair"));
    // One file per cache now, whatever the number of episodes.
    assert!(show.file(".mspod/articles.jsonl").is_file());
    assert!(show.file(".mspod/media-cache.jsonl").is_file());
}
