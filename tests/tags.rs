//! The Podcasting 2.0 and Apple tags mspod writes (issue 12): what the sample show's
//! feed carries, where each value comes from, and the clear errors and warnings for
//! bad artwork, unknown people and bad keys. Driven through the real binary.

mod support;

use support::{Show, fixture, mspod, repo};

/// The sample show without its published outputs.
fn sample() -> Show {
    Show::sample_locked()
}

/// The text of the `<item>` whose `<title>` starts with `title`.
fn item<'a>(feed: &'a str, title: &str) -> &'a str {
    let at = feed
        .find(&format!("<title>{title}"))
        .unwrap_or_else(|| panic!("no item titled {title}"));
    let start = feed[..at].rfind("<item>").expect("item start");
    let end = at + feed[at..].find("</item>").expect("item end");
    &feed[start..end]
}

/// The channel's own elements (before the first item).
fn channel(feed: &str) -> &str {
    &feed[..feed.find("<item>").expect("an item")]
}

#[test]
fn the_sample_feed_carries_people_artwork_location_license_trailer_soundbite_and_video() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    let feed = show.read("feeds/podcast.xml");
    let ch = channel(&feed);

    // Show level: locked by default, license, the practice's service area, the schedule.
    assert!(ch.contains(r#"<podcast:locked owner="podcast@example.org">yes</podcast:locked>"#));
    assert!(ch.contains("<podcast:license>CC-BY-NC-ND-4.0</podcast:license>"));
    assert!(ch.contains(r#"<podcast:location geo="geo:32.68,-83.22" osm="R161957" country="US">Georgia, United States</podcast:location>"#));
    assert!(ch.contains(r#"<podcast:updateFrequency rrule="FREQ=WEEKLY;BYDAY=WE" dtstart="2026-05-06T09:00:00-04:00">Weekly</podcast:updateFrequency>"#));
    assert!(ch.contains(r#"<podcast:txt purpose="verify">mspod-sample-0f3a9c</podcast:txt>"#));
    // Only the host is on the channel; the guest only where they speak.
    assert!(ch.contains(r#"<podcast:person role="host" group="cast" img="https://example.org/team/dana-whitfield.jpg" href="https://example.org/team/dana-whitfield/">Dana Whitfield, LCSW</podcast:person>"#));
    assert!(!ch.contains("Marcus Bell"));
    // The trailer episode, with its enclosure's URL, size and type.
    assert!(ch.contains(r#"<podcast:trailer pubdate="Wed, 29 Apr 2026 13:00:00 +0000" url="https://media.example.org/podcast/welcome-to-mentalspace/audio.mp3" length="179006" type="audio/mpeg" season="1">Welcome to MentalSpace Therapy</podcast:trailer>"#));
    // The cover's size is read from the file.
    assert!(ch.contains(r#"<podcast:image href="https://media.example.org/podcast/cover.jpg" alt="MentalSpace Therapy" aspect-ratio="1/1" width="1400" height="1400" type="image/jpeg" purpose="artwork"/>"#));

    // Episode artwork: cover.jpg found by name, and a PNG named by `image`.
    let rel = item(&feed, "Relationship as Medicine");
    assert!(rel.contains(r#"<itunes:image href="https://media.example.org/podcast/relationship-as-medicine/cover.jpg"/>"#));
    assert!(rel.contains(r#"width="1400" height="1400" type="image/jpeg""#));
    assert!(rel.contains(">Marcus Bell, LPC</podcast:person>"));
    assert!(rel.contains(r#"<podcast:soundbite startTime="18" duration="18">Relationship as medicine, in one breath</podcast:soundbite>"#));
    let grounding = item(&feed, "Grounding Techniques");
    assert!(grounding.contains(r#"<itunes:image href="https://media.example.org/podcast/grounding-techniques-for-panic/artwork.png"/>"#));
    // No `people` there: the article's author "Dana Whitfield" is matched without the credentials.
    assert!(grounding.contains(">Dana Whitfield, LCSW</podcast:person>"));

    // Season and episode numbers say the same in both namespaces.
    for (season, number) in [(1, 1), (1, 2), (1, 3), (1, 4)] {
        assert!(feed.contains(&format!(
            "<itunes:season>{season}</itunes:season>\n      <itunes:episode>{number}</itunes:episode>"
        )));
        assert!(feed.contains(&format!(
            "<podcast:season>{season}</podcast:season>\n      <podcast:episode>{number}</podcast:episode>"
        )));
    }

    // The video: size of the file, 180 px from its video track, and the SRI of its bytes
    // (`openssl dgst -sha384 -binary video.mp4 | base64`).
    let first = item(&feed, "What to Expect");
    let bytes = std::fs::metadata(show.file("episodes/first-therapy-session/video.mp4"))
        .expect("video")
        .len();
    assert!(first.contains(&format!(
        r#"<podcast:alternateEnclosure type="video/mp4" length="{bytes}" bitrate="#
    )));
    assert!(first.contains(r#"height="180" title="Video">"#));
    assert!(first.contains(r#"<podcast:source uri="https://media.example.org/podcast/first-therapy-session/video.mp4"/>"#));
    assert!(first.contains(r#"<podcast:integrity type="sri" value="sha384-z1vHXubwg8GYR9my4+X4JNTvyUV2ZJSbQtF9h3AMbMOVki4aWiUbxXuk715MSFEZ"/>"#));
    assert!(first.contains(r#"<podcast:location rel="creator" geo="geo:33.749,-84.388">Atlanta, Georgia</podcast:location>"#));
    // The audio stays the enclosure.
    assert!(first.contains(
        r#"<enclosure url="https://media.example.org/podcast/first-therapy-session/audio.mp3""#
    ));

    // The notes page and its JSON-LD show the episode's artwork.
    let notes = show.read("feeds/relationship-as-medicine/show-notes.html");
    assert!(notes.contains(
        r#""image":"https://media.example.org/podcast/relationship-as-medicine/cover.jpg""#
    ));
    assert!(notes.contains(r#"<img src="https://media.example.org/podcast/relationship-as-medicine/cover.jpg" width="160" height="160""#));

    // And the validator finds nothing to say about any of it.
    mspod(show.path(), &["validate", "--strict", "feeds/podcast.xml"])
        .expect_code(0)
        .stdout_has("valid: 0 errors, 0 warnings, 0 infos");
}

#[test]
fn the_video_track_is_read_without_decoding() {
    let v = mspod::media::probe_video(&repo().join("episodes/first-therapy-session/video.mp4"))
        .expect("an MP4 with a video track");
    // ffprobe: h264 320x180, video stream duration 60.000000.
    assert_eq!(
        (v.track.codec.as_str(), v.track.width, v.track.height),
        ("avc1", 320, 180)
    );
    assert!(
        (v.track.duration - 60.0).abs() < 0.01,
        "{}",
        v.track.duration
    );
    // An MP3 is not a video.
    let mp3 = mspod::media::probe_video(&repo().join("episodes/first-therapy-session/audio.mp3"));
    assert!(mp3.is_err());
}

#[test]
fn episode_artwork_breaking_apples_rules_is_an_error_naming_the_file() {
    for (file, why) in [
        ("cmyk-1400.jpg", "uses CMYK colour; Apple requires RGB"),
        ("wide-1600x900.jpg", "is 1600x900 px; Apple wants a square"),
        ("png-named.jpg", "is a PNG file but named .jpg"),
    ] {
        let show = sample();
        let dir = "episodes/welcome-to-mentalspace";
        std::fs::copy(
            fixture(&format!("artwork/{file}")),
            show.file(&format!("{dir}/{file}")),
        )
        .expect("copy");
        show.edit(&format!("{dir}/episode.toml"), |t| {
            format!("{t}image = \"{file}\"\n")
        });
        show.publish(&[])
            .expect_code(1)
            .stderr_has(&format!("{dir}/{file}"))
            .stderr_has(why);
        assert!(
            !show.file("feeds/podcast.xml").exists(),
            "nothing is written"
        );
    }
}

#[test]
fn a_small_cover_found_by_name_and_a_bad_show_cover_are_errors() {
    let show = sample();
    std::fs::copy(
        fixture("audio/cover-64x48.png"),
        show.file("episodes/welcome-to-mentalspace/cover.png"),
    )
    .expect("copy");
    std::fs::copy(
        fixture("artwork/cmyk-1400.jpg"),
        show.file("episodes/cover.jpg"),
    )
    .expect("copy");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("episodes/welcome-to-mentalspace/cover.png is 64x48 px")
        .stderr_has("mspod.toml")
        .stderr_has("episodes/cover.jpg uses CMYK colour");
}

#[test]
fn a_good_png_is_accepted_wherever_it_is_named() {
    let show = sample();
    std::fs::copy(
        fixture("artwork/ok-1400.png"),
        show.file("episodes/welcome-to-mentalspace/cover.png"),
    )
    .expect("copy");
    show.publish(&[]).expect_code(0);
    let feed = show.read("feeds/podcast.xml");
    assert!(item(&feed, "Welcome to MentalSpace").contains(
        r#"<itunes:image href="https://media.example.org/podcast/welcome-to-mentalspace/cover.png"/>"#
    ));
}

#[test]
fn an_unknown_author_is_a_warning_and_never_a_made_up_person() {
    let show = sample();
    show.edit("episodes/grounding-techniques-for-panic/article.md", |t| {
        t.replace("author: Dana Whitfield", "author: Someone Else")
    });
    show.publish(&[])
        .expect_code(0)
        .stderr_has("the article's author \"Someone Else\" matches no [[people]] name");
    let feed = show.read("feeds/podcast.xml");
    assert!(!item(&feed, "Grounding Techniques").contains("<podcast:person"));
    assert!(!feed.contains("Someone Else"));
}

#[test]
fn an_unknown_person_id_is_an_error_naming_the_episode() {
    let show = sample();
    show.set(
        "episodes/welcome-to-mentalspace/episode.toml",
        "people",
        r#"people = ["dana", "nobody"]"#,
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("episodes/welcome-to-mentalspace/episode.toml")
        .stderr_has("`nobody` is not an id of [[people]]");
}

#[test]
fn bad_show_keys_are_errors_at_their_line() {
    let show = sample();
    show.edit("mspod.toml", |t| {
        t.replace(r#"role = "guest""#, r#"role = "sidekick""#)
            .replace(
                r#"update_frequency = "auto""#,
                r#"update_frequency = "WEEKLY""#,
            )
            .replace(
                r#"href = "https://example.org/team/marcus-bell/""#,
                r#"href = "http://example.org/team/marcus-bell/""#,
            )
            .replace(
                r#"license = "CC-BY-NC-ND-4.0""#,
                r#"license = "my license""#,
            )
    });
    show.publish(&[])
        .expect_code(1)
        .stderr_has("role `sidekick` is not in the Podcasting 2.0 taxonomy")
        .stderr_has("`update_frequency = \"WEEKLY\"`: `WEEKLY` is not NAME=VALUE")
        .stderr_has("must be https")
        .stderr_has("`license = \"my license\"` is not a license identifier");
}

#[test]
fn feed_control_keys_write_apple_and_podcast_tags() {
    let show = sample();
    show.set(
        "mspod.toml",
        "license",
        r#"license = { name = "Practice license", url = "https://example.org/license" }"#,
    );
    show.edit("mspod.toml", |t| {
        t.replace(
            "[show]\n",
            "[show]\nlocked = false\nnew_feed_url = \"https://new.example.org/podcast.xml\"\ncomplete = true\nblock = [\"apple\", \"spotify\"]\nfunding = { url = \"https://example.org/give\", text = \"Support the show\" }\npodroll = [\"https://podnews.net/rss\"]\npublisher = { guid = \"917393e3-1b1e-5cef-ace4-edaa54e1f810\", url = \"https://example.org/publisher.xml\" }\n",
        )
    });
    show.edit("episodes/welcome-to-mentalspace/episode.toml", |t| {
        format!("{t}block = true\n")
    });
    show.publish(&[]).expect_code(0);
    let feed = show.read("feeds/podcast.xml");
    let ch = channel(&feed);
    for line in [
        r#"<podcast:locked owner="podcast@example.org">no</podcast:locked>"#,
        "<itunes:new-feed-url>https://new.example.org/podcast.xml</itunes:new-feed-url>",
        "<itunes:complete>Yes</itunes:complete>",
        "<itunes:block>Yes</itunes:block>",
        r#"<podcast:block id="apple">yes</podcast:block>"#,
        r#"<podcast:block id="spotify">yes</podcast:block>"#,
        r#"<podcast:license url="https://example.org/license">Practice license</podcast:license>"#,
        r#"<podcast:funding url="https://example.org/give">Support the show</podcast:funding>"#,
        // A podroll URL gets the GUID the namespace derives from it.
        r#"<podcast:remoteItem feedGuid="9b024349-ccf0-5f69-a609-6b82873eab3c" feedUrl="https://podnews.net/rss"/>"#,
        r#"<podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810" feedUrl="https://example.org/publisher.xml" medium="publisher"/>"#,
        // A finished show says so in both namespaces.
        r#"<podcast:updateFrequency rrule="FREQ=WEEKLY;BYDAY=WE" dtstart="2026-05-06T09:00:00-04:00" complete="true">Weekly</podcast:updateFrequency>"#,
    ] {
        assert!(ch.contains(line), "missing {line}");
    }
    assert!(item(&feed, "Welcome to MentalSpace").contains("<itunes:block>Yes</itunes:block>"));
    mspod(show.path(), &["validate", "--strict", "feeds/podcast.xml"])
        .expect_code(0)
        .stdout_has("0 errors, 0 warnings");
}

#[test]
fn a_soundbite_past_the_end_of_the_audio_is_an_error() {
    let show = sample();
    show.set(
        "episodes/relationship-as-medicine/episode.toml",
        "soundbite",
        r#"soundbite = [{ start = "1:30", duration = 20, title = "Too late" }]"#,
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("episodes/relationship-as-medicine/episode.toml")
        .stderr_has("\"Too late\" ends at 110 s, after the audio (93 s)");
}

#[test]
fn a_video_url_without_a_video_file_is_an_error() {
    let show = sample();
    show.set(
        "episodes/first-therapy-session/episode.toml",
        "video_file",
        r#"video_url = "https://cdn.example.org/v.mp4""#,
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("`video_url` needs `video_file`");
}

#[test]
fn a_video_file_that_is_not_an_mp4_video_is_an_error_naming_it() {
    let show = sample();
    show.set(
        "episodes/first-therapy-session/episode.toml",
        "video_file",
        r#"video_file = "audio.mp3""#,
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("episodes/first-therapy-session/audio.mp3")
        .stderr_has("`video_file`:");
}

#[test]
fn the_init_template_documents_every_new_key_and_still_publishes() {
    let show = Show::init();
    let toml = show.read("mspod.toml");
    for key in [
        "locked",
        "license",
        "location",
        "txt",
        "funding",
        "podroll",
        "publisher",
        "update_frequency",
        "new_feed_url",
        "complete",
        "block",
        "medium",
        "[[people]]",
    ] {
        assert!(toml.contains(&format!("# {key}")), "mspod.toml lacks {key}");
    }
    let episode = show.read("episodes/welcome/episode.toml");
    for key in [
        "people",
        "image",
        "block",
        "soundbite",
        "location",
        "video_file",
        "video_url",
    ] {
        assert!(
            episode.contains(&format!("# {key} =")),
            "episode.toml lacks {key}"
        );
    }
    show.publish(&[]).expect_code(0);
    // Locked by default, even in a new show.
    assert!(
        show.read("feeds/podcast.xml")
            .contains(">yes</podcast:locked>")
    );
}

#[test]
fn validate_media_checks_the_video_against_its_length_and_checksum() {
    let show = sample();
    show.publish(&[]).expect_code(0);
    mspod(
        show.path(),
        &["validate", "--media", "episodes", "feeds/podcast.xml"],
    )
    .expect_code(0);
    // The video is re-encoded after publishing: the feed's length and SRI no longer match.
    let video = show.file("episodes/first-therapy-session/video.mp4");
    let mut bytes = std::fs::read(&video).expect("video");
    bytes.extend_from_slice(b"re-encoded");
    std::fs::write(&video, bytes).expect("write");
    mspod(
        show.path(),
        &["validate", "--media", "episodes", "feeds/podcast.xml"],
    )
    .expect_code(1)
    .stdout_has("media/alternate-enclosure")
    .stdout_has("is 160549 bytes")
    .stdout_has("does not match");
}

#[test]
fn a_key_of_the_wrong_shape_says_what_it_must_be_at_its_line() {
    let show = sample();
    show.set("mspod.toml", "license", "license = 5");
    let line = show
        .read("mspod.toml")
        .lines()
        .position(|l| l == "license = 5")
        .expect("line")
        + 1;
    show.publish(&[])
        .expect_code(1)
        .stderr_has(&format!("mspod.toml:{line}:"))
        .stderr_has("`license` must be an identifier such as \"CC-BY-4.0\"");
}
