//! What mspod promises when contributors, or their files, are hostile or broken.
//!
//! Each test is one attack (or accident) and is named for the promise it checks.
//! Files and paths (README "Trust model"):
//!
//! - every file a manifest names stays inside the content folder, symlinks included;
//! - nothing is written or deleted through a symlink in the output folder;
//! - an interrupted publish is finished or undone by the next one, and `--check` sees it;
//! - one publish at a time per content folder;
//! - a content folder mspod cannot write leaves the old feed in place;
//! - dates: a typo'd future date can be corrected, a far-future one needs a flag;
//! - truncated audio and non-regular files are refused with a clear message.
// Symlinks, FIFOs and permissions as these tests make them are Unix's.
#![cfg(unix)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Run, Show, fixture, mspod, mspod_env, tree};

const EPISODE: &str = "episodes/welcome/episode.toml";

/// A folder outside the show, with a file in it; removed when dropped.
struct Outside {
    dir: tempfile::TempDir,
}

impl Outside {
    fn with(name: &str, text: &str) -> Outside {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(name), text).expect("write");
        Outside { dir }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn symlink(target: &Path, link: &Path) {
    let _ = std::fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// A show that published once (so feeds/ and mspod.lock exist).
fn published() -> Show {
    let show = Show::init();
    show.publish(&[]).expect_code(0);
    show
}

/// Runs mspod, killing it if it has not finished after `secs`: a hang is a failure.
fn mspod_within(dir: &Path, args: &[&str], secs: u64) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mspod"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mspod runs");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("mspod {args:?} still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Asserts two trees are equal, naming the files that differ (not dumping bytes).
fn assert_same_tree(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: files");
    for ((name, x), (_, y)) in a.iter().zip(b) {
        assert!(x == y, "{what}: {name} differs");
    }
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(ok.success(), "mkfifo {}", path.display());
}

// ---- 1. Every file a manifest names stays inside the content folder ----

#[test]
fn article_path_outside_root_is_refused() {
    let show = Show::init();
    show.set(EPISODE, "article", "article = \"/proc/self/environ\"");
    let secret = "hostile-secret-7f3a9c";
    mspod_env(show.path(), &["publish"], &[("MSPOD_TEST_SECRET", secret)])
        .expect_code(1)
        .stderr_has("episode.toml")
        .stderr_has("`article`")
        .stderr_has("outside the content folder");
    assert!(!show.file("feeds").exists(), "nothing is published");
}

#[test]
fn article_path_climbing_out_with_dotdot_is_refused() {
    let show = Show::init();
    let outside = Outside::with("secret.md", "# Secret\n\nnot for the feed\n");
    let name = outside.path().file_name().expect("name").to_string_lossy();
    // episodes/welcome/../../.. is the folder that holds the show (and `outside`).
    show.set(
        EPISODE,
        "article",
        &format!("article = \"../../../{name}/secret.md\""),
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("`article`")
        .stderr_has("outside the content folder");
}

#[test]
fn article_symlink_leading_outside_root_is_refused() {
    let show = Show::init();
    let outside = Outside::with("secret.md", "# Secret\n\nnot for the feed\n");
    symlink(
        &outside.file("secret.md"),
        &show.file("episodes/welcome/article.md"),
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("`article`")
        .stderr_has("outside the content folder");
    assert!(!show.file("feeds").exists());
}

#[test]
fn transcript_image_and_video_keys_outside_root_are_refused() {
    for key in ["transcript", "image", "video_file"] {
        let show = Show::init();
        show.edit(EPISODE, |t| format!("{key} = \"/etc/passwd\"\n{t}"));
        show.publish(&[])
            .expect_code(1)
            .stderr_has(&format!("`{key}`"))
            .stderr_has("outside the content folder");
        assert!(!show.file("feeds").exists(), "{key}: nothing is published");
    }
}

#[test]
fn files_found_beside_the_manifest_that_link_outside_are_refused() {
    for name in ["transcript.vtt", "cover.jpg"] {
        let show = Show::init();
        let outside = Outside::with("secret", "WEBVTT\n\n00:00.000 --> 00:01.000\nsecret\n");
        symlink(
            &outside.file("secret"),
            &show.file(&format!("episodes/welcome/{name}")),
        );
        show.publish(&[])
            .expect_code(1)
            .stderr_has("outside the content folder");
        assert!(!show.file("feeds").exists(), "{name}: nothing is published");
    }
}

#[test]
fn a_symlink_that_stays_inside_the_root_is_fine() {
    let show = Show::init();
    std::fs::create_dir_all(show.file("shared")).expect("mkdir");
    std::fs::rename(
        show.file("episodes/welcome/article.md"),
        show.file("shared/article.md"),
    )
    .expect("move");
    symlink(
        Path::new("../../shared/article.md"),
        &show.file("episodes/welcome/article.md"),
    );
    show.publish(&[]).expect_code(0);
}

#[test]
fn absolute_audio_path_outside_root_is_refused() {
    let show = Show::init();
    let outside = tempfile::tempdir().expect("temp dir");
    let audio = outside.path().join("private-recording.mp3");
    std::fs::copy(show.file("episodes/welcome/audio.mp3"), &audio).expect("copy");
    show.set(
        EPISODE,
        "audio",
        &format!("audio = \"{}\"", audio.display()),
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("`audio`")
        .stderr_has("outside the content folder");
    assert!(!show.file("feeds").exists());
}

#[test]
fn absolute_audio_path_inside_root_never_puts_local_folders_in_the_url() {
    let show = Show::init();
    let audio = show
        .path()
        .canonicalize()
        .expect("canonical")
        .join("episodes/welcome/audio.mp3");
    show.set(
        EPISODE,
        "audio",
        &format!("audio = \"{}\"", audio.display()),
    );
    show.publish(&[]).expect_code(0);
    let feed = show.read("feeds/podcast.xml");
    assert!(feed.contains("welcome/audio.mp3\""), "{feed}");
    let temp_name = show.path().file_name().expect("name").to_string_lossy();
    assert!(!feed.contains(temp_name.as_ref()), "local path in {feed}");
}

#[test]
fn cover_image_outside_root_is_refused() {
    let show = Show::init();
    show.set("mspod.toml", "image", "image = \"/etc/hostname\"");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("mspod.toml")
        .stderr_has("`image`")
        .stderr_has("outside the content folder");
}

#[test]
fn symlinked_episode_folder_outside_root_is_refused() {
    let show = Show::init();
    let outside = tempfile::tempdir().expect("temp dir");
    support::copy_dir(
        &show.file("episodes/welcome"),
        &outside.path().join("evil"),
        &[],
    );
    symlink(&outside.path().join("evil"), &show.file("episodes/evil"));
    show.publish(&[])
        .expect_code(1)
        .stderr_has("episodes/evil")
        .stderr_has("outside the content folder");
}

// ---- 6. Nothing is written or deleted through a symlink in feeds/ ----

#[test]
fn symlinked_episode_output_folder_is_refused() {
    let show = published();
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::remove_dir_all(show.file("feeds/welcome")).expect("rm");
    symlink(outside.path(), &show.file("feeds/welcome"));
    show.publish(&["--no-cache"])
        .expect_code(2)
        .stderr_has("feeds/welcome")
        .stderr_has("symbolic link");
    assert!(tree(outside.path()).is_empty(), "nothing written outside");
}

#[test]
fn dangling_symlink_at_an_output_path_is_refused() {
    let show = Show::init();
    let outside = tempfile::tempdir().expect("temp dir");
    let target = outside.path().join("planted.md");
    std::fs::create_dir_all(show.file("feeds/welcome")).expect("mkdir");
    symlink(&target, &show.file("feeds/welcome/show-notes.md"));
    show.publish(&[]).expect_code(2).stderr_has("symbolic link");
    assert!(!target.exists(), "the link's target was not created");
}

#[test]
fn pruning_never_deletes_through_a_symlinked_folder() {
    let show = published();
    let outside = Outside::with("precious.txt", "keep me");
    // The index of the last publish lists a file under a folder that is now a link.
    show.edit(".mspod/published-files", |t| {
        format!("{t}victim/precious.txt\n")
    });
    symlink(outside.path(), &show.file("feeds/victim"));
    show.publish(&["--no-cache"])
        .expect_code(2)
        .stderr_has("feeds/victim")
        .stderr_has("symbolic link");
    assert!(outside.file("precious.txt").exists(), "not deleted");
}

#[test]
fn symlinked_output_folder_is_refused() {
    let show = Show::init();
    let outside = tempfile::tempdir().expect("temp dir");
    symlink(outside.path(), &show.file("feeds"));
    show.publish(&[]).expect_code(2).stderr_has("symbolic link");
    assert!(tree(outside.path()).is_empty());
}

#[test]
fn symlinked_cache_folder_is_refused() {
    let show = Show::init();
    let outside = tempfile::tempdir().expect("temp dir");
    symlink(outside.path(), &show.file(".mspod"));
    for args in [&[][..], &["--no-cache"], &["--check"]] {
        show.publish(args)
            .expect_code(2)
            .stderr_has(".mspod")
            .stderr_has("symbolic link");
        assert!(
            tree(outside.path()).is_empty(),
            "{args:?}: nothing written outside"
        );
    }
}

#[test]
fn the_episode_records_are_never_read_or_appended_through_a_link() {
    let show = Show::sample_unpublished();
    show.publish(&[]).expect_code(0);
    // One episode's summary: one record appended to the log.
    show.edit("episodes/relationship-as-medicine/episode.toml", |t| {
        format!("{t}summary = \"A shorter hook.\"\n")
    });
    show.publish(&[]).expect_code(0);
    // The log moved outside, a link left in its place.
    let log = show.read(".mspod/episodes.log");
    let outside = Outside::with("log", &log);
    std::fs::remove_file(show.file(".mspod/episodes.log")).expect("rm");
    symlink(&outside.file("log"), &show.file(".mspod/episodes.log"));
    show.edit(
        "episodes/grounding-techniques-for-panic/episode.toml",
        |t| format!("{t}summary = \"Another hook.\"\n"),
    );
    show.publish(&[]).expect_code(0);
    assert!(show.read("feeds/podcast.xml").contains("Another hook."));
    assert_eq!(
        std::fs::read_to_string(outside.file("log")).unwrap_or_default(),
        log,
        "nothing appended there"
    );
    let meta = std::fs::symlink_metadata(show.file(".mspod/episodes.log"));
    assert!(
        meta.map_or(true, |m| !m.file_type().is_symlink()),
        "the link was replaced, not followed"
    );
    show.publish(&["--check"]).expect_code(0);
}

// ---- 7. An interrupted publish is finished or undone, and --check sees it ----

#[test]
fn a_lock_staged_by_a_killed_publish_is_removed_by_the_next() {
    let show = published();
    let lock = show.read("mspod.lock");
    // mspod.lock is written beside itself before the switch: a run killed in between
    // leaves that file. A file of the user's with a name like it stays.
    show.write(".mspod.lock.Xy12Ab", "half a lock");
    show.write(".mspod.lockfile-notes", "the team's own notes");
    show.publish(&[]).expect_code(0);
    assert!(!show.file(".mspod.lock.Xy12Ab").exists());
    assert_eq!(show.read(".mspod.lockfile-notes"), "the team's own notes");
    assert_eq!(show.read("mspod.lock"), lock);
    // --check writes nothing, so it removes nothing either.
    show.write(".mspod.lock.Zz99Zz", "half a lock");
    show.publish(&["--check"]).expect_code(0);
    assert!(show.file(".mspod.lock.Zz99Zz").exists());
}

#[test]
fn a_publish_killed_after_its_commit_point_is_finished_by_the_next() {
    let show = published();
    let good = tree(&show.file("feeds"));
    // What a publish killed during its renames leaves: a committed journal, one
    // rename still to do.
    let staging = show.file("feeds/.mspod-staging-killed");
    std::fs::create_dir_all(&staging).expect("mkdir");
    std::fs::write(staging.join("0"), "notes from the interrupted run").expect("write");
    std::fs::write(
        staging.join("journal"),
        "rename\t0\twelcome/show-notes.md\n",
    )
    .expect("write");
    show.publish(&["--check"])
        .expect_code(1)
        .stderr_has(".mspod-staging-killed")
        .stderr_has("interrupted publish");
    show.publish(&[])
        .expect_code(0)
        .stderr_has("finished the switch");
    assert!(!staging.exists(), "the staging folder is gone");
    assert_same_tree(&tree(&show.file("feeds")), &good, "the outputs are whole");
    show.publish(&["--check"]).expect_code(0);
}

#[test]
fn a_publish_killed_before_its_commit_point_is_undone_by_the_next() {
    let show = published();
    let good = tree(&show.file("feeds"));
    // Killed while writing: a new file created in place, no journal yet.
    let staging = show.file("feeds/.mspod-staging-killed");
    std::fs::create_dir_all(&staging).expect("mkdir");
    std::fs::write(staging.join("created"), "half/new.md\n").expect("write");
    show.write("feeds/half/new.md", "half written");
    show.publish(&["--check"])
        .expect_code(1)
        .stderr_has("interrupted");
    show.publish(&[]).expect_code(0).stderr_has("undid");
    assert!(!staging.exists());
    assert!(!show.file("feeds/half").exists());
    assert_same_tree(
        &tree(&show.file("feeds")),
        &good,
        "the outputs are as before",
    );
}

#[test]
fn a_planted_journal_cannot_move_files_from_outside_into_the_outputs() {
    let show = published();
    let outside = Outside::with("id_rsa", "PRIVATE KEY");
    let staging = show.file("feeds/.mspod-staging-planted");
    std::fs::create_dir_all(&staging).expect("mkdir");
    // From the staging folder, four levels up is `/`.
    let from = format!("../../../..{}", outside.file("id_rsa").display());
    std::fs::write(
        staging.join("journal"),
        format!("rename\t{from}\tleak.txt\n"),
    )
    .expect("write");
    show.publish(&[])
        .expect_code(2)
        .stderr_has("damaged journal");
    assert!(outside.file("id_rsa").exists(), "not moved");
    assert!(!show.file("feeds/leak.txt").exists());
}

// ---- 8. One publish at a time ----

/// Holds the content folder's publish lock as a running publish would, until dropped.
fn hold_publish_lock(show: &Show) -> std::fs::File {
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(show.file(".mspod/publish.lock"))
        .expect("the first publish made the lock file");
    lock.lock().expect("lock");
    lock
}

#[test]
fn new_and_import_wait_for_no_one_while_a_publish_holds_the_folder() {
    let show = published();
    let lock = hold_publish_lock(&show);
    let new = [
        "new",
        "second",
        "--article",
        "episodes/welcome/article.md",
        "--audio",
        "episodes/welcome/audio.mp3",
    ];
    mspod_within(show.path(), &new, 20)
        .expect_code(2)
        .stderr_has(".mspod/publish.lock");
    assert!(!show.file("episodes/second").exists(), "nothing written");
    std::fs::write(
        show.file("old.xml"),
        "<rss version=\"2.0\"><channel><title>x</title></channel></rss>",
    )
    .expect("feed");
    mspod_within(show.path(), &["import", "old.xml"], 20)
        .expect_code(2)
        .stderr_has(".mspod/publish.lock");
    drop(lock);
    mspod_within(show.path(), &new, 20).expect_code(0);
}

#[test]
fn a_second_publish_fails_fast_while_one_is_running() {
    let show = published();
    let lock = hold_publish_lock(&show);
    let started = Instant::now();
    mspod_within(show.path(), &["publish", "--no-cache"], 20)
        .expect_code(2)
        .stderr_has(".mspod/publish.lock")
        .stderr_has("another mspod command that writes this content folder");
    assert!(started.elapsed() < Duration::from_secs(10), "fails fast");
    drop(lock);
    show.publish(&["--no-cache"]).expect_code(0);
}

// ---- 9. A content folder mspod cannot write keeps its old feed ----

#[test]
fn read_only_content_root_keeps_the_old_feed_and_names_the_lock_file() {
    use std::os::unix::fs::PermissionsExt;
    let show = published();
    let feed = show.read("feeds/podcast.xml");
    // A new video changes both the feed and mspod.lock.
    show.set(
        EPISODE,
        "youtube",
        "youtube = \"https://youtu.be/dQw4w9WgXcQ\"",
    );
    // Everything but the folder itself stays writable: only mspod.lock cannot be replaced.
    let root = show.path().to_path_buf();
    let chmod = |mode: &str, args: &[&Path]| {
        let ok = Command::new("chmod")
            .arg(mode)
            .args(args)
            .status()
            .expect("chmod");
        assert!(ok.success());
    };
    chmod("-R", &[Path::new("a+rX"), &root]);
    chmod(
        "-R",
        &[
            Path::new("a+rwX"),
            &root.join(".mspod"),
            &root.join("feeds"),
            &root.join("episodes"),
        ],
    );
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root ignores permissions: run as nobody when the tests run as root.
    let run = if is_root() {
        let out = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_mspod"))
            .args(["publish", "--no-cache"])
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .output()
            .expect("setpriv runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    } else {
        mspod(&root, &["publish", "--no-cache"])
    };
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    run.expect_code(2).stderr_has("mspod.lock");
    assert!(
        !run.stderr.contains(".tmp"),
        "the error names the file, not a temp file: {}",
        run.stderr
    );
    assert_eq!(
        show.read("feeds/podcast.xml"),
        feed,
        "the feed is unchanged"
    );
    assert!(publish_leftovers(&show).is_empty());
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn publish_leftovers(show: &Show) -> Vec<String> {
    std::fs::read_dir(show.file("feeds"))
        .expect("feeds")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".mspod-staging"))
        .collect()
}

// ---- 10. Dates ----

#[test]
fn a_typod_future_first_date_can_be_corrected() {
    let show = Show::init();
    show.set(
        EPISODE,
        "published",
        "published = \"2062-01-05T09:00:00-05:00\"",
    );
    show.publish(&["--allow-future"]).expect_code(0);
    assert!(show.read("mspod.lock").contains("2062-01-05"));
    show.set(
        EPISODE,
        "published",
        "published = \"2026-01-05T09:00:00-05:00\"",
    );
    show.publish(&[])
        .expect_code(0)
        .stderr_has("pubDate changed");
    assert!(show.read("feeds/podcast.xml").contains("05 Jan 2026"));
    assert!(show.read("mspod.lock").contains("2026-01-05"));
}

#[test]
fn a_date_more_than_a_day_ahead_needs_allow_future() {
    let show = Show::init();
    show.set(
        EPISODE,
        "published",
        "published = \"2062-01-05T09:00:00-05:00\"",
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("episode.toml")
        .stderr_has("`published`")
        .stderr_has("--allow-future");
    assert!(!show.file("feeds").exists());
    show.publish(&["--allow-future"]).expect_code(0);
}

#[test]
fn a_published_date_is_frozen_unless_allow_date_change() {
    let show = published();
    show.set(
        EPISODE,
        "published",
        "published = \"2026-01-04T09:00:00-05:00\"",
    );
    show.publish(&[])
        .expect_code(0)
        .stderr_has("--allow-date-change");
    assert!(show.read("feeds/podcast.xml").contains("05 Jan 2026"));
    show.publish(&["--allow-date-change"]).expect_code(0);
    assert!(show.read("feeds/podcast.xml").contains("04 Jan 2026"));
}

// ---- 11. Truncated audio ----

#[test]
fn truncated_audio_is_a_content_error_unless_allowed() {
    let show = Show::init();
    std::fs::copy(
        fixture("audio/bad-truncated-midframe.mp3"),
        show.file("episodes/welcome/audio.mp3"),
    )
    .expect("copy");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("audio.mp3")
        .stderr_has("truncated")
        .stderr_has("allow_truncated = true");
    assert!(!show.file("feeds").exists());
    show.edit(EPISODE, |t| format!("{t}allow_truncated = true\n"));
    show.publish(&[]).expect_code(0);
}

#[test]
fn inspect_only_warns_about_truncated_audio() {
    let show = Show::empty();
    let run = mspod(
        show.path(),
        &[
            "inspect",
            "--json",
            &fixture("audio/bad-truncated-midframe.mp3")
                .display()
                .to_string(),
        ],
    );
    run.expect_code(0);
    assert!(run.json()["warnings"].to_string().contains("truncated"));
}

#[test]
fn every_truncated_fixture_is_recognised_as_truncated() {
    for name in [
        "bad-truncated-midframe.mp3",
        "bad-truncated-flac.flac",
        "bad-truncated-faststart.m4a",
        "bad-truncated-opus.opus",
        "bad-truncated-wav.wav",
    ] {
        let info = mspod::media::probe(&fixture(&format!("audio/{name}")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            mspod::media::truncation(&info).is_some(),
            "{name}: {:?}",
            info.warnings
        );
    }
    for name in [
        "mp3-cbr-id3v23.mp3",
        "flac.flac",
        "m4a-aac-faststart.m4a",
        "opus.opus",
        "wav.wav",
    ] {
        let info = mspod::media::probe(&fixture(&format!("audio/{name}")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(mspod::media::truncation(&info), None, "{name}");
    }
}

// ---- 12. FIFOs and other special files ----

#[test]
fn inspect_on_a_fifo_does_not_hang_and_reports_the_other_files() {
    let show = Show::empty();
    let fifo = show.file("pipe.mp3");
    mkfifo(&fifo);
    let good = fixture("audio/mp3-cbr-id3v23.mp3");
    let run = mspod_within(
        show.path(),
        &["inspect", "--json", "pipe.mp3", &good.display().to_string()],
        20,
    );
    run.expect_code(1).stdout_has("not a regular file");
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("\"duration\""), "the good file is read");
}

#[test]
fn publish_says_a_fifo_is_not_a_regular_file() {
    let show = Show::init();
    mkfifo(&show.file("episodes/welcome/audio.mp3"));
    mspod_within(show.path(), &["publish"], 20)
        .expect_code(1)
        .stderr_has("`audio`")
        .stderr_has("not a regular file");
}

#[test]
fn a_fifo_in_place_of_mspod_lock_does_not_hang_publish() {
    let show = Show::init();
    mkfifo(&show.file("mspod.lock"));
    mspod_within(show.path(), &["publish"], 20)
        .expect_code(2)
        .stderr_has("mspod.lock")
        .stderr_has("not a regular file");
}

#[test]
fn an_article_that_is_a_folder_is_not_a_regular_file() {
    let show = Show::init();
    std::fs::remove_file(show.file("episodes/welcome/article.md")).expect("rm");
    std::fs::create_dir(show.file("episodes/welcome/article.md")).expect("mkdir");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("`article`")
        .stderr_has("not a regular file");
}

// ---- The manifest loader on mangled text (a deterministic mini-fuzz; see fuzz/) ----

#[test]
fn mangled_manifests_are_errors_naming_the_file_never_panics() {
    let manifest = include_str!("../src/cmd/init-template/episode.toml");
    let config = include_str!("../src/cmd/init-template/mspod.toml");
    const PIECES: [&str; 24] = [
        "\"",
        "'",
        "=",
        "[",
        "]",
        "[[chapters]]\n",
        "\n",
        "\\u",
        "é",
        "\u{202e}",
        "0",
        "-",
        ":",
        "{",
        "}",
        "#",
        "start = ",
        "99999999999999999999",
        "nan",
        "-inf",
        "\"\"\"",
        "../",
        "/",
        "\u{0}",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for round in 0..4000 {
        let mut text = if round % 2 == 0 { manifest } else { config }.to_string();
        for _ in 0..1 + next() % 4 {
            let mut at = next() % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match next() % 3 {
                0 => text.insert_str(at, PIECES[next() % PIECES.len()]),
                1 => {
                    let mut end = (at + next() % 12).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => text.truncate(at),
            }
        }
        let result = std::panic::catch_unwind(|| {
            if round % 2 == 0 {
                mspod::load::check_manifest_text(&text)
            } else {
                mspod::load::check_config_text(&text)
            }
        });
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => assert!(e.to_string().contains(".toml"), "{e}"),
            Err(_) => panic!("the loader panicked on:\n{text}"),
        }
    }
}
