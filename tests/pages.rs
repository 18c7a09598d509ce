//! The show page (`feeds/index.html`) and the episode pages, as a listener and
//! a podcast app see them: subscribe links, navigation, the help line first,
//! the disclaimer everywhere, and section links that land where they say.
//! (tests/browser/ opens the same pages in a real browser.)

mod support;

use support::Show;

fn sample() -> Show {
    let show = Show::sample_unpublished();
    show.publish(&[]).expect_code(0);
    show
}

/// Byte offset of `needle` in `hay`, failing with both when it is missing.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in:\n{hay}"))
}

#[test]
fn the_show_page_lists_subscribe_links_then_every_episode_newest_first() {
    let show = sample();
    let page = show.read("feeds/index.html");
    let apps = [
        ">Apple Podcasts</a>",
        ">Spotify</a>",
        ">YouTube</a>",
        ">Pocket Casts</a>",
        ">Overcast</a>",
        ">RSS feed</a>",
    ];
    let positions: Vec<usize> = apps.iter().map(|a| at(&page, a)).collect();
    assert!(positions.is_sorted(), "known apps in fixed order, RSS last");
    assert!(page.contains("data-copy=\"https://example.org/podcast/podcast.xml\""));
    assert!(page.contains("Hosted by Dana Whitfield, LCSW"));
    let episodes: Vec<usize> = [
        "href=\"first-therapy-session/show-notes.html\"",
        "href=\"grounding-techniques-for-panic/show-notes.html\"",
        "href=\"relationship-as-medicine/show-notes.html\"",
        "href=\"welcome-to-mentalspace/show-notes.html\"",
    ]
    .iter()
    .map(|e| at(&page, e))
    .collect();
    assert!(episodes.is_sorted(), "newest first");
    // The trailer is labelled as one, not as "Season 1, episode 1".
    let trailer = &page[episodes[3]..];
    assert!(trailer.contains("Trailer"));
    assert!(!trailer.contains("Season 1, episode 1"));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/podcast/\">"));
    assert!(page.contains(
        "<meta property=\"og:image\" content=\"https://media.example.org/podcast/cover.jpg\">"
    ));
}

#[test]
fn episode_pages_link_the_previous_and_next_episode_and_the_show() {
    let show = sample();
    let newest = show.read("feeds/first-therapy-session/show-notes.html");
    assert!(
        newest.contains("rel=\"prev\" href=\"../grounding-techniques-for-panic/show-notes.html\"")
    );
    assert!(!newest.contains("rel=\"next\""));
    let oldest = show.read("feeds/welcome-to-mentalspace/show-notes.html");
    assert!(oldest.contains("rel=\"next\" href=\"../relationship-as-medicine/show-notes.html\""));
    assert!(!oldest.contains("class=\"prev\""));
    for page in [&newest, &oldest] {
        assert!(page.contains("href=\"../index.html\""));
        assert!(page.contains("<meta property=\"og:audio\""));
        assert!(
            page.contains(
                "<link rel=\"icon\" href=\"https://media.example.org/podcast/cover.jpg\">"
            )
        );
    }
    // A Short gets a vertical frame; the video is click-to-load, with nothing from YouTube before.
    assert!(oldest.contains("<div class=\"video short\">"));
    assert!(newest.contains("<div class=\"video\">"));
    for page in [&newest, &oldest] {
        // The JSON-LD in <head> names the thumbnail for search engines; the body loads nothing from YouTube.
        let body = &page[at(page, "<body>")..];
        assert!(!body.contains("<iframe"));
        assert!(!body.contains("ytimg.com"));
    }
    // The known duration is in the page before any audio loads.
    assert!(newest.contains("data-duration=\"60\""));
}

