//! Apple Podcasts rules (the iTunes namespace): required show tags, artwork, categories
//! from Apple's list, explicit, type, and the episode tags Apple reads.

use super::common::{edge_space, html_in_text, value};
use super::diag::Diags;
use super::state::FeedState;
use super::values::{
    DurationCheck, check_duration, html_tags, is_http_url, mime_essence, short, url_extension,
};
use super::xml::{Node, Ns};

/// Apple's categories and subcategories: one list, shared with the content loader.
use crate::apple::CATEGORIES;

/// Names in Apple's category lists before 2019 (as recorded in FV-IT's
/// `old_itunes_categories`). A name that is not valid where it is used but is one of
/// these is a warning (Apple maps old categories), not an error.
const OBSOLETE_CATEGORIES: &[&str] = &[
    "Alternative Health",
    "Amateur",
    "Architecture",
    "Arts",
    "Arts & Entertainment",
    "Audio Blogs",
    "Australian",
    "Automotive",
    "Aviation",
    "Belgian",
    "Bicycles",
    "Brazilian",
    "Buddhism",
    "Business",
    "Canadian",
    "Careers",
    "Chinese",
    "Christianity",
    "College & High School",
    "Comedy",
    "Commuting",
    "Computers",
    "Design",
    "Developers",
    "Diet & Nutrition",
    "Dutch",
    "Education",
    "Education Technology",
    "Educational Technology",
    "Entertainment",
    "Family",
    "Finance",
    "Fitness",
    "Fitness & Nutrition",
    "Food",
    "French",
    "Gadgets",
    "Games",
    "Games & Hobbies",
    "German",
    "Government & Organizations",
    "Health",
    "Hebrew",
    "Higher Education",
    "History",
    "Hobbies",
    "Information Technology",
    "International",
    "Investing",
    "Islam",
    "Italian",
    "Japanese",
    "Judaism",
    "K-12",
    "Language Courses",
    "Literature",
    "Local",
    "Management & Marketing",
    "Medicine",
    "Movies & Television",
    "National",
    "Natural Sciences",
    "New Age",
    "News",
    "News & Politics",
    "Non-Profit",
    "Norwegian",
    "Operating Systems",
    "Other",
    "Other Games",
    "Outdoor",
    "Performing Arts",
    "Philosophy",
    "Photography",
    "Podcasting",
    "Poetry",
    "Polish",
    "Politics",
    "Portuguese",
    "Professional",
    "Public Radio",
    "Regional",
    "Relationships",
    "Religion & Spirituality",
    "Science & Medicine",
    "Science Fiction",
    "Self-Help",
    "Sexuality",
    "Shopping",
    "Smart Phones",
    "Social Sciences",
    "Society & Culture",
    "Software How-To",
    "Spanish",
    "Spirituality",
    "Sports & Recreation",
    "Swedish",
    "Talk Radio",
    "Tech News",
    "Technology",
    "Text/Speech",
    "Training",
    "Transportation",
    "Travel",
    "Video Games",
];

/// Non-standard names for the MP3 type: apps and Apple play the file, but the type is
/// not registered.
const MP3_ALIASES: &[&str] = &["audio/mp3", "audio/mpeg3", "audio/x-mp3", "audio/x-mpeg"];

/// The enclosure types Apple Podcasts plays (APL-GUIDE), plus audio/mp4, the registered
/// type of .m4a files.
const APPLE_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/x-m4a",
    "audio/mp4",
    "video/mp4",
    "video/quicktime",
    "video/x-m4v",
    "application/pdf",
];

const DESCRIPTION_LIMIT: usize = 4000;

fn itunes<'a>(parent: &'a Node, local: &str) -> Option<&'a Node> {
    parent.child(Ns::Itunes, local)
}

