//! `mspod publish` and `mspod init`, driven through the real binary.
//!
//! Error paths: every kind of bad content gives exit code 1 and one clear
//! message naming the file (and line or key), all errors are reported in one
//! run, and the previous feeds/ is left untouched.

mod support;

use support::{Show, assert_snapshot, mspod, redact, repo, transcript, tree};

const EPISODE: &str = "episodes/welcome/episode.toml";

#[test]
fn init_creates_a_show_that_publishes() {
    let show = Show::init();
    show.publish(&[])
        .expect_code(0)
        .stderr_has("published 1 episode to");
    let feed = show.read("feeds/podcast.xml");
    assert!(feed.contains("<title>Welcome to My Show</title>"), "{feed}");
    for f in [
        "show-notes.html",
        "show-notes.md",
        "youtube-description.txt",
    ] {
        assert!(show.file("feeds/welcome").join(f).is_file(), "{f}");
    }
}

#[test]
fn init_refuses_to_overwrite_a_show() {
    let show = Show::init();
    mspod(show.path(), &["init", "."])
        .expect_code(2)
        .stderr_has("already exists");
}

#[test]
fn publishing_twice_gives_identical_bytes_and_check_passes() {
    let show = Show::init();
    show.publish(&[]).expect_code(0);
    let first = tree(&show.file("feeds"));
    // Nothing changed: the second publish has nothing to do.
    show.publish(&[]).expect_code(0).stderr_has("is up to date");
    // Without the record of the last publish, it rebuilds everything and changes nothing.
    show.publish(&["--no-cache"])
        .expect_code(0)
        .stderr_has("0 files changed");
    assert_eq!(first, tree(&show.file("feeds")));
    show.publish(&["--check"]).expect_code(0);
}

#[test]
fn an_edited_output_or_input_is_noticed_by_the_next_publish() {
    let show = Show::init();
    show.publish(&[]).expect_code(0);
    let good = show.read("feeds/welcome/show-notes.md");
    show.write("feeds/welcome/show-notes.md", "edited by hand");
    show.publish(&[])
        .expect_code(0)
        .stderr_has("1 files changed");
    assert_eq!(show.read("feeds/welcome/show-notes.md"), good);
    show.edit("episodes/welcome/article.md", |t| {
        t.replace("Welcome to My Show", "Welcome to Our Show")
    });
    show.publish(&[]).expect_code(0).stderr_has("files changed");
    assert!(
        show.read("feeds/podcast.xml")
            .contains("Welcome to Our Show")
    );
}

/// What a publish remembers (its records, the caches, the last publish) holds however
/// the content folder is named next time: from inside it, by a relative path from its
/// parent, or by its absolute path. (Each spelling used to start from nothing.)
#[test]
fn the_last_publish_is_found_whichever_way_the_root_is_named() {
    let show = Show::sample_locked();
    let (parent, name) = (
        show.path().parent().expect("a parent"),
        show.path()
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a name"),
    );
    let absolute = show.path().to_str().expect("a UTF-8 temp path");
    show.publish(&[]).expect_code(0);
    mspod(parent, &["publish", "--root", name])
        .expect_code(0)
        .stderr_has("is up to date");
    mspod(std::path::Path::new("/"), &["publish", "--root", absolute])
        .expect_code(0)
        .stderr_has("is up to date");

    // One article edited: only its episode is built again, its audio from the cache.
    show.edit("episodes/first-therapy-session/article.html", |t| {
        format!("{t}<!-- edited -->\n")
    });
    mspod(parent, &["-v", "publish", "--root", name])
        .expect_code(0)
        .stderr_has("media cache: 1 hits, 0 probed")
        .stderr_has("0 files changed, 22 unchanged");
    show.publish(&[]).expect_code(0).stderr_has("is up to date");

    // What the last publish wrote and this one no longer does is removed, however
    // either named the root.
    let transcript = "feeds/first-therapy-session/transcript.vtt";
    assert!(show.file(transcript).is_file());
    std::fs::remove_file(show.file("episodes/first-therapy-session/transcript.vtt"))
        .expect("removed");
    mspod(std::path::Path::new("/"), &["publish", "--root", absolute]).expect_code(0);
    assert!(!show.file(transcript).exists());
    show.publish(&["--check"]).expect_code(0);
}

