//! `mspod diff` (what listeners will see change) and the CI helpers
//! `mspod completions` and `mspod man`.

mod support;

use std::process::Command;
use support::{Show, mspod};

/// A copy of the sample show with its lock, published.
fn sample() -> Show {
    let show = Show::empty();
    let repo = support::repo();
    support::copy_dir(&repo.join("episodes"), &show.file("episodes"), &[]);
    for f in ["mspod.toml", "mspod.lock"] {
        std::fs::copy(repo.join(f), show.file(f)).expect("copy");
    }
    show.publish(&[]).expect_code(0);
    show
}

fn git(show: &Show, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(show.path())
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn diff_against_the_committed_feed_lists_new_and_retitled_episodes() {
    let show = sample();
    git(&show, &["init", "-q"]);
    git(&show, &["add", "-A"]);
    git(&show, &["commit", "-qm", "published"]);

    show.edit("episodes/welcome-to-mentalspace/episode.toml", |t| {
        format!("title = \"Welcome, listener\"\n{t}")
    });
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
        "title",
        "title = \"A brand new episode\"",
    )
    .set(
        "episodes/new-episode/episode.toml",
        "published",
        "published = \"2026-06-03T09:00:00-04:00\"",
    );
    show.publish(&[]).expect_code(0);

    let text = mspod(show.path(), &["diff"]);
    text.expect_code(0)
        .stdout_has("+ added \"A brand new episode\" (Wed, 03 Jun 2026 13:00:00 +0000, ")
        .stdout_has("~ \"Welcome, listener\": title: \"Welcome to MentalSpace Therapy\" -> \"Welcome, listener\"")
        .stdout_has("1 added, 0 removed, 1 changed");
    assert!(
        !text.stdout.contains("!!"),
        "no GUID or enclosure change: {}",
        text.stdout
    );

    let md = mspod(
        show.path(),
        &["diff", "--base", "HEAD", "--format", "markdown"],
    );
    md.expect_code(0)
        .stdout_has("### Feed changes")
        .stdout_has("- **Added** A brand new episode")
        .stdout_has("  - title: `Welcome to MentalSpace Therapy` → `Welcome, listener`");

    let json = mspod(show.path(), &["diff", "--format", "json"]).json();
    assert_eq!(json["added"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["changed"][0]["changes"][0]["field"], "title");
    assert_eq!(json["loud"], 0);
}

#[test]
fn guid_and_enclosure_url_changes_are_flagged_loudly() {
    let show = sample();
    // The "deployed" feed had other identities for two episodes.
    let feed = show.read("feeds/podcast.xml");
    let old = feed
        .replace(
            "b06c050a-d987-5dfe-becb-4e955b107945",
            "old-guid-of-welcome",
        )
        .replace(
            "https://media.example.org/podcast/first-therapy-session/audio.mp3",
            "https://old-host.example.org/first.mp3",
        );
    assert_ne!(old, feed);
    show.write("deployed.xml", &old);

    let run = mspod(show.path(), &["diff", "--base", "deployed.xml"]);
    run.expect_code(0)
        .stdout_has("!! \"Welcome to MentalSpace Therapy\": guid changed: old-guid-of-welcome -> b06c050a-d987-5dfe-becb-4e955b107945: apps will show it as a new episode (a duplicate)")
        .stdout_has("enclosure_url changed: https://old-host.example.org/first.mp3 -> https://media.example.org/podcast/first-therapy-session/audio.mp3: apps will download it again")
        .stdout_has("2 GUID/enclosure URL change(s)");
    let md = mspod(
        show.path(),
        &["diff", "--base", "deployed.xml", "--format", "markdown"],
    );
    md.stdout_has("> [!WARNING]");
    assert_eq!(
        mspod(
            show.path(),
            &["diff", "--base", "deployed.xml", "--format", "json"]
        )
        .json()["loud"],
        2
    );
}

#[test]
fn the_same_feed_has_no_changes_and_a_bad_base_is_named() {
    let show = sample();
    mspod(show.path(), &["diff", "--base", "feeds"])
        .expect_code(0)
        .stdout_has("no listener-visible changes");
    show.write("broken.xml", "not a feed");
    mspod(show.path(), &["diff", "--base", "broken.xml"])
        .expect_code(2)
        .stderr_has("--base broken.xml: not an RSS feed");
}

#[test]
fn completions_and_the_man_page_know_every_command() {
    let dir = Show::empty();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = mspod(dir.path(), &["completions", shell]);
        run.expect_code(0)
            .stdout_has("deploy")
            .stdout_has("dry-run");
    }
    mspod(dir.path(), &["completions", "bash"]).stdout_has("_mspod()");
    let man = mspod(dir.path(), &["man"]);
    man.expect_code(0)
        .stdout_has(".TH mspod")
        .stdout_has("deploy");
}

