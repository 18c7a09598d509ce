//! RSS 2.0 rules: document structure, required channel elements, items, enclosures,
//! guids, dates, links and the HTML in descriptions.

use super::common::{date_rules, edge_space, edge_space_attr, html_in_text, value};
use super::diag::Diags;
use super::values::{
    html_scan, is_http_url, is_mime, is_relative_link, mime_essence, short, types_for_extension,
    url_extension,
};
use super::xml::{ATOM_NS, Node, Ns};

/// The W3C validator refuses larger feeds; some proxies cap lower still.
const FEED_SIZE_LIMIT: u64 = 5_000_000;

/// Checks `<rss version="2.0">` with one `<channel>`; returns the channel.
pub(super) fn check_root<'a>(root: &'a Node, bytes: u64, diags: &mut Diags) -> Option<&'a Node> {
    if bytes > FEED_SIZE_LIMIT {
        diags.push("rss/feed-size", root, format!("the feed is {:.1} MB; the W3C validator refuses feeds over 5 MB and some apps and proxies give up on large feeds. Publish fewer items", bytes as f64 / 1e6));
    }
    if !root.is(Ns::None, "rss") {
        diags.push(
            "rss/root",
            root,
            format!(
                "the root element is <{}>, not <rss>; this is not an RSS 2.0 feed",
                root.name
            ),
        );
        return None;
    }
    match root.attr("version") {
        Some("2.0") => {}
        Some(v) => diags.push(
            "rss/root",
            root,
            format!("<rss version=\"{v}\">: podcast feeds are RSS 2.0; write version=\"2.0\""),
        ),
        None => diags.push(
            "rss/root",
            root,
            "<rss> has no version attribute; write <rss version=\"2.0\">".into(),
        ),
    }
    let channels: Vec<&Node> = root.children_named(Ns::None, "channel").collect();
    match channels.as_slice() {
        [] => {
            diags.push("rss/root", root, "<rss> has no <channel>".into());
            None
        }
        [one] => Some(one),
        [first, second, ..] => {
            diags.push(
                "rss/root",
                second,
                "a second <channel>: RSS has exactly one; apps read only the first".into(),
            );
            Some(first)
        }
    }
}

pub(super) fn check_channel(ch: &Node, diags: &mut Diags) {
    required_text(ch, "title", "rss/channel-title", diags);
    if let Some(t) = ch.child(Ns::None, "title") {
        html_in_text(t, diags);
    }
    match ch.child(Ns::None, "link") {
        None => diags.push(
            "rss/channel-link",
            ch,
            "<channel> has no <link>; add the show's website URL".into(),
        ),
        Some(l) => {
            edge_space(l, diags);
            if !is_http_url(value(l)) {
                diags.push("rss/channel-link", l, format!("<link>{}</link> is not an absolute http(s) URL; apps have no base to resolve it against. Write the full address (https://…)", short(value(l))));
            }
        }
    }
    required_text(ch, "description", "rss/channel-description", diags);
    if let Some(lang) = ch.child(Ns::None, "language") {
        edge_space(lang, diags);
        let v = value(lang);
        if !is_language(v) {
            diags.push("rss/language", lang, format!("<language>{}</language> is not an ISO 639 language code; write e.g. en, en-us or de", short(v)));
        }
    }
    for local in ["pubDate", "lastBuildDate"] {
        if let Some(d) = ch.child(Ns::None, local) {
            edge_space(d, diags);
            date_rules(d, diags);
        }
    }
    if let Some(ttl) = ch.child(Ns::None, "ttl")
        && value(ttl).parse::<u64>().is_err()
    {
        diags.push(
            "rss/ttl",
            ttl,
            format!(
                "<ttl>{}</ttl> is not a whole number of minutes",
                short(value(ttl))
            ),
        );
    }
    if let Some(img) = ch.child(Ns::None, "image") {
        check_rss_image(img, diags);
    }
    check_atom_self(ch, diags);
    for local in ["managingEditor", "webMaster"] {
        if let Some(e) = ch.child(Ns::None, local) {
            let v = value(e);
            let ok = v.split_once(' ').is_some_and(|(addr, name)| {
                addr.contains('@') && name.trim().starts_with('(') && name.trim().ends_with(')')
            });
            if !ok {
                diags.push("rss/email", e, format!("<{local}>{}</{local}>: RSS wants an address with the name in parentheses, e.g. editor@example.com (Jane Doe)", short(v)));
            }
        }
    }
}