/// The show's settings count by what they say: a comment or a blank line added to
/// `mspod.toml` rebuilds nothing (it used to rebuild every episode); a value does.
#[test]
fn a_comment_in_the_show_settings_is_not_a_change() {
    let show = Show::sample_locked();
    show.publish(&[]).expect_code(0);
    show.edit("mspod.toml", |t| {
        format!("# Settings of the show.\n\n{t}\n# the end\n")
    });
    show.publish(&[]).expect_code(0).stderr_has("is up to date");
    show.edit("mspod.toml", |t| {
        t.replacen("title = \"", "title = \"The ", 1)
    });
    show.publish(&[])
        .expect_code(0)
        .stderr_has("published 4 episodes");
    show.publish(&["--check"]).expect_code(0);
}

/// Settings only the channel, `deploy` or `pair` read render no episode again, and
/// what the publish writes then equals a full rebuild (`--check` renders everything
/// and compares bytes): the proof that no episode's files depend on them.
#[test]
fn channel_only_settings_render_no_episode_again() {
    let show = Show::sample_locked();
    show.publish(&[]).expect_code(0);
    // (text replaced, its replacement): `[show]` channel tags changed or added in their
    // place; an empty text: a table added at the end.
    for (from, to) in [
        ("categories = [", "categories = [\"Education\", "),
        ("owner = { name = \"CHC", "owner = { name = \"The"),
        ("license = \"CC-BY-NC-ND-4.0\"", "license = \"CC-BY-4.0\""),
        ("name = \"Georgia, United States\"", "name = \"Georgia\""),
        ("purpose = \"verify\"", "purpose = \"other\""),
        ("[show]\n", "[show]\nlocked = false\n"),
        (
            "[show]\n",
            "[show]\nnew_feed_url = \"https://example.org/new.xml\"\n",
        ),
        ("[show]\n", "[show]\nblock = [\"spotify\"]\n"),
        (
            "[show]\n",
            "[show]\nfunding = { url = \"https://example.org/give\", text = \"Give\" }\n",
        ),
        (
            "[show]\n",
            "[show]\npodroll = [\"https://example.org/other.xml\"]\n",
        ),
        (
            "[show]\n",
            "[show]\npublisher = \"https://example.org/publisher.xml\"\n",
        ),
        ("", "[feed]\nmax_items = 2\n"),
        ("", "[feed]\nmax_items = 3\nwarn_bytes = 1000\n"),
        (
            "",
            "[notify]\nhubs = [\"https://pubsubhubbub.appspot.com/\"]\npodping = true\n",
        ),
        (
            "",
            "[deploy]\nfeed = \"s3://feeds/podcast/\"\nmedia = \"s3://media/podcast/\"\n",
        ),
        (
            "",
            "[pairing]\nnoise_words = [\"episode\"]\nbranding = [\"MentalSpace\"]\n",
        ),
    ] {
        let before = show.read("mspod.toml");
        let after = match from {
            "" => format!("{before}\n{to}"),
            _ => before.replacen(from, to, 1),
        };
        assert_ne!(after, before, "{from} is in the sample's mspod.toml");
        show.write("mspod.toml", &after);
        let run = mspod(show.path(), &["-v", "publish"]);
        run.expect_code(0)
            .stderr_has("media cache: 0 hits, 0 probed")
            .stderr_has("published 4 episodes");
        assert!(!run.stderr.contains("chapters ("), "{to}: {}", run.stderr);
        show.publish(&["--check"]).expect_code(0);
        // Back as it was: the same again, from the records.
        show.write("mspod.toml", &before);
        show.publish(&[]).expect_code(0);
        show.publish(&["--check"]).expect_code(0);
    }
}

#[test]
fn check_fails_when_feeds_are_stale_and_writes_nothing() {
    let show = Show::init();
    show.publish(&[]).expect_code(0);
    let before = tree(&show.file("feeds"));
    show.edit(EPISODE, |t| format!("{t}title = \"A new title\"\n"));
    show.publish(&["--check"])
        .expect_code(1)
        .stderr_has("podcast.xml is out of date");
    assert_eq!(before, tree(&show.file("feeds")));
}

#[test]
fn missing_config_is_a_usage_error() {
    let show = Show::empty();
    show.publish(&[])
        .expect_code(2)
        .stderr_has("mspod.toml not found");
}

#[test]
fn bad_toml_names_file_and_line() {
    let show = Show::init();
    show.edit("mspod.toml", |t| {
        t.replace("explicit = false", "explicit = nope")
    });
    assert_snapshot("publish_bad_toml", &transcript(show.path(), &["publish"]));
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let show = Show::init();
    show.edit(EPISODE, |t| format!("{t}seasn = 2\n"));
    assert_snapshot(
        "publish_unknown_key",
        &transcript(show.path(), &["publish"]),
    );
}