pub(super) fn check_channel(ch: &Node, st: &FeedState, diags: &mut Diags) {
    if st.episodes == 0 {
        diags.push(
            "apple/at-least-one-item",
            ch,
            "the feed has no episode (an <item> with an <enclosure>); Apple refuses empty shows"
                .into(),
        );
    }
    if ch.child(Ns::None, "language").is_none() {
        diags.push(
            "apple/language",
            ch,
            "<channel> has no <language>; Apple requires it (e.g. <language>en</language>)".into(),
        );
    }
    if let Some(d) = ch.child(Ns::None, "description") {
        let bytes = value(d).len();
        if bytes > DESCRIPTION_LIMIT {
            diags.push("apple/description-length", d, format!("the show <description> is {bytes} bytes; Apple allows 4000 bytes (UTF-8). Shorten it"));
        }
        description_html(d, diags);
    }
    check_image(ch, diags);
    check_categories(ch, diags);
    match itunes(ch, "explicit") {
        None => diags.push("apple/explicit", ch, "<channel> has no <itunes:explicit>; Apple requires it: <itunes:explicit>false</itunes:explicit> (or true)".into()),
        Some(e) => explicit_value(e, diags),
    }
    match itunes(ch, "author") {
        None => diags.push(
            "apple/author",
            ch,
            "<channel> has no <itunes:author>; Apple shows it under the show title".into(),
        ),
        Some(a) => text_value(a, diags),
    }
    check_owner(ch, diags);
    if let Some(t) = itunes(ch, "type") {
        edge_space(t, diags);
        let v = value(t);
        if v != "episodic" && v != "serial" {
            diags.push(
                "apple/type",
                t,
                format!(
                    "<itunes:type>{}</itunes:type>: the value is episodic or serial (lower case)",
                    short(v)
                ),
            );
        } else if v == "serial" && st.unnumbered_full_count > 0 {
            for (line, column, label) in &st.unnumbered_full {
                let saved = diags.item.take();
                diags.item = label.clone();
                diags.push_at("apple/serial-episode-number", *line, *column, "the show is serial, but this full episode has no <itunes:episode>; Apple orders serial shows by episode number".into());
                diags.item = saved;
            }
        }
    }
    if let Some(n) = itunes(ch, "new-feed-url")
        && !is_http_url(value(n))
    {
        diags.push(
            "apple/new-feed-url",
            n,
            format!(
                "<itunes:new-feed-url>{}</itunes:new-feed-url> is not an absolute http(s) URL",
                short(value(n))
            ),
        );
    }
    if let Some(b) = itunes(ch, "block") {
        block_value(b, diags);
    }
    if let Some(c) = itunes(ch, "complete") {
        let v = value(c);
        if !v.eq_ignore_ascii_case("yes") && !v.eq_ignore_ascii_case("no") {
            diags.push("apple/complete", c, format!("<itunes:complete>{}</itunes:complete> has no effect; only Yes marks a finished show", short(v)));
        }
    }
    if let Some(d) = itunes(ch, "duration") {
        diags.push(
            "apple/duration-in-channel",
            d,
            "<itunes:duration> belongs in each <item>, not in <channel>".into(),
        );
    }
    for local in ["summary", "subtitle", "keywords"] {
        if let Some(n) = itunes(ch, local) {
            deprecated(n, diags);
            // Old Apple guidance allowed a little HTML in itunes:summary; not in the others.
            if local != "summary" {
                html_in_text(n, diags);
            }
        }
    }
    for local in ["author", "subtitle", "keywords"] {
        if let Some(n) = itunes(ch, local) {
            length_255(n, diags);
        }
    }
    if let Some(t) = itunes(ch, "title") {
        text_value(t, diags);
    }
}

