//! The command line as a user sees it. For the most important commands the exit
//! status, stdout and stderr are compared in full with `tests/snapshots/<test>.txt`
//! (temp folders shown as `[ROOT]`; `MSPOD_SNAPSHOTS=overwrite` rewrites them), so
//! any change to what mspod prints shows up in review. And `mspod … | head`: a
//! reader that stops reading ends mspod quietly, never with a panic.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use support::{Run, Show, assert_snapshot, compare, copy_dir, redact, repo, transcript};

/// The sample show (config, lock, episodes), without its feeds.
fn sample_show() -> Show {
    let show = Show::empty();
    for file in ["mspod.toml", "mspod.lock"] {
        std::fs::copy(repo().join(file), show.file(file)).expect("copy");
    }
    copy_dir(&repo().join("episodes"), &show.file("episodes"), &[]);
    show
}

#[test]
fn publishing_the_sample_show_then_again_with_nothing_changed() {
    let show = sample_show();
    let first = transcript(show.path(), &["publish"]);
    let second = transcript(show.path(), &["publish"]);
    assert_snapshot("publish_sample_show", &format!("{first}\n{second}"));
}

#[test]
fn validate_json_on_a_fixture_feed() {
    assert_snapshot(
        "validate_json_fixture",
        &transcript(
            &repo(),
            &[
                "validate",
                "--format",
                "json",
                "tests/fixtures/validate/apple-author.xml",
            ],
        ),
    );
}

#[test]
fn validate_text_on_a_fixture_feed() {
    assert_snapshot(
        "validate_text_fixture",
        &transcript(
            &repo(),
            &["validate", "tests/fixtures/validate/apple-author.xml"],
        ),
    );
}

#[test]
fn inspect_json_on_good_and_broken_audio() {
    assert_snapshot(
        "inspect_json_fixtures",
        &transcript(
            &repo(),
            &[
                "inspect",
                "--json",
                "tests/fixtures/audio/mp3-vbr-xing-id3v24-chapters.mp3",
                "tests/fixtures/audio/bad-random.mp3",
                "tests/fixtures/audio/opus.opus",
                "tests/fixtures/audio/m4a-aac-chapters-cover.m4a",
            ],
        ),
    );
}

#[test]
fn pair_dry_run_json_on_a_folder_of_articles_audio_and_a_channel_feed() {
    let dir = Show::empty();
    std::fs::copy(repo().join("mspod.toml"), dir.file("mspod.toml")).expect("copy");
    for (slug, article) in [
        ("first-therapy-session", "article.html"),
        ("grounding-techniques-for-panic", "article.md"),
        ("relationship-as-medicine", "article.html"),
        ("welcome-to-mentalspace", "article.md"),
    ] {
        let ext = Path::new(article).extension().expect("an extension");
        let episode = repo().join("episodes").join(slug);
        let to = dir.file("articles").join(slug).with_extension(ext);
        std::fs::create_dir_all(dir.file("articles")).expect("mkdir");
        std::fs::create_dir_all(dir.file("audio")).expect("mkdir");
        std::fs::copy(episode.join(article), to).expect("copy article");
        std::fs::copy(
            episode.join("audio.mp3"),
            dir.file("audio").join(format!("{slug}.mp3")),
        )
        .expect("copy audio");
    }
    std::fs::copy(
        repo().join("tests/fixtures/pair/channel.xml"),
        dir.file("channel.xml"),
    )
    .expect("copy channel");
    let args = [
        "pair",
        "--articles",
        "articles",
        "--audio",
        "audio",
        "--videos",
        "channel.xml",
        "--dry-run",
        "--format",
        "json",
    ];
    assert_snapshot("pair_dry_run_json", &transcript(dir.path(), &args));
}

/// Runs mspod with a standard output nobody reads: the pipe's read end is
/// closed before mspod starts, so its first write fails (EPIPE).
fn with_closed_stdout(args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_mspod"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("the mspod binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_reader_that_stops_reading_ends_mspod_quietly() {
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["validate", "--rules"],
        &[
            "inspect",
            "--json",
            "tests/fixtures/audio/mp3-vbr-xing-id3v24-chapters.mp3",
        ],
        // The sample show's feeds/ against another feed: a long listing.
        &["diff", "--base", "tests/fixtures/validate/apple-author.xml"],
    ] {
        let run = with_closed_stdout(args);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (0, ""),
            "mspod {}",
            args.join(" ")
        );
    }
}

#[test]
fn the_comparison_sees_any_difference_and_redaction_hides_only_the_given_paths() {
    assert_eq!(compare("exit: 0\n", "exit: 0\n"), Ok(()));
    let why = compare("exit: 0\n--- stdout\na\n", "exit: 0\n--- stdout\nb\n").expect_err("differs");
    assert!(why.starts_with("at line 3:"), "{why}");
    // A missing trailing newline is a difference too.
    assert!(compare("x\n", "x").is_err());
    let root = Path::new("/tmp/.tmpAbC");
    assert_eq!(
        redact(
            "error: /tmp/.tmpAbC/mspod.toml:3 (not /tmp/other)",
            &[(root, "[ROOT]")]
        ),
        "error: [ROOT]/mspod.toml:3 (not /tmp/other)"
    );
}