#[test]
fn unknown_section_role_is_an_error() {
    let show = Show::init();
    show.edit("mspod.toml", |t| {
        format!("{t}\n[sections]\nsumary = [\"TL;DR\"]\n")
    });
    show.publish(&[])
        .expect_code(1)
        .stderr_has("unknown field `sumary`");
}

#[test]
fn every_content_error_is_reported_in_one_run() {
    let show = Show::init();
    show.set(EPISODE, "audio", "audio = \"missing.mp3\"")
        .set(EPISODE, "youtube", "youtube = \"https://vimeo.com/12345\"")
        .set(EPISODE, "published", "published = \"May 6, 2026\"")
        .set(
            "mspod.toml",
            "categories",
            "categories = [\"Mental Health\"]",
        );
    // Run from elsewhere with --root, so the messages carry the (redacted) absolute path.
    let root = show.path().display().to_string();
    let text = transcript(&repo(), &["publish", "--root", &root]);
    assert_snapshot(
        "publish_every_content_error",
        &redact(&text, &[(show.path(), "[ROOT]")]),
    );
}

#[test]
fn a_failed_publish_leaves_the_previous_feed_untouched() {
    let show = Show::init();
    show.publish(&[]).expect_code(0);
    let before = tree(&show.file("feeds"));
    show.write("episodes/welcome/audio.mp3", "this is not audio");
    show.publish(&[]).expect_code(1).stderr_has("audio.mp3");
    assert_eq!(before, tree(&show.file("feeds")));
}

#[test]
fn unreadable_article_is_a_content_error() {
    let show = Show::init();
    std::fs::write(
        show.file("episodes/welcome/article.md"),
        // Not UTF-8 and no encoding declared (FF FE would be a UTF-16 byte order mark).
        [0x80, 0xff, 0x00, 0x80],
    )
    .expect("write");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("article.md")
        .stderr_has("byte 0 is 0x80");
}

#[test]
fn two_episodes_with_one_enclosure_url_is_an_error() {
    let show = Show::init();
    support::copy_dir(
        &show.file("episodes/welcome"),
        &show.file("episodes/again"),
        &[],
    );
    show.set(
        "episodes/again/episode.toml",
        "article_url",
        "article_url = \"https://example.org/blog/again/\"",
    )
    .edit("episodes/again/episode.toml", |t| {
        t.replace(
            "# audio_url = \"https://cdn.example.org/welcome.mp3\"",
            "audio_url = \"https://media.example.org/podcast/welcome/audio.mp3\"",
        )
    });
    show.publish(&[]).expect_code(1).stderr_has(
        "have the same enclosure URL https://media.example.org/podcast/welcome/audio.mp3",
    );
}

#[test]
fn a_removed_episode_disappears_from_feeds_but_other_files_stay() {
    let show = Show::init();
    support::copy_dir(
        &show.file("episodes/welcome"),
        &show.file("episodes/second"),
        &[],
    );
    show.set(
        "episodes/second/episode.toml",
        "article_url",
        "article_url = \"https://example.org/blog/second/\"",
    );
    show.publish(&[])
        .expect_code(0)
        .stderr_has("published 2 episodes");
    show.write("feeds/CNAME", "podcast.example.org\n");
    std::fs::remove_dir_all(show.file("episodes/second")).expect("rm");
    show.publish(&["--allow-removal"])
        .expect_code(0)
        .stderr_has("removed");
    assert!(!show.file("feeds/second").exists());
    assert!(show.file("feeds/CNAME").is_file());
}

#[test]
fn an_unusable_section_pattern_is_an_error() {
    let show = Show::init();
    show.edit("mspod.toml", |t| {
        format!("{t}\n[sections]\nskip = [\"*\"]\n")
    });
    show.publish(&[])
        .expect_code(1)
        .stderr_has("mspod.toml:")
        .stderr_has("[sections] skip: pattern \"*\"");
}

#[test]
fn publish_runs_the_validator_and_refuses_a_feed_with_errors() {
    let show = Show::init();
    show.publish(&[]).expect_code(0);
    let before = tree(&show.file("feeds"));
    show.set("mspod.toml", "language", "language = \"English please\"");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("error [rss/language]")
        .stderr_has("nothing was written");
    assert_eq!(before, tree(&show.file("feeds")));
}

#[test]
fn validator_warnings_are_shown_but_do_not_stop_publishing() {
    let show = Show::init();
    show.edit("mspod.toml", |t| {
        t.replace(
            "# image_url = \"https://cdn.example.org/cover.jpg\"",
            "image_url = \"https://cdn.example.org/cover.gif\"",
        )
    });
    show.publish(&[])
        .expect_code(0)
        .stderr_has("warning [apple/image-extension]");
}