fn check_image(parent: &Node, diags: &mut Diags) {
    let Some(img) = itunes(parent, "image") else {
        diags.push("apple/image", parent, "<channel> has no <itunes:image href=\"…\"/>; Apple requires show artwork (JPEG or PNG, 1400-3000 px square)".into());
        return;
    };
    match img.attr("href") {
        None if is_http_url(value(img)) => diags.push("apple/image", img, "<itunes:image> has the URL as text; Apple reads only the href attribute: <itunes:image href=\"…\"/>".into()),
        None => diags.push("apple/image", img, "<itunes:image> has no href attribute; write <itunes:image href=\"https://…/cover.jpg\"/>".into()),
        Some(h) if !is_http_url(h) => diags.push("apple/image", img, format!("<itunes:image href=\"{}\"> is not an absolute http(s) URL", short(h))),
        Some(h) => {
            if h.trim() != h {
                diags.push("xml/edge-space", img, "<itunes:image href> has whitespace around the URL; remove it".into());
            }
            if let Some(ext) = url_extension(h)
                && !matches!(ext.as_str(), "jpg" | "jpeg" | "png") {
                    diags.push("apple/image-extension", img, format!("<itunes:image href> ends in .{ext}; Apple accepts JPEG (.jpg) or PNG (.png) artwork only"));
                }
        }
    }
}

fn check_categories(ch: &Node, diags: &mut Diags) {
    let cats: Vec<&Node> = ch.children_named(Ns::Itunes, "category").collect();
    if cats.is_empty() {
        diags.push(
            "apple/category",
            ch,
            "<channel> has no <itunes:category text=\"…\">; Apple requires one from its list"
                .into(),
        );
    }
    for cat in cats {
        let Some(text) = cat.attr("text") else {
            diags.push("apple/category", cat, "<itunes:category> has no text attribute; write <itunes:category text=\"Technology\"/>".into());
            continue;
        };
        let current = CATEGORIES.iter().find(|(n, _)| *n == text);
        if current.is_none() && OBSOLETE_CATEGORIES.contains(&text) {
            diags.push("apple/category-obsolete", cat, format!("<itunes:category text=\"{text}\"> is from Apple's list before 2019; Apple maps it to a current category you did not choose. Pick one from the current list"));
            continue;
        }
        let Some((name, subs)) = current else {
            let hint = CATEGORIES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(text.trim()))
                .map(|(n, _)| format!(" (did you mean \"{n}\"? Apple compares exactly)"))
                .unwrap_or_default();
            diags.push("apple/category-name", cat, format!("<itunes:category text=\"{}\"> is not an Apple category{hint}; see https://podcasters.apple.com/support/1691-apple-podcasts-categories", short(text)));
            continue;
        };
        for sub in cat.children_named(Ns::Itunes, "category") {
            let Some(st) = sub.attr("text") else {
                diags.push(
                    "apple/category",
                    sub,
                    "<itunes:category> has no text attribute".into(),
                );
                continue;
            };
            if !subs.contains(&st) && OBSOLETE_CATEGORIES.contains(&st) {
                diags.push("apple/category-obsolete", sub, format!("<itunes:category text=\"{st}\"> is a subcategory from Apple's list before 2019; pick one of {name}'s current subcategories"));
            } else if !subs.contains(&st) {
                let hint = subs
                    .iter()
                    .find(|s| s.eq_ignore_ascii_case(st.trim()))
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                diags.push(
                    "apple/category-name",
                    sub,
                    format!(
                        "\"{}\" is not a subcategory of \"{name}\" in Apple's list{hint}",
                        short(st)
                    ),
                );
            }
        }
    }
}

fn check_owner(ch: &Node, diags: &mut Diags) {
    let Some(owner) = itunes(ch, "owner") else {
        diags.push("apple/owner", ch, "<channel> has no <itunes:owner> with <itunes:name> and <itunes:email>; directories and hosts use it to verify ownership".into());
        return;
    };
    match itunes(owner, "email") {
        None => diags.push(
            "apple/owner",
            owner,
            "<itunes:owner> has no <itunes:email>".into(),
        ),
        Some(e) => {
            edge_space(e, diags);
            let v = value(e);
            let ok = v
                .split_once('@')
                .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !v.contains(' '));
            if !ok {
                diags.push(
                    "apple/owner",
                    e,
                    format!(
                        "<itunes:email>{}</itunes:email> is not an email address",
                        short(v)
                    ),
                );
            }
        }
    }
    match itunes(owner, "name") {
        None => diags.push(
            "apple/owner",
            owner,
            "<itunes:owner> has no <itunes:name>".into(),
        ),
        Some(n) => {
            text_value(n, diags);
            length_255(n, diags);
        }
    }
}