fn required_text(parent: &Node, local: &str, rule: &'static str, diags: &mut Diags) {
    match parent.child(Ns::None, local) {
        None => diags.push(
            rule,
            parent,
            format!("<{}> has no <{local}>; it is required", parent.name),
        ),
        Some(n) if value(n).is_empty() => {
            diags.push(rule, n, format!("<{local}> is empty; it is required"))
        }
        // Whitespace around prose or HTML (description) is harmless; around a title it shows.
        Some(n) if local != "description" => edge_space(n, diags),
        Some(_) => {}
    }
}

fn is_language(v: &str) -> bool {
    let mut parts = v.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn check_rss_image(img: &Node, diags: &mut Diags) {
    let missing: Vec<&str> = ["url", "title", "link"]
        .into_iter()
        .filter(|l| img.child(Ns::None, l).is_none_or(|n| value(n).is_empty()))
        .collect();
    if !missing.is_empty() {
        diags.push("rss/image", img, format!("<image> lacks {}; RSS requires url, title and link (or drop <image>: itunes:image is what podcast apps show)", missing.join(", ")));
    }
    for (local, max) in [("width", 144u64), ("height", 400)] {
        if let Some(n) = img.child(Ns::None, local) {
            match value(n).parse::<u64>() {
                Ok(v) if v <= max => {}
                _ => diags.push(
                    "rss/image",
                    n,
                    format!(
                        "<image><{local}>{}</{local}>: RSS allows a whole number up to {max}",
                        short(value(n))
                    ),
                ),
            }
        }
    }
    if let Some(link) = img.child(Ns::None, "link")
        && !value(link).is_empty()
        && !is_http_url(value(link))
    {
        diags.push(
            "rss/link-url",
            link,
            format!(
                "<image><link>{}</link> is not an absolute http(s) URL",
                short(value(link))
            ),
        );
    }
}

fn check_atom_self(ch: &Node, diags: &mut Diags) {
    let selfs: Vec<&Node> = ch
        .children_named(Ns::Atom, "link")
        .filter(|l| l.attr("rel") == Some("self"))
        .collect();
    let Some(link) = selfs.first() else {
        diags.push("rss/atom-self", ch, format!("<channel> has no <atom:link rel=\"self\" href=\"…\" type=\"application/rss+xml\"/> (xmlns:atom=\"{ATOM_NS}\"); apps use it to find the feed's canonical URL"));
        return;
    };
    match link.attr("href") {
        Some(h) if is_http_url(h) => {}
        other => diags.push(
            "rss/atom-self",
            link,
            format!(
                "<atom:link rel=\"self\"> href {:?} is not an absolute http(s) URL",
                other.unwrap_or("")
            ),
        ),
    }
    if let Some(t) = link.attr("type")
        && t != "application/rss+xml"
    {
        diags.push(
            "rss/atom-self",
            link,
            format!("<atom:link rel=\"self\" type=\"{t}\">: write type=\"application/rss+xml\""),
        );
    }
}

/// The RSS rules of one item (guid and enclosure uniqueness are cross-item rules: see
/// [`super::state::FeedState::add_item`]).
pub(super) fn check_item(item: &Node, diags: &mut Diags) {
    let title = item.child(Ns::None, "title");
    let desc = item.child(Ns::None, "description");
    if title.is_none_or(|t| value(t).is_empty()) && desc.is_none_or(|d| value(d).is_empty()) {
        diags.push(
            "rss/item-title-or-description",
            item,
            "<item> has neither a <title> nor a <description>; RSS requires one".into(),
        );
    }
    if let Some(t) = title {
        edge_space(t, diags);
        html_in_text(t, diags);
    }
    let enclosures: Vec<&Node> = item.children_named(Ns::None, "enclosure").collect();
    match enclosures.as_slice() {
        [] => diags.push("rss/item-no-enclosure", item, "<item> has no <enclosure>; apps and Podcast Index skip it. Add the media file, or drop the item".into()),
        [first, rest @ ..] => {
            check_enclosure(first, diags);
            for extra in rest {
                diags.push("rss/enclosure-single", extra, "a second <enclosure> in one item: apps read only the first. Put other versions in <podcast:alternateEnclosure>".into());
            }
        }
    }
    check_guid(item, !enclosures.is_empty(), diags);
    if let Some(d) = item.child(Ns::None, "pubDate") {
        edge_space(d, diags);
        date_rules(d, diags);
    }
    if let Some(l) = item.child(Ns::None, "link") {
        edge_space(l, diags);
        if !value(l).is_empty() && !is_http_url(value(l)) {
            diags.push(
                "rss/link-url",
                l,
                format!(
                    "<link>{}</link> is not an absolute http(s) URL; apps cannot open it",
                    short(value(l))
                ),
            );
        }
    }
    let content = item.child(Ns::Content, "encoded");
    for node in [desc, content].into_iter().flatten() {
        check_html(node, diags);
    }
    if content.is_some()
        && desc.is_none()
        && let Some(c) = content
    {
        diags.push("rss/content-without-description", c, "<item> has <content:encoded> but no <description>; apps that read only description show nothing".into());
    }
}

fn check_enclosure(enc: &Node, diags: &mut Diags) {
    let missing: Vec<&str> = ["url", "length", "type"]
        .into_iter()
        .filter(|a| enc.attr(a).is_none())
        .collect();
    if !missing.is_empty() {
        diags.push(
            "rss/enclosure-attributes",
            enc,
            format!(
                "<enclosure> lacks {}; RSS, Apple and Spotify need url, length (bytes) and type",
                missing.join(", ")
            ),
        );
    }
    for a in ["url", "length", "type"] {
        edge_space_attr(enc, a, diags);
    }
    if let Some(u) = enc.attr("url") {
        let u = u.trim();
        if !is_http_url(u) {
            diags.push("rss/enclosure-url", enc, format!("<enclosure url=\"{}\"> is not an absolute http(s) URL; apps cannot download it", short(u)));
        }
    }
    if let Some(l) = enc.attr("length") {
        let l = l.trim();
        if l.is_empty() || !l.bytes().all(|b| b.is_ascii_digit()) {
            diags.push("rss/enclosure-length", enc, format!("<enclosure length=\"{}\"> is not a whole number of bytes; write the file size in bytes, digits only", short(l)));
        } else if l.bytes().all(|b| b == b'0') {
            diags.push(
                "rss/enclosure-length-zero",
                enc,
                "<enclosure length=\"0\">: Apple and Spotify want the real file size in bytes"
                    .into(),
            );
        }
    }
    if let Some(t) = enc.attr("type") {
        if !is_mime(t) {
            diags.push(
                "rss/enclosure-type",
                enc,
                format!(
                    "<enclosure type=\"{}\"> is not a MIME type; write e.g. audio/mpeg",
                    short(t)
                ),
            );
        } else if let Some(ext) = enc.attr("url").and_then(url_extension)
            && let Some(types) = types_for_extension(&ext)
        {
            let essence = mime_essence(t);
            if !types.contains(&essence.as_str()) {
                diags.push("rss/enclosure-type-extension", enc, format!("<enclosure type=\"{t}\"> does not fit a .{ext} file ({} expected); apps that trust the type may not play it", types[0]));
            }
        }
    }
}

fn check_guid(item: &Node, episode: bool, diags: &mut Diags) {
    let Some(g) = item.child(Ns::None, "guid") else {
        if episode {
            diags.push("apple/guid", item, "<item> has no <guid>; apps fall back to the enclosure URL and re-download or duplicate the episode when it changes. Add <guid isPermaLink=\"false\">a stable id</guid>".into());
        } else {
            diags.push(
                "rss/guid-missing",
                item,
                "<item> has no <guid>; add a stable unique id".into(),
            );
        }
        return;
    };
    for attr in &g.attrs {
        if attr.ns == Ns::None
            && attr.local != "isPermaLink"
            && attr.local.eq_ignore_ascii_case("isPermaLink")
        {
            diags.push(
                "rss/guid-ispermalink",
                g,
                format!(
                    "<guid {}=…>: attribute names are case-sensitive; write isPermaLink",
                    attr.local
                ),
            );
        }
    }
    let permalink = match g.attr("isPermaLink") {
        None => true,
        Some("true") => true,
        Some("false") => false,
        Some(other) => {
            diags.push(
                "rss/guid-ispermalink",
                g,
                format!("<guid isPermaLink=\"{other}\">: the value must be exactly true or false"),
            );
            other.eq_ignore_ascii_case("true")
        }
    };
    let v = value(g);
    if v.is_empty() {
        if episode {
            diags.push(
                "apple/guid",
                g,
                "<guid> is empty; every episode needs a stable unique id".into(),
            );
        } else {
            diags.push("xml/empty-value", g, "<guid> is empty".into());
        }
        return;
    }
    edge_space(g, diags);
    // A permalink is a URL a browser can open (RSS 2.0): tag: and urn: ids are not.
    if permalink && !is_http_url(v) {
        diags.push("rss/guid-permalink-url", g, format!("<guid>{}</guid> is not a URL, but a guid without isPermaLink=\"false\" is a permalink; write <guid isPermaLink=\"false\">", short(v)));
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        let why = if v.len() > 15 {
            format!(
                "JavaScript parsers that coerce it to a number keep only 15-16 of its {} digits (podcast-partytime reads 626005748647800012270518 as 6.260057486478e+23), so different episodes can get the same guid",
                v.len()
            )
        } else {
            "short numbers collide across feeds, and some parsers read it as a number".to_string()
        };
        diags.push(
            "rss/guid-numeric",
            g,
            format!(
                "<guid>{}</guid> is only digits: {why}. Use a UUID or a URL",
                short(v)
            ),
        );
    }
    if v.chars().count() > 738 {
        diags.push(
            "rss/guid-length",
            g,
            format!(
                "<guid> is {} characters; Podcast Index truncates guids after 738",
                v.chars().count()
            ),
        );
    }
}

fn check_html(node: &Node, diags: &mut Diags) {
    let html = &node.text;
    // Tags and attributes as a browser reads them: what sits inside an attribute
    // value or in text (`&lt;img src=x&gt;`) is neither a tag nor a handler.
    let scan = html_scan(html);
    let link = scan
        .tags
        .iter()
        .flat_map(|t| &t.attrs)
        .filter(|(k, _)| k == "href" || k == "src")
        .map(|(_, v)| v)
        .find(|l| is_relative_link(l));
    if let Some(link) = link {
        diags.push("rss/relative-url-in-html", node, format!("<{}> links to the relative URL \"{}\"; apps have no base URL. Write absolute https:// links", node.name, short(link)));
    }
    let unsafe_tag = scan
        .tags
        .iter()
        .find(|t| matches!(t.name.as_str(), "script" | "iframe" | "object" | "embed"));
    let handler = scan
        .tags
        .iter()
        .flat_map(|t| &t.attrs)
        .find(|(k, _)| (k.starts_with("on") && k.len() > 3) || k == "style");
    if let Some(t) = unsafe_tag {
        diags.push(
            "rss/html-unsafe",
            node,
            format!(
                "<{}> contains <{}…>; apps strip it or refuse to render the notes. Remove it",
                node.name, t.name
            ),
        );
    } else if let Some((attr, _)) = handler {
        diags.push(
            "rss/html-unsafe",
            node,
            format!(
                "<{}> contains the attribute {attr}=; apps strip scripts and styles. Remove it",
                node.name
            ),
        );
    }
    // Escaped markup is a double escape only when nothing in the fragment is real
    // HTML; next to real tags it is text that shows markup on purpose.
    let lower = scan.text.to_ascii_lowercase();
    if scan.tags.is_empty()
        && (lower.contains("&lt;p&gt;")
            || lower.contains("&lt;/")
            || lower.contains("&lt;br")
            || lower.contains("&lt;a href"))
    {
        diags.push("rss/double-escaped", node, format!("<{}> shows escaped markup (&lt;p&gt;) after XML decoding: the HTML was escaped twice, so apps show the tags as text. Escape it once or use CDATA", node.name));
    }
}