/// The README's GitHub Actions workflow: every `mspod` command in it parses,
/// and the checks it runs on a pull request pass on a committed sample show.
#[test]
fn the_readme_workflow_runs_on_the_sample_show() {
    let readme = std::fs::read_to_string(support::repo().join("README.md")).expect("README");
    let start = readme.find("name: podcast\n").expect("the workflow block");
    let block = &readme[start..start + readme[start..].find("```").expect("block end")];
    let commands: Vec<Vec<String>> = block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- run: ./target/release/mspod "))
        .map(|cmd| {
            // The expression GitHub substitutes, and the summary redirect.
            let cmd = cmd
                .replace(
                    "\"${{ github.event.pull_request.base.sha || 'HEAD~1' }}\"",
                    "HEAD~1",
                )
                .replace(">> \"$GITHUB_STEP_SUMMARY\"", "");
            cmd.split_whitespace().map(str::to_string).collect()
        })
        .collect();
    let names: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    assert_eq!(names, ["publish", "validate", "diff", "deploy"]);
    for c in &commands {
        let argv = std::iter::once("mspod".to_string()).chain(c.iter().cloned());
        if let Err(e) = <mspod::cli::Cli as clap::Parser>::try_parse_from(argv) {
            panic!(
                "README workflow: `mspod {}` does not parse: {e}",
                c.join(" ")
            );
        }
    }

    let show = sample();
    git(&show, &["init", "-q"]);
    git(&show, &["add", "-A"]);
    git(&show, &["commit", "-qm", "first"]);
    show.edit("episodes/welcome-to-mentalspace/episode.toml", |t| {
        format!("title = \"Welcome, listener\"\n{t}")
    });
    show.publish(&[]).expect_code(0);
    git(&show, &["commit", "-qam", "retitle"]);
    for c in commands.iter().filter(|c| c[0] != "deploy") {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        let run = mspod(show.path(), &args);
        run.expect_code(0);
        if c[0] == "diff" {
            run.stdout_has("### Feed changes")
                .stdout_has("- **Changed** Welcome, listener");
        }
    }
}

#[test]
fn paging_a_feed_changes_nothing_for_listeners() {
    let show = sample();
    git(&show, &["init", "-q"]);
    git(&show, &["add", "-A"]);
    git(&show, &["commit", "-qm", "one page"]);
    show.edit("mspod.toml", |t| format!("{t}\n[feed]\nmax_items = 2\n"));
    show.publish(&[]).expect_code(0);
    assert!(show.file("feeds/podcast-2.xml").is_file());
    mspod(show.path(), &["diff"])
        .expect_code(0)
        .stdout_has("no listener-visible changes");
    // And the other way round: the paged feed, read page by page, as the base.
    git(&show, &["commit", "-qam", "paged"]);
    let json = mspod(show.path(), &["diff", "--base", "HEAD", "--format", "json"]).json();
    assert_eq!(json["removed"], serde_json::json!([]));
}