fn explicit_value(e: &Node, diags: &mut Diags) {
    edge_space(e, diags);
    let v = value(e);
    match v {
        "true" | "false" => {}
        _ if ["yes", "no", "clean", "explicit", "true", "false"]
            .iter()
            .any(|x| x.eq_ignore_ascii_case(v)) =>
        {
            diags.push("apple/explicit-legacy", e, format!("<itunes:explicit>{}</itunes:explicit>: Apple's values are true and false (lower case); yes/no/clean are legacy", short(v)));
        }
        _ => diags.push(
            "apple/explicit-value",
            e,
            format!(
                "<itunes:explicit>{}</itunes:explicit>: write true or false",
                short(v)
            ),
        ),
    }
}

fn block_value(b: &Node, diags: &mut Diags) {
    let v = value(b);
    if !v.eq_ignore_ascii_case("yes") && !v.eq_ignore_ascii_case("no") {
        diags.push(
            "apple/block",
            b,
            format!(
                "<itunes:block>{}</itunes:block> has no effect; only Yes hides the show or episode",
                short(v)
            ),
        );
    }
}

fn text_value(n: &Node, diags: &mut Diags) {
    if value(n).is_empty() {
        diags.push(
            "xml/empty-value",
            n,
            format!("<{}> is empty; remove it or give it a value", n.name),
        );
    }
    edge_space(n, diags);
    html_in_text(n, diags);
}

fn length_255(n: &Node, diags: &mut Diags) {
    let count = value(n).chars().count();
    if count > 255 {
        diags.push(
            "apple/length-255",
            n,
            format!("<{}> is {count} characters; Apple truncates at 255", n.name),
        );
    }
}

fn deprecated(n: &Node, diags: &mut Diags) {
    let replacement = match n.local.as_str() {
        "summary" => "<description>",
        _ => "<description> (and podcast:txt or categories for search)",
    };
    diags.push(
        "apple/deprecated",
        n,
        format!(
            "<{}> is no longer read by Apple Podcasts; use {replacement}",
            n.name
        ),
    );
}

fn description_html(d: &Node, diags: &mut Diags) {
    let others: Vec<String> = html_tags(&d.text)
        .into_iter()
        .filter(|t| !matches!(t.as_str(), "p" | "ol" | "ul" | "li" | "a"))
        .take(5)
        .collect();
    if !others.is_empty() {
        diags.push(
            "apple/description-html",
            d,
            format!(
                "<{}> uses <{}>; Apple shows only <p>, <ol>, <ul>, <li> and <a> and drops the rest",
                d.name,
                others.join(">, <")
            ),
        );
    }
}