#[test]
fn the_help_line_comes_right_after_the_summary_everywhere() {
    let show = sample();
    let page = show.read("feeds/relationship-as-medicine/show-notes.html");
    let page = &page[at(&page, "<body>")..];
    let help = at(page, "class=\"helpline\"");
    assert!(help < at(page, "Relationship as medicine describes"));
    assert!(help < at(page, "id=\"player\""));
    assert!(page[help..].contains("<a href=\"tel:911\">911</a>"));
    assert!(page[help..].contains("<a href=\"tel:18007154225\">1-800-715-4225</a>"));
    // The whole help section stays where the article has it.
    assert!(at(page, "<h2 id=\"help\">") > at(page, "<h2 id=\"references\">"));

    let youtube = show.read("feeds/relationship-as-medicine/youtube-description.txt");
    let paragraphs: Vec<&str> = youtube.split("\n\n").collect();
    let line = paragraphs
        .iter()
        .position(|p| p.starts_with("If you or someone you know is in immediate danger"))
        .expect("help line in the YouTube description");
    assert!(line <= 2, "above YouTube's \"…more\": {paragraphs:?}");
    assert_eq!(
        youtube.matches("immediate danger").count(),
        1,
        "once, not again at the end"
    );

    let feed = show.read("feeds/podcast.xml");
    let item = &feed[at(&feed, "<title>Relationship as Medicine")..];
    let description = &item[..at(item, "</description>")];
    assert!(at(description, "immediate danger") < at(description, "Read the full article"));
    assert!(description.contains("Show notes: <a href=\"https://example.org/podcast/relationship-as-medicine/show-notes.html\""));
}

#[test]
fn the_disclaimer_is_on_every_page_and_in_every_description() {
    let show = sample();
    let disclaimer = "Educational content only; not a substitute for professional care.";
    assert!(show.read("feeds/index.html").contains(disclaimer));
    for slug in [
        "first-therapy-session",
        "grounding-techniques-for-panic",
        "relationship-as-medicine",
        "welcome-to-mentalspace",
    ] {
        for file in [
            "show-notes.html",
            "show-notes.md",
            "youtube-description.txt",
        ] {
            assert!(
                show.read(&format!("feeds/{slug}/{file}"))
                    .contains(disclaimer),
                "{slug}/{file}"
            );
        }
    }
    let feed = show.read("feeds/podcast.xml");
    let items = &feed[at(&feed, "<item>")..];
    // Each item's description and content:encoded.
    assert_eq!(items.matches(disclaimer).count(), 4 * 2);
}

#[test]
fn section_links_carry_a_fragment_only_when_the_id_exists() {
    let show = sample();
    // WordPress page whose h2s have no id: the article, no made-up fragment.
    let notes = show.read("feeds/first-therapy-session/show-notes.md");
    let section = &notes[at(&notes, "## In this episode")..];
    let section = &section[..at(section, "\n## ")];
    assert!(section.contains("](https://example.org/blog/first-therapy-session/)"));
    assert!(!section.contains("/#"), "{section}");
    // A page with ids: linked to them.
    let notes = show.read("feeds/relationship-as-medicine/show-notes.md");
    assert!(notes.contains("https://example.org/blog/relationship-as-medicine/#"));
    // Markdown without [site] anchors: no fragment, and -v says why.
    let grounding = show.read("feeds/grounding-techniques-for-panic/show-notes.html");
    assert!(!grounding.contains("grounding-techniques-for-panic/#"));
    show.publish(&["--no-cache", "-v"])
        .expect_code(0)
        .stderr_has(
            "grounding-techniques-for-panic: 3 section links go to the article without #fragment",
        );

    // With the site's scheme named, Markdown headings are linked by it.
    show.edit("mspod.toml", |t| t + "\n[site]\nanchors = \"jekyll\"\n");
    show.publish(&[]).expect_code(0);
    let grounding = show.read("feeds/grounding-techniques-for-panic/show-notes.html");
    assert!(grounding.contains(
        "href=\"https://example.org/blog/grounding-techniques-for-panic/#three-grounding-techniques-to-practice\""
    ), "{grounding}");
}

#[test]
fn the_show_page_is_paged_like_the_feed() {
    let show = sample();
    show.edit("mspod.toml", |t| t + "\n[feed]\nmax_items = 3\n");
    show.publish(&[]).expect_code(0);
    let first = show.read("feeds/index.html");
    let second = show.read("feeds/index-2.html");
    assert!(first.contains("href=\"index-2.html\""));
    assert!(!first.contains("welcome-to-mentalspace/show-notes.html"));
    assert!(second.contains("welcome-to-mentalspace/show-notes.html"));
    assert!(second.contains("href=\"index.html\""));
    assert!(show.file("feeds/podcast-2.xml").is_file());
}