#[test]
fn max_items_pages_the_feed_and_keeps_the_archive() {
    let show = Show::init();
    for n in 2..=5 {
        let slug = format!("ep{n}");
        support::copy_dir(
            &show.file("episodes/welcome"),
            &show.file(&format!("episodes/{slug}")),
            &[],
        );
        show.set(
            &format!("episodes/{slug}/episode.toml"),
            "article_url",
            &format!("article_url = \"https://example.org/blog/{slug}/\""),
        )
        .set(
            &format!("episodes/{slug}/episode.toml"),
            "published",
            &format!("published = \"2026-01-0{n}T09:00:00-05:00\""),
        );
    }
    show.edit("mspod.toml", |t| {
        format!("{t}\n[feed]\nmax_items = 2\nwarn_bytes = 1000\n")
    });
    show.publish(&[])
        .expect_code(0)
        .stderr_has("over the 0.0 MB budget ([feed] warn_bytes)");
    let count = |f: &str| show.read(&format!("feeds/{f}")).matches("<item>").count();
    assert_eq!(
        [
            count("podcast.xml"),
            count("podcast-2.xml"),
            count("podcast-3.xml")
        ],
        [2, 2, 1]
    );
    let first = show.read("feeds/podcast.xml");
    assert!(
        first.contains(r#"<atom:link href="https://example.org/podcast/podcast-2.xml" rel="next""#),
        "{first}"
    );
    assert!(
        first.contains(r#"<atom:link href="https://example.org/podcast/podcast-3.xml" rel="last""#)
    );
    let second = show.read("feeds/podcast-2.xml");
    assert!(
        second
            .contains(r#"<atom:link href="https://example.org/podcast/podcast-2.xml" rel="self""#)
    );
    assert!(second.contains(r#"rel="previous""#) && second.contains(r#"rel="next""#));
    // The newest episode is on the first page.
    assert!(first.contains("https://example.org/blog/ep5/"));
}

#[test]
fn format_github_annotates_errors_and_warnings_on_their_file_and_line() {
    // Content errors: on the manifest, at the key's line; stderr keeps the usual text.
    let show = Show::init();
    show.set(EPISODE, "youtube", "youtube = \"https://vimeo.com/12345\"")
        .set(EPISODE, "published", "published = \"May 6, 2026\"");
    let run = show.publish(&["--format", "github"]);
    run.expect_code(1)
        .stdout_has("::error file=episodes/welcome/episode.toml,line=6,title=mspod publish::`youtube`: `https://vimeo.com/12345` is not a YouTube URL")
        .stdout_has("::error file=episodes/welcome/episode.toml,line=7,title=mspod publish::`published`: `May 6, 2026` is not an RFC 3339 date")
        .stderr_has("error: episodes/welcome/episode.toml:6: `youtube`");
    assert_eq!(
        run.stdout.lines().count(),
        2,
        "one annotation per error: {}",
        run.stdout
    );

    // The validator's findings: on the generated feed's line and column (validate's formatter).
    let show = Show::init();
    show.edit("mspod.toml", |t| {
        t.replace(
            "# image_url = \"https://cdn.example.org/cover.jpg\"",
            "image_url = \"https://cdn.example.org/cover.gif\"",
        )
    });
    let run = show.publish(&["--format", "github"]);
    run.expect_code(0);
    let feed = show.read("feeds/podcast.xml");
    let line = 1 + feed
        .lines()
        .position(|l| l.contains("<itunes:image href=\"https://cdn.example.org/cover.gif\""))
        .expect("the channel's itunes:image");
    run.stdout_has(&format!(
        "::warning file=feeds/podcast.xml,line={line},col=5,title=apple/image-extension::"
    ));

    // A warning about one episode: on its manifest.
    let show = Show::empty();
    support::copy_dir(
        &support::repo().join("episodes"),
        &show.file("episodes"),
        &[],
    );
    std::fs::copy(support::repo().join("mspod.toml"), show.file("mspod.toml")).expect("copy");
    show.edit("episodes/grounding-techniques-for-panic/article.md", |t| {
        t.replace("author: Dana Whitfield", "author: Someone Else")
    });
    show.publish(&["--format", "github"])
        .expect_code(0)
        .stdout_has("::warning file=episodes/grounding-techniques-for-panic/episode.toml,title=mspod publish::the article's author \"Someone Else\" matches no [[people]] name");
    // Without the flag, stdout stays empty.
    show.edit("episodes/grounding-techniques-for-panic/article.md", |t| {
        t.replace("author: Someone Else", "author: Someone Other")
    });
    let plain = show.publish(&[]);
    plain.expect_code(0);
    assert_eq!(plain.stdout, "");
}