/// Apple's rules for one item (episode counts and the numbering of serial shows are
/// cross-item: [`ItemFacts`](super::state::ItemFacts)).
pub(super) fn check_item(item: &Node, diags: &mut Diags) {
    let enclosure = item.child(Ns::None, "enclosure");
    let episode = enclosure.is_some();
    if episode {
        if item
            .child(Ns::None, "title")
            .is_none_or(|t| value(t).is_empty())
        {
            diags.push(
                "apple/item-title",
                item,
                "the episode has no <title> (or an empty one); Apple requires one".into(),
            );
        }
        if item.child(Ns::None, "pubDate").is_none() {
            diags.push("apple/pubdate", item, "the episode has no <pubDate>; Apple needs it to order episodes. Add an RFC 2822 date".into());
        }
        match itunes(item, "duration") {
            None => diags.push("apple/duration", item, "the episode has no <itunes:duration>; apps show no length until the file is downloaded. Add the length in seconds".into()),
            Some(d) => duration(d, diags),
        }
    }
    if let Some(enc) = enclosure {
        if let Some(t) = enc.attr("type") {
            let essence = mime_essence(t);
            if MP3_ALIASES.contains(&essence.as_str()) {
                diags.push("apple/enclosure-type-alias", enc, format!("<enclosure type=\"{}\"> is not a registered MIME type; write audio/mpeg for MP3", short(t)));
            } else if super::values::is_mime(t) && !APPLE_TYPES.contains(&essence.as_str()) {
                diags.push("apple/enclosure-format", enc, format!("<enclosure type=\"{}\">: Apple Podcasts plays only audio/mpeg (MP3), audio/x-m4a (AAC), video/mp4, video/quicktime, video/x-m4v and application/pdf", short(t)));
            }
        }
        if let Some(u) = enc.attr("url")
            && u.trim().bytes().any(|b| !b.is_ascii() || b == b' ')
        {
            diags.push("apple/enclosure-ascii", enc, format!("<enclosure url=\"{}\"> has spaces or non-ASCII characters; Apple wants plain ASCII file names (percent-encode them)", short(u)));
        }
    }
    if let Some(t) = itunes(item, "title") {
        text_value(t, diags);
    }
    if let Some(a) = itunes(item, "author") {
        text_value(a, diags);
        length_255(a, diags);
    }
    if let Some(e) = itunes(item, "explicit") {
        explicit_value(e, diags);
    }
    for (local, rule) in [("episode", "apple/episode"), ("season", "apple/season")] {
        if let Some(n) = itunes(item, local) {
            edge_space(n, diags);
            let v = value(n);
            if !(v.bytes().all(|b| b.is_ascii_digit()) && v.parse::<u64>().is_ok_and(|x| x > 0)) {
                diags.push(rule, n, format!("<itunes:{local}>{}</itunes:{local}>: write a positive whole number (1, 2, 3…)", short(v)));
            }
        }
    }
    let episode_type = itunes(item, "episodeType");
    if let Some(t) = episode_type {
        edge_space(t, diags);
        let v = value(t);
        if !matches!(v, "full" | "trailer" | "bonus") {
            diags.push("apple/episode-type", t, format!("<itunes:episodeType>{}</itunes:episodeType>: the value is full, trailer or bonus (lower case)", short(v)));
        }
    }
    if let Some(img) = itunes(item, "image") {
        match img.attr("href") {
            Some(h) if is_http_url(h) => {}
            other => diags.push("apple/item-image", img, format!("episode <itunes:image> href {:?} is not an absolute http(s) URL; write <itunes:image href=\"https://…\"/>", other.unwrap_or(""))),
        }
    }
    if let Some(d) = item.child(Ns::None, "description") {
        let bytes = value(d).len();
        if bytes > DESCRIPTION_LIMIT {
            diags.push("apple/item-description-length", d, format!("the episode <description> is {bytes} bytes; Apple shows at most 4000 bytes. Put the full notes in <content:encoded>"));
        }
        description_html(d, diags);
    }
    if let Some(b) = itunes(item, "block") {
        block_value(b, diags);
    }
    for local in ["summary", "subtitle", "keywords"] {
        if let Some(n) = itunes(item, local) {
            deprecated(n, diags);
            // Old Apple guidance allowed a little HTML in itunes:summary; not in the others.
            if local != "summary" {
                html_in_text(n, diags);
            }
        }
    }
    for local in ["subtitle", "keywords"] {
        if let Some(n) = itunes(item, local) {
            length_255(n, diags);
        }
    }
}

fn duration(d: &Node, diags: &mut Diags) {
    edge_space(d, diags);
    let v = value(d);
    match check_duration(v) {
        DurationCheck::Ok(_) => {}
        DurationCheck::MinutesSeconds(secs) => diags.push("apple/duration-ambiguous", d, format!("<itunes:duration>{}</itunes:duration> is MM:SS, which parsers read differently (feed-rs 3 reads 26:53 as 26 s). Write whole seconds ({secs})", short(v))),
        DurationCheck::Fraction => diags.push("apple/duration-ambiguous", d, format!("<itunes:duration>{}</itunes:duration> has a fraction; the W3C validator rejects it, and some parsers truncate it while others keep it. Write whole seconds", short(v))),
        DurationCheck::Invalid => diags.push("apple/duration", d, format!("<itunes:duration>{}</itunes:duration> is not seconds, MM:SS or H:MM:SS (minutes and seconds below 60, two digits)", short(v))),
    }
}