#[test]
fn show_notes_markdown_starts_with_front_matter() {
    let show = sample();
    let md = show.read("feeds/relationship-as-medicine/show-notes.md");
    let front = md
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
        .map(|(f, _)| f)
        .expect("front matter");
    for line in [
        "title: \"Relationship as Medicine: What Therapy Does That Thinking Alone Can't\"",
        "slug: \"relationship-as-medicine\"",
        "audio: \"https://media.example.org/podcast/relationship-as-medicine/audio.mp3\"",
        // The episode's own artwork (cover.jpg in its folder), else the show's.
        "image: \"https://media.example.org/podcast/relationship-as-medicine/cover.jpg\"",
        "video: \"https://www.youtube.com/watch?v=Rm7aQ2xK9sE\"",
        "article: \"https://example.org/blog/relationship-as-medicine/\"",
    ] {
        assert!(front.lines().any(|l| l == line), "{line} in\n{front}");
    }
    assert!(md.contains(
        "- Episode page: <https://example.org/podcast/relationship-as-medicine/show-notes.html>"
    ));
}

#[test]
fn a_subscribe_link_that_is_not_a_url_is_an_error_naming_the_key() {
    let show = sample();
    show.set(
        "mspod.toml",
        "spotify",
        "spotify = \"open.spotify.com/show/x\"",
    );
    show.publish(&[])
        .expect_code(1)
        .stderr_has("mspod.toml:")
        .stderr_has("`[show.links] spotify`");
}

#[test]
fn nothing_but_outputs_is_deployed() {
    let show = sample();
    assert!(!show.file("feeds/.mspod-files").exists());
    assert!(show.file(".mspod/published-files").is_file());
}

#[test]
fn a_theme_overrides_templates_and_styles_file_by_file() {
    let show = sample();
    support::mspod(show.path(), &["init", "--theme", "."]).expect_code(0);
    for file in [
        "episode.html",
        "show.html",
        "bar.html",
        "footer.html",
        "site.css",
        "player.js",
    ] {
        assert!(show.file(&format!("theme/{file}")).is_file(), "{file}");
    }
    // The theme as written out renders exactly the built-in pages.
    let before = show.read("feeds/relationship-as-medicine/show-notes.html");
    let built_in_index = show.read("feeds/index.html");
    show.edit("mspod.toml", |t| t + "\n[site]\ntheme = \"theme/\"\n");
    show.publish(&[]).expect_code(0);
    assert_eq!(
        show.read("feeds/relationship-as-medicine/show-notes.html"),
        before
    );

    // A practice brands its pages: its own footer partial and colours; the rest stays built in.
    std::fs::remove_file(show.file("theme/episode.html")).expect("rm");
    show.write(
        "theme/footer.html",
        "<footer class=\"site\"><p>{{ show.title }} — a service of Example &amp; Co</p></footer>\n<script>{{ script }}</script>\n",
    );
    show.edit("theme/site.css", |t| t + ":root{--accent:#004d40}\n");
    show.publish(&[]).expect_code(0);
    let page = show.read("feeds/relationship-as-medicine/show-notes.html");
    assert!(page.contains("<p>MentalSpace Therapy — a service of Example &amp; Co</p>"));
    assert!(page.contains(":root{--accent:#004d40}"));
    assert!(page.contains("<h1>Relationship as Medicine"));
    assert!(
        show.read("feeds/index.html")
            .contains("a service of Example &amp; Co")
    );

    // A template that fails half-way through the episodes (the page is written as it
    // renders) gives the built-in page whole, with a warning: nothing of it is kept.
    std::fs::remove_file(show.file("theme/footer.html")).expect("rm");
    std::fs::remove_file(show.file("theme/site.css")).expect("rm");
    show.write(
        "theme/show.html",
        "<main>\n{% for i in range(300) %}{% for j in range(100) %}<p>longer than the built-in page</p>\n{% endfor %}{% endfor %}{% for e in episodes %}<p>{{ e.title }}</p>{% if loop.index == 2 %}{% include \"gone.html\" %}{% endif %}{% endfor %}\n</main>\n",
    );
    // (The show's description changes too, so the page is written anew, not kept.)
    show.edit("mspod.toml", |t| {
        t.replace("description = \"Short,", "description = \"Brief,")
    });
    show.publish(&[])
        .expect_code(0)
        .stderr_has("theme template show.html: ")
        .stderr_has("used the built-in one");
    let index = show.read("feeds/index.html");
    assert!(index.contains("<p>Brief, research-informed"), "{index}");
    assert_eq!(
        index,
        built_in_index
            .replace("\"Short, research", "\"Brief, research")
            .replace(">Short, research", ">Brief, research")
    );

    // A broken template names its file and line, and nothing is published.
    show.write("theme/show.html", "<main>\n{% for e in episodes %}\n");
    show.publish(&[])
        .expect_code(1)
        .stderr_has("theme/show.html:2");
}
