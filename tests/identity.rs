//! Stable identity: mspod.lock keeps every published episode's GUID, first
//! pubDate and enclosure URL through renames, reorders, title edits and
//! re-encodes; `mspod import` adopts an existing feed's identities.

mod support;

use std::collections::BTreeMap;
use support::{Show, fixture, mspod, repo};

/// GUID → (title, pubDate, enclosure url, length), read from the feed with the `rss` crate.
fn items(show: &Show) -> BTreeMap<String, (String, String, String, String)> {
    let bytes = std::fs::read(show.file("feeds/podcast.xml")).expect("feed");
    let channel = rss::Channel::read_from(bytes.as_slice()).expect("rss reads the feed");
    channel
        .items()
        .iter()
        .map(|i| {
            let e = i.enclosure().expect("enclosure");
            (
                i.guid().expect("guid").value().to_string(),
                (
                    i.title().unwrap_or_default().to_string(),
                    i.pub_date().unwrap_or_default().to_string(),
                    e.url().to_string(),
                    e.length().to_string(),
                ),
            )
        })
        .collect()
}

fn guid_of(show: &Show, title_part: &str) -> String {
    items(show)
        .into_iter()
        .find(|(_, (t, ..))| t.contains(title_part))
        .map(|(g, _)| g)
        .unwrap_or_else(|| panic!("no item titled *{title_part}*"))
}

fn sample() -> Show {
    Show::sample_unpublished()
}

#[test]
fn publish_records_every_episode_in_the_lock() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    let lock = show.read("mspod.lock");
    for (guid, _) in items(&show) {
        assert!(
            lock.contains(&format!("guid = \"{guid}\"")),
            "{guid} not in\n{lock}"
        );
    }
    assert!(lock.contains("paired_by = \"manifest\""));
    show.publish(&["--check"]).expect_code(0);
}

#[test]
fn check_fails_without_the_lock() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    std::fs::remove_file(show.file("mspod.lock")).expect("rm");
    show.publish(&["--check"])
        .expect_code(1)
        .stderr_has("mspod.lock does not match the feed");
}

#[test]
fn a_lock_laid_out_by_hand_is_kept_while_what_it_says_holds() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    // A comment and the entries' keys in another order: the same identities.
    let lock = show.read("mspod.lock");
    let relaid = format!(
        "# kept by the team\n{}",
        lock.replace("paired_by = \"manifest\"\n", "")
            .replace("[[episode]]\n", "[[episode]]\npaired_by = \"manifest\"\n")
    );
    assert_ne!(relaid, lock);
    show.write("mspod.lock", &relaid);
    show.edit("episodes/welcome-to-mentalspace/episode.toml", |t| {
        format!("{t}title = \"Welcome, again\"\n")
    });
    show.publish(&[]).expect_code(0);
    assert_eq!(show.read("mspod.lock"), relaid, "nothing it says changed");
    show.publish(&["--check"]).expect_code(0);
}

#[test]
fn renaming_reordering_retitling_and_reencoding_keep_guids() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    let before = items(&show);
    let guid = guid_of(&show, "Relationship as Medicine");

    // Rename the folder, retitle, renumber, re-encode (a different audio file).
    std::fs::rename(
        show.file("episodes/relationship-as-medicine"),
        show.file("episodes/relationship-medicine"),
    )
    .expect("rename");
    let manifest = "episodes/relationship-medicine/episode.toml";
    show.set(manifest, "number", "number = 7")
        // The new audio lasts 2 s: a soundbite there would be past its end (an error).
        .set(
            manifest,
            "soundbite",
            "# soundbite dropped with the old audio",
        )
        .edit(manifest, |t| {
            format!("{t}title = \"Relationship, the Medicine\"\n")
        });
    std::fs::copy(
        repo().join("src/cmd/init-template/audio.mp3"),
        show.file("episodes/relationship-medicine/audio.mp3"),
    )
    .expect("copy");
    // The rename moves the enclosure URL too: allowed explicitly, and reported.
    show.publish(&["--allow-enclosure-change"])
        .expect_code(0)
        .stderr_has("was published as `relationship-as-medicine`: GUID")
        .stderr_has("enclosure URL changed from https://media.example.org/podcast/relationship-as-medicine/audio.mp3");

    let after = items(&show);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "same GUIDs"
    );
    assert_eq!(guid_of(&show, "Relationship, the Medicine"), guid);
    assert_ne!(
        before[&guid].3, after[&guid].3,
        "the new audio's length is published"
    );
    assert_eq!(before[&guid].1, after[&guid].1, "first pubDate kept");
}

#[test]
fn a_changed_published_date_keeps_the_first_one() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    let before = items(&show);
    show.set(
        "episodes/first-therapy-session/episode.toml",
        "published",
        "published = \"2026-06-01T09:00:00-04:00\"",
    );
    show.publish(&[])
        .expect_code(0)
        .stderr_has("the feed keeps the first date");
    assert_eq!(before, items(&show));
}

#[test]
fn removing_a_published_episode_needs_a_flag() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    let feed = show.read("feeds/podcast.xml");
    std::fs::remove_dir_all(show.file("episodes/welcome-to-mentalspace")).expect("rm");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("episode `welcome-to-mentalspace` (GUID")
        .stderr_has("--allow-removal");
    assert_eq!(
        feed,
        show.read("feeds/podcast.xml"),
        "the failed publish changed nothing"
    );
    show.publish(&["--allow-removal"]).expect_code(0);
    assert_eq!(items(&show).len(), 3);
    assert!(!show.read("mspod.lock").contains("welcome-to-mentalspace"));
}

#[test]
fn an_explicit_new_audio_url_needs_a_flag_but_a_new_media_base_keeps_old_urls() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    let before = items(&show);

    show.set(
        "mspod.toml",
        "media_base_url",
        "media_base_url = \"https://cdn.example.net/pod/\"",
    );
    show.publish(&[])
        .expect_code(0)
        .stderr_has("keeping its published enclosure URL");
    assert_eq!(before, items(&show), "published enclosure URLs do not move");

    show.edit("episodes/first-therapy-session/episode.toml", |t| {
        format!("{t}audio_url = \"https://cdn.example.net/pod/first.mp3\"\n")
    });
    show.publish(&[])
        .expect_code(1)
        .stderr_has("--allow-enclosure-change");
    show.publish(&["--allow-enclosure-change"]).expect_code(0);
    let guid = guid_of(&show, "First Therapy Session");
    assert_eq!(
        items(&show)[&guid].2,
        "https://cdn.example.net/pod/first.mp3"
    );
}

#[test]
fn import_adopts_guids_dates_and_enclosures_of_an_existing_feed() {
    let show = sample();
    // The show's old feed, from its previous host.
    show.write(
        "old-feed.xml",
        r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>MentalSpace Therapy</title><link>https://old.example/</link><description>d</description>
<item><title>Relationship as Medicine: What Therapy Does That Thinking Alone Can't</title>
  <guid isPermaLink="false">legacy-guid-0002</guid><pubDate>Wed, 06 May 2026 13:05:00 GMT</pubDate>
  <enclosure url="https://old-host.example/ep2.mp3" length="1" type="audio/mpeg"/></item>
<item><title>Anything</title><link>https://example.org/blog/first-therapy-session</link>
  <guid>legacy-guid-0004</guid><pubDate>Wed, 20 May 2026 13:00:00 +0000</pubDate>
  <enclosure url="https://old-host.example/ep4.mp3" length="1" type="audio/mpeg"/></item>
<item><title>An episode that is not in episodes/</title><guid>legacy-guid-0000</guid>
  <enclosure url="https://old-host.example/ep0.mp3" length="1" type="audio/mpeg"/></item>
</channel></rss>"#,
    );
    let run = mspod(show.path(), &["import", "old-feed.xml"]);
    run.expect_code(1)
        .stdout_has("adopted  first-therapy-session")
        .stdout_has("item link is the article URL")
        .stdout_has("adopted  relationship-as-medicine")
        .stdout_has("same title")
        .stdout_has("no episode for feed item \"An episode that is not in episodes/\"");

    show.publish(&[])
        .expect_code(0)
        .stderr_has("keeping its published enclosure URL https://old-host.example/ep2.mp3");
    let feed = items(&show);
    assert_eq!(
        feed["legacy-guid-0002"].1,
        "Wed, 06 May 2026 13:05:00 +0000"
    );
    assert_eq!(
        feed["legacy-guid-0002"].2,
        "https://old-host.example/ep2.mp3"
    );
    assert_eq!(
        feed["legacy-guid-0004"].2,
        "https://old-host.example/ep4.mp3"
    );
    assert_eq!(feed.len(), 4);
}

#[test]
fn import_from_a_real_world_feed() {
    // podcast-partytime's test feed "Changing the Tide" (15 items; GUIDs are hex strings).
    let show = Show::init();
    show.edit("episodes/welcome/episode.toml", |t| {
        format!("{t}title = \"0.00000014: 8₿it, BTC.email\"\n")
    });
    let feed = fixture("real-feeds/partytime--changing-the-tide.xml");
    let run = mspod(show.path(), &["import", feed.to_str().expect("utf-8 path")]);
    run.expect_code(1)
        .stdout_has("adopted  welcome")
        .stdout_has("guid 4ea6884c2efc74fd546d4c08cbfba789");
    assert_eq!(run.stdout.matches("no episode for feed item").count(), 14);
    show.publish(&[]).expect_code(0);
    let items = items(&show);
    let (_, date, url, _) = &items["4ea6884c2efc74fd546d4c08cbfba789"];
    assert_eq!(date, "Wed, 19 Jan 2022 10:00:00 +0000");
    assert!(url.starts_with("https://t.subsplash.com/r/"), "{url}");
}

#[test]
fn import_dry_run_writes_nothing() {
    let show = sample();
    let feed = fixture("real-feeds/partytime--changing-the-tide.xml");
    mspod(
        show.path(),
        &["import", "--dry-run", feed.to_str().expect("utf-8 path")],
    )
    .expect_code(1);
    assert!(!show.file("mspod.lock").exists());
}
