//! Podcasting 2.0 rules: every tag of the `podcast:` namespace (matched by URI), its
//! required attributes and value forms, how often it may appear, and the podcast:guid
//! UUIDv5 derivation. No app rejects a feed for a bad podcast tag, so these are
//! warnings: the feature is lost.

use super::common::{edge_space, value};
use super::diag::Diags;
use super::state::FeedState;
use super::values::podcast::{
    is_iso8601, is_medium, is_number, is_person_group, is_person_role, is_sri, is_whole,
    location_problems, npt_seconds, rrule_problem,
};
use super::values::{
    DateCheck, DurationCheck, check_date, check_duration, is_absolute_url, is_http_url, short,
};
use super::xml::{Node, Ns};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Channel,
    Item,
    LiveItem,
}

/// How often a tag may appear in one parent: more copies are `podcast/count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Once {
    /// Once per channel.
    Channel,
    /// Once per item (or liveItem).
    Item,
    Both,
    Any,
}

/// What a tag's checks know besides the tag: where it is and, on the channel, the feed.
struct Cx<'a> {
    level: Level,
    st: Option<&'a FeedState>,
}

type TagCheck = fn(&Node, &Cx<'_>, &mut Diags);

/// One tag of the namespace: how often it may appear, and the checks of its attributes
/// and value (every tag's URL attributes must also be https).
struct TagSpec {
    name: &'static str,
    once: Once,
    check: TagCheck,
}

const fn spec(name: &'static str, once: Once, check: TagCheck) -> TagSpec {
    TagSpec { name, once, check }
}

/// The tags of the namespace (PC 1.0.md and the tag docs), in the docs' order.
const TAGS: &[TagSpec] = &[
    spec("locked", Once::Channel, locked),
    spec("transcript", Once::Any, transcript),
    spec("funding", Once::Any, funding),
    spec("chapters", Once::Item, chapters),
    spec("soundbite", Once::Any, soundbite),
    spec("person", Once::Any, person),
    spec("location", Once::Any, |tag, _, diags| {
        check_location(tag, diags)
    }),
    spec("season", Once::Item, season),
    spec("episode", Once::Item, episode),
    spec("trailer", Once::Any, trailer),
    spec("license", Once::Both, license),
    spec("alternateEnclosure", Once::Any, |tag, _, diags| {
        check_alternate_enclosure(tag, diags)
    }),
    spec("guid", Once::Channel, |tag, cx, diags| {
        check_guid(tag, cx.st, diags)
    }),
    spec("value", Once::Any, |tag, _, diags| check_value(tag, diags)),
    spec("medium", Once::Channel, medium),
    spec("images", Once::Both, images),
    spec("liveItem", Once::Any, live_item),
    spec("contentLink", Once::Any, content_link),
    spec("socialInteract", Once::Any, social_interact),
    spec("block", Once::Any, block),
    spec("txt", Once::Any, txt),
    spec("remoteItem", Once::Any, remote_item),
    spec("podroll", Once::Channel, podroll),
    spec("updateFrequency", Once::Channel, update_frequency),
    spec("podping", Once::Channel, no_check),
    spec("publisher", Once::Channel, publisher),
    spec("chat", Once::Both, chat),
    spec("image", Once::Any, |tag, _, diags| check_image(tag, diags)),
];

const TRANSCRIPT_TYPES: &[&str] = &[
    "text/plain",
    "text/html",
    "text/vtt",
    "application/json",
    "application/x-subrip",
    "application/srt",
    "text/srt",
];

const SOCIAL_PROTOCOLS: &[&str] = &[
    "disabled",
    "activitypub",
    "twitter",
    "lightning",
    "atproto",
    "hive",
    "matrix",
    "nostr",
];

const CHAT_PROTOCOLS: &[&str] = &["irc", "xmpp", "nostr", "matrix"];

/// Checks the podcast-namespace children of a channel, item or liveItem. `st` is the
/// feed's state once the channel is checked; an item's checks see only the item (what
/// needs the feed is left to [`FeedState::add_item`]).
pub(super) fn check_children(
    parent: &Node,
    level: Level,
    st: Option<&FeedState>,
    diags: &mut Diags,
) {
    if level != Level::Channel {
        check_transcript_set(parent, diags);
    }
    let mut seen: Vec<&str> = Vec::new();
    for tag in parent.children.iter().filter(|c| c.ns == Ns::Podcast) {
        let local = tag.local.as_str();
        let Some(spec) = TAGS.iter().find(|t| t.name == local) else {
            let hint = TAGS
                .iter()
                .find(|t| t.name.eq_ignore_ascii_case(local))
                .map(|t| format!(" (did you mean podcast:{}?)", t.name))
                .unwrap_or_default();
            diags.push(
                "podcast/unknown-element",
                tag,
                format!(
                    "<{}> is not a tag of the podcast namespace{hint}; apps ignore it",
                    tag.name
                ),
            );
            continue;
        };
        let once = match level {
            Level::Channel => matches!(spec.once, Once::Channel | Once::Both),
            Level::Item | Level::LiveItem => matches!(spec.once, Once::Item | Once::Both),
        };
        if once {
            if seen.contains(&local) {
                diags.push(
                    "podcast/count",
                    tag,
                    format!(
                        "a second <{}> in one <{}>: the tag may appear once; apps read only one",
                        tag.name, parent.name
                    ),
                );
            }
            seen.push(local);
        }
        https_attrs(tag, diags);
        (spec.check)(tag, &Cx { level, st }, diags);
        if local == "soundbite" {
            soundbite_fits(tag, parent, diags);
        }
    }
}

/// A soundbite must end within the episode (its itunes:duration, when stated).
fn soundbite_fits(tag: &Node, item: &Node, diags: &mut Diags) {
    let number = |a: &str| tag.attr(a).and_then(|v| v.trim().parse::<f64>().ok());
    let length = item
        .child(Ns::Itunes, "duration")
        .and_then(|d| match check_duration(value(d)) {
            DurationCheck::Ok(s) | DurationCheck::MinutesSeconds(s) => Some(s as f64),
            _ => None,
        });
    if let (Some(start), Some(duration), Some(length)) =
        (number("startTime"), number("duration"), length)
        && start + duration > length + 1.0
    {
        diags.push("podcast/soundbite", tag, format!("<podcast:soundbite> ends at {:.0} s, after the episode ({length:.0} s, itunes:duration)", start + duration));
    }
}

/// URL attributes of podcast tags must be https.
fn https_attrs(tag: &Node, diags: &mut Diags) {
    for attr in ["url", "href", "img", "uri", "feedUrl"] {
        if let Some(v) = tag.attr(attr)
            && v.trim().to_ascii_lowercase().starts_with("http://")
        {
            diags.push(
                "podcast/https",
                tag,
                format!(
                    "<{} {attr}=\"{}\">: the podcast namespace requires https URLs",
                    tag.name,
                    short(v)
                ),
            );
        }
    }
}

/// Reports each required attribute that is missing or blank; true if all are there.
fn required(tag: &Node, attrs: &[&str], diags: &mut Diags) -> bool {
    let missing: Vec<&str> = attrs
        .iter()
        .copied()
        .filter(|a| tag.attr(a).is_none_or(|v| v.trim().is_empty()))
        .collect();
    if !missing.is_empty() {
        diags.push(
            "podcast/required-attribute",
            tag,
            format!(
                "<{}> lacks the required attribute{} {}; apps ignore the tag",
                tag.name,
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ),
        );
    }
    missing.is_empty()
}

fn too_long(tag: &Node, rule: &'static str, what: &str, v: &str, max: usize, diags: &mut Diags) {
    let n = v.chars().count();
    if n > max {
        diags.push(
            rule,
            tag,
            format!(
                "<{}> {what} is {n} characters; the namespace allows {max}",
                tag.name
            ),
        );
    }
}

fn url_attr(tag: &Node, attr: &str, rule: &'static str, diags: &mut Diags) {
    if let Some(v) = tag.attr(attr)
        && !v.trim().is_empty()
        && !is_absolute_url(v)
    {
        diags.push(
            rule,
            tag,
            format!(
                "<{} {attr}=\"{}\"> is not an absolute URL",
                tag.name,
                short(v)
            ),
        );
    }
}

fn bool_attr(tag: &Node, attr: &str, rule: &'static str, diags: &mut Diags) {
    if let Some(v) = tag.attr(attr)
        && v != "true"
        && v != "false"
    {
        diags.push(
            rule,
            tag,
            format!(
                "<{} {attr}=\"{}\">: write true or false",
                tag.name,
                short(v)
            ),
        );
    }
}

fn locked(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    edge_space(tag, diags);
    if v != "yes" && v != "no" {
        diags.push(
            "podcast/locked",
            tag,
            format!(
                "<podcast:locked>{}</podcast:locked>: write yes or no (lower case)",
                short(v)
            ),
        );
    }
    if let Some(o) = tag.attr("owner")
        && (!o.contains('@') || o.contains(' '))
    {
        diags.push(
            "podcast/locked",
            tag,
            format!(
                "<podcast:locked owner=\"{}\">: owner is the email address that may move the feed",
                short(o)
            ),
        );
    }
}

fn funding(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    required(tag, &["url"], diags);
    url_attr(tag, "url", "podcast/funding", diags);
    too_long(tag, "podcast/funding", "text", v, 128, diags);
}

fn transcript(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    if required(tag, &["url", "type"], diags) {
        let t = tag.attr("type").unwrap_or("").trim().to_ascii_lowercase();
        if !TRANSCRIPT_TYPES.contains(&t.as_str()) {
            diags.push("podcast/transcript", tag, format!("<podcast:transcript type=\"{t}\">: use text/vtt (recommended), application/x-subrip, application/json, text/html or text/plain"));
        }
    }
    url_attr(tag, "url", "podcast/transcript", diags);
    if let Some(rel) = tag.attr("rel")
        && rel != "captions"
    {
        diags.push(
            "podcast/transcript",
            tag,
            format!(
                "<podcast:transcript rel=\"{}\">: the only defined value is captions",
                short(rel)
            ),
        );
    }
}

fn chapters(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    if required(tag, &["url", "type"], diags) {
        let t = tag.attr("type").unwrap_or("");
        if t != "application/json+chapters" {
            diags.push("podcast/chapters", tag, format!("<podcast:chapters type=\"{}\">: JSON chapters are application/json+chapters; apps match the type exactly", short(t)));
        }
    }
    url_attr(tag, "url", "podcast/chapters", diags);
}

fn soundbite(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    if required(tag, &["startTime", "duration"], diags) {
        for a in ["startTime", "duration"] {
            let x = tag.attr(a).unwrap_or("");
            if !is_number(x) {
                diags.push(
                    "podcast/soundbite",
                    tag,
                    format!(
                        "<podcast:soundbite {a}=\"{}\">: write seconds as a number (e.g. 73.5)",
                        short(x)
                    ),
                );
            }
        }
    }
    too_long(tag, "podcast/soundbite", "title", v, 128, diags);
}

/// A tag whose text is required and short: `empty` says what belongs in it.
fn text_of(tag: &Node, rule: &'static str, empty: &str, field: &str, v: &str, diags: &mut Diags) {
    if v.is_empty() {
        diags.push(rule, tag, empty.to_string());
    }
    too_long(tag, rule, field, v, 128, diags);
}

fn person(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    text_of(
        tag,
        "podcast/person",
        "<podcast:person> is empty; its text is the person's name",
        "name",
        v,
        diags,
    );
    if let Some(role) = tag.attr("role")
        && !is_person_role(role)
    {
        diags.push("podcast/person", tag, format!("<podcast:person role=\"{}\"> is not a role of the namespace taxonomy (host, guest, producer…); apps fall back to host", short(role)));
    }
    if let Some(group) = tag.attr("group")
        && !is_person_group(group)
    {
        diags.push("podcast/person", tag, format!("<podcast:person group=\"{}\"> is not a group of the namespace taxonomy (cast, writing, audio production…)", short(group)));
    }
    url_attr(tag, "img", "podcast/person", diags);
    url_attr(tag, "href", "podcast/person", diags);
}

fn season(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    edge_space(tag, diags);
    if !is_whole(v) {
        diags.push(
            "podcast/season",
            tag,
            format!(
                "<podcast:season>{}</podcast:season>: write a whole number",
                short(v)
            ),
        );
    }
    if let Some(n) = tag.attr("name") {
        too_long(tag, "podcast/season", "name", n, 128, diags);
    }
}

fn episode(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    edge_space(tag, diags);
    if !is_number(v) {
        diags.push(
            "podcast/episode",
            tag,
            format!(
                "<podcast:episode>{}</podcast:episode>: write a number (e.g. 3 or 315.5)",
                short(v)
            ),
        );
    }
    if let Some(d) = tag.attr("display") {
        too_long(tag, "podcast/episode", "display", d, 32, diags);
    }
}

fn trailer(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    if required(tag, &["url", "pubdate"], diags) {
        let d = tag.attr("pubdate").unwrap_or("");
        if !matches!(check_date(d), DateCheck::Ok(_) | DateCheck::Problematic(..)) {
            diags.push(
                "podcast/trailer",
                tag,
                format!(
                    "<podcast:trailer pubdate=\"{}\"> is not an RFC 2822 date",
                    short(d)
                ),
            );
        }
    }
    url_attr(tag, "url", "podcast/trailer", diags);
    for a in ["length", "season"] {
        if let Some(x) = tag.attr(a)
            && !is_whole(x)
        {
            diags.push(
                "podcast/trailer",
                tag,
                format!(
                    "<podcast:trailer {a}=\"{}\">: write a whole number",
                    short(x)
                ),
            );
        }
    }
    too_long(tag, "podcast/trailer", "title", v, 128, diags);
}

fn license(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    text_of(
        tag,
        "podcast/license",
        "<podcast:license> is empty; write a license identifier such as cc-by-4.0",
        "identifier",
        v,
        diags,
    );
    // licenses.json spells identifiers in upper case, the tag doc in lower case:
    // apps compare them case-insensitively.
    let identifier = v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-.+".contains(c));
    if !v.is_empty() && !identifier && tag.attr("url").is_none() {
        diags.push("podcast/license", tag, format!("<podcast:license>{}</podcast:license> is not a license identifier (lower case, e.g. cc-by-4.0); a custom license needs a url attribute", short(v)));
    }
}

fn medium(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    edge_space(tag, diags);
    if !is_medium(v) {
        diags.push("podcast/medium", tag, format!("<podcast:medium>{}</podcast:medium> is not a medium: podcast, music, video, film, audiobook, newsletter, blog, publisher, course, their …L list forms, or mixed", short(v)));
    }
}

fn images(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    diags.push(
        "podcast/images-deprecated",
        tag,
        "<podcast:images srcset> is deprecated; use <podcast:image href=\"…\"/>".into(),
    );
}

fn live_item(tag: &Node, cx: &Cx<'_>, diags: &mut Diags) {
    if required(tag, &["status", "start"], diags) {
        let status = tag.attr("status").unwrap_or("");
        if !matches!(status, "pending" | "live" | "ended") {
            diags.push(
                "podcast/live-item",
                tag,
                format!(
                    "<podcast:liveItem status=\"{}\">: write pending, live or ended",
                    short(status)
                ),
            );
        }
        let start = tag.attr("start").unwrap_or("");
        if !is_iso8601(start) {
            diags.push(
                "podcast/live-item",
                tag,
                format!(
                    "<podcast:liveItem start=\"{}\"> is not an ISO 8601 date-time",
                    short(start)
                ),
            );
        }
    }
    if let Some(end) = tag.attr("end")
        && !is_iso8601(end)
    {
        diags.push(
            "podcast/live-item",
            tag,
            format!(
                "<podcast:liveItem end=\"{}\"> is not an ISO 8601 date-time",
                short(end)
            ),
        );
    }
    if cx.level == Level::Channel {
        check_children(tag, Level::LiveItem, cx.st, diags);
    }
}

fn social_interact(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    if required(tag, &["protocol"], diags) {
        let p = tag.attr("protocol").unwrap_or("");
        if !SOCIAL_PROTOCOLS.contains(&p) {
            diags.push("podcast/social-interact", tag, format!("<podcast:socialInteract protocol=\"{}\"> is not a protocol of socialprotocols.txt (activitypub, atproto, nostr, matrix, twitter…)", short(p)));
        } else if p != "disabled" && tag.attr("uri").is_none_or(|u| u.trim().is_empty()) {
            diags.push(
                "podcast/required-attribute",
                tag,
                "<podcast:socialInteract> lacks uri (the root post of the comment thread)".into(),
            );
        }
    }
    if let Some(p) = tag.attr("priority")
        && !is_whole(p)
    {
        diags.push(
            "podcast/social-interact",
            tag,
            format!(
                "<podcast:socialInteract priority=\"{}\">: write a whole number",
                short(p)
            ),
        );
    }
}

fn txt(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    too_long(tag, "podcast/txt", "text", v, 4000, diags);
    if let Some(p) = tag.attr("purpose") {
        too_long(tag, "podcast/txt", "purpose", p, 128, diags);
    }
}

fn remote_item(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    required(tag, &["feedGuid"], diags);
}

fn podroll(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    if tag
        .children_named(Ns::Podcast, "remoteItem")
        .next()
        .is_none()
    {
        diags.push(
            "podcast/podroll",
            tag,
            "<podcast:podroll> has no <podcast:remoteItem feedGuid=\"…\"/>".into(),
        );
    }
    for r in tag.children_named(Ns::Podcast, "remoteItem") {
        required(r, &["feedGuid"], diags);
    }
}

fn update_frequency(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    too_long(tag, "podcast/update-frequency", "text", v, 128, diags);
    bool_attr(tag, "complete", "podcast/update-frequency", diags);
    if let Some(r) = tag.attr("rrule")
        && let Some(why) = rrule_problem(r)
    {
        diags.push(
            "podcast/update-frequency",
            tag,
            format!(
                "<podcast:updateFrequency rrule=\"{}\">: {why} (RFC 5545, e.g. FREQ=WEEKLY;BYDAY=WE)",
                short(r)
            ),
        );
    }
    if let Some(d) = tag.attr("dtstart")
        && !is_iso8601(d)
    {
        diags.push(
            "podcast/update-frequency",
            tag,
            format!(
                "<podcast:updateFrequency dtstart=\"{}\"> is not an ISO 8601 date",
                short(d)
            ),
        );
    }
}

fn publisher(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let items: Vec<&Node> = tag.children_named(Ns::Podcast, "remoteItem").collect();
    if items.len() != 1 {
        diags.push("podcast/remote-item", tag, format!("<podcast:publisher> holds {} <podcast:remoteItem>; it must hold exactly one (medium=\"publisher\")", items.len()));
    }
    for r in items {
        required(r, &["feedGuid"], diags);
        if r.attr("medium") != Some("publisher") {
            diags.push(
                "podcast/remote-item",
                r,
                "<podcast:remoteItem> in <podcast:publisher> must say medium=\"publisher\"".into(),
            );
        }
    }
}

fn content_link(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    if required(tag, &["href"], diags) && !is_absolute_url(tag.attr("href").unwrap_or("")) {
        diags.push(
            "podcast/content-link",
            tag,
            format!(
                "<podcast:contentLink href=\"{}\"> is not an absolute URL",
                short(tag.attr("href").unwrap_or(""))
            ),
        );
    }
}

fn block(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    let v = value(tag);
    let bad_id = tag.attr("id").is_some_and(|id| {
        id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    if bad_id {
        diags.push(
            "podcast/block",
            tag,
            format!(
                "<podcast:block id=\"{}\">: write a service slug of serviceslugs.txt (apple, spotify…)",
                short(tag.attr("id").unwrap_or(""))
            ),
        );
    } else if v != "yes" && v != "no" {
        diags.push(
            "podcast/block",
            tag,
            format!(
                "<podcast:block>{}</podcast:block>: write yes or no",
                short(v)
            ),
        );
    }
}

fn chat(tag: &Node, _cx: &Cx<'_>, diags: &mut Diags) {
    if !required(tag, &["server", "protocol"], diags) {
        return;
    }
    let p = tag.attr("protocol").unwrap_or("");
    if !CHAT_PROTOCOLS.contains(&p) {
        diags.push(
            "podcast/chat",
            tag,
            format!(
                "<podcast:chat protocol=\"{}\">: write irc, xmpp, nostr or matrix",
                short(p)
            ),
        );
    }
}

/// Tags whose only rules are how often they appear and their https URLs.
fn no_check(_tag: &Node, _cx: &Cx<'_>, _diags: &mut Diags) {}

/// `podcast:image`: an absolute href; width and height whole numbers; aspect-ratio
/// `W/H`; purpose a list of the defined tokens.
fn check_image(tag: &Node, diags: &mut Diags) {
    if required(tag, &["href"], diags) && !is_absolute_url(tag.attr("href").unwrap_or("")) {
        diags.push(
            "podcast/image",
            tag,
            format!(
                "<podcast:image href=\"{}\"> is not an absolute URL",
                short(tag.attr("href").unwrap_or(""))
            ),
        );
    }
    for a in ["width", "height"] {
        if let Some(x) = tag.attr(a)
            && (!is_whole(x) || x.trim() == "0")
        {
            diags.push(
                "podcast/image",
                tag,
                format!(
                    "<podcast:image {a}=\"{}\">: write pixels as a whole number",
                    short(x)
                ),
            );
        }
    }
    if let Some(r) = tag.attr("aspect-ratio") {
        let ok = r.split_once('/').is_some_and(|(w, h)| {
            is_number(w) && is_number(h) && h.trim().parse::<f64>().is_ok_and(|h| h > 0.0)
        });
        if !ok {
            diags.push(
                "podcast/image",
                tag,
                format!(
                    "<podcast:image aspect-ratio=\"{}\">: write width/height, e.g. 1/1 or 16/9",
                    short(r)
                ),
            );
        }
    }
    const PURPOSES: &[&str] = &[
        "artwork",
        "social",
        "canvas",
        "banner",
        "publisher",
        "circular",
        "poster",
    ];
    if let Some(p) = tag.attr("purpose")
        && let Some(bad) = p.split_whitespace().find(|t| !PURPOSES.contains(t))
    {
        diags.push(
            "podcast/image",
            tag,
            format!(
                "<podcast:image purpose=\"{}\">: `{}` is not a purpose ({})",
                short(p),
                short(bad),
                PURPOSES.join(", ")
            ),
        );
    }
}

/// `podcast:season` / `podcast:episode` must say what `itunes:season` / `itunes:episode`
/// say when an item has both: apps reading one or the other must number it the same.
pub(super) fn check_itunes_agree(item: &Node, diags: &mut Diags) {
    for name in ["season", "episode"] {
        let (Some(p), Some(i)) = (item.child(Ns::Podcast, name), item.child(Ns::Itunes, name))
        else {
            continue;
        };
        let same = match (
            value(p).trim().parse::<f64>(),
            value(i).trim().parse::<f64>(),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => true,
        };
        if !same {
            diags.push(
                "podcast/itunes-agree",
                p,
                format!(
                    "<podcast:{name}>{}</podcast:{name}> differs from <itunes:{name}>{}</itunes:{name}>; apps show one or the other",
                    short(value(p)),
                    short(value(i))
                ),
            );
        }
    }
}

fn check_guid(tag: &Node, st: Option<&FeedState>, diags: &mut Diags) {
    edge_space(tag, diags);
    let v = value(tag);
    let parsed = Uuid::parse_str(v).ok().filter(|_| v.len() == 36);
    match parsed {
        None => diags.push("podcast/guid", tag, format!("<podcast:guid>{}</podcast:guid> is not a UUID (xxxxxxxx-xxxx-5xxx-xxxx-xxxxxxxxxxxx)", short(v))),
        Some(u) if u.get_version_num() != 5 => diags.push("podcast/guid", tag, format!("<podcast:guid>{v}</podcast:guid> is a version {} UUID; the namespace wants version 5, derived from the feed URL", u.get_version_num())),
        // In an item, the derivation is a cross-item rule (ItemFacts::podcast_guids).
        Some(_) => {
            if let Some(st) = st {
                st.podcast_guid_derivation(v, tag.line, tag.column, diags);
            }
        }
    }
}

fn check_location(tag: &Node, diags: &mut Diags) {
    let v = value(tag);
    text_of(
        tag,
        "podcast/location",
        "<podcast:location> is empty; its text is the place's name",
        "name",
        v,
        diags,
    );
    for why in location_problems(
        tag.attr("geo"),
        tag.attr("osm"),
        tag.attr("country"),
        tag.attr("rel"),
    ) {
        diags.push("podcast/location", tag, format!("<podcast:location {why}"));
    }
}

fn check_alternate_enclosure(tag: &Node, diags: &mut Diags) {
    required(tag, &["type"], diags);
    for a in ["length", "height"] {
        if let Some(x) = tag.attr(a)
            && !is_whole(x)
        {
            diags.push(
                "podcast/alternate-enclosure",
                tag,
                format!(
                    "<podcast:alternateEnclosure {a}=\"{}\">: write a whole number",
                    short(x)
                ),
            );
        }
    }
    if let Some(b) = tag.attr("bitrate")
        && !is_number(b)
    {
        diags.push(
            "podcast/alternate-enclosure",
            tag,
            format!(
                "<podcast:alternateEnclosure bitrate=\"{}\">: write bits per second as a number",
                short(b)
            ),
        );
    }
    bool_attr(tag, "default", "podcast/alternate-enclosure", diags);
    for a in ["title", "rel"] {
        if let Some(x) = tag.attr(a) {
            too_long(tag, "podcast/alternate-enclosure", a, x, 32, diags);
        }
    }
    let sources: Vec<&Node> = tag.children_named(Ns::Podcast, "source").collect();
    if sources.is_empty() {
        diags.push("podcast/alternate-enclosure", tag, "<podcast:alternateEnclosure> has no <podcast:source uri=\"…\"/>; apps have nothing to play".into());
    }
    for s in sources {
        https_attrs(s, diags);
        if required(s, &["uri"], diags) && !is_absolute_url(s.attr("uri").unwrap_or("")) {
            diags.push(
                "podcast/alternate-enclosure",
                s,
                format!(
                    "<podcast:source uri=\"{}\"> is not an absolute URI",
                    short(s.attr("uri").unwrap_or(""))
                ),
            );
        }
    }
    let integrity: Vec<&Node> = tag.children_named(Ns::Podcast, "integrity").collect();
    if integrity.len() > 1 {
        diags.push(
            "podcast/count",
            integrity[1],
            "a second <podcast:integrity> in one alternateEnclosure; it may appear once".into(),
        );
    }
    for i in integrity {
        if required(i, &["type", "value"], diags) {
            let t = i.attr("type").unwrap_or("");
            let value = i.attr("value").unwrap_or("");
            if t == "sri" && !is_sri(value) {
                diags.push(
                    "podcast/integrity",
                    i,
                    format!(
                        "<podcast:integrity value=\"{}\">: an SRI value is sha256-, sha384- or sha512- and the base64 of the raw digest",
                        short(value)
                    ),
                );
            }
            if t != "sri" && t != "pgp-signature" {
                diags.push(
                    "podcast/integrity",
                    i,
                    format!(
                        "<podcast:integrity type=\"{}\">: write sri or pgp-signature",
                        short(t)
                    ),
                );
            }
        }
    }
}

fn check_value(tag: &Node, diags: &mut Diags) {
    required(tag, &["type", "method"], diags);
    if let Some(s) = tag.attr("suggested")
        && !is_number(s)
    {
        diags.push(
            "podcast/value",
            tag,
            format!("<podcast:value suggested=\"{}\">: write a number", short(s)),
        );
    }
    let recipients: Vec<&Node> = tag.children_named(Ns::Podcast, "valueRecipient").collect();
    let splits: Vec<&Node> = tag.children_named(Ns::Podcast, "valueTimeSplit").collect();
    if recipients.is_empty() {
        diags.push(
            "podcast/value",
            tag,
            "<podcast:value> has no <podcast:valueRecipient>; nobody gets paid".into(),
        );
    }
    for r in recipients {
        if required(r, &["type", "address", "split"], diags) {
            let s = r.attr("split").unwrap_or("");
            if !is_whole(s) {
                diags.push(
                    "podcast/value",
                    r,
                    format!(
                        "<podcast:valueRecipient split=\"{}\">: write a whole number of shares",
                        short(s)
                    ),
                );
            }
        }
        bool_attr(r, "fee", "podcast/value", diags);
    }
    for vts in splits {
        if required(vts, &["startTime", "duration"], diags) {
            for a in ["startTime", "duration"] {
                let x = vts.attr(a).unwrap_or("");
                if !is_number(x) {
                    diags.push(
                        "podcast/value",
                        vts,
                        format!(
                            "<podcast:valueTimeSplit {a}=\"{}\">: write seconds as a number",
                            short(x)
                        ),
                    );
                }
            }
        }
        if let Some(p) = vts.attr("remotePercentage")
            && !p
                .trim()
                .parse::<f64>()
                .is_ok_and(|x| (0.0..=100.0).contains(&x))
        {
            diags.push(
                "podcast/value",
                vts,
                format!(
                    "<podcast:valueTimeSplit remotePercentage=\"{}\">: write 0 to 100",
                    short(p)
                ),
            );
        }
        let remote = vts.children_named(Ns::Podcast, "remoteItem").count();
        let recips = vts.children_named(Ns::Podcast, "valueRecipient").count();
        if !((remote == 1 && recips == 0) || (remote == 0 && recips > 0)) {
            diags.push("podcast/value", vts, "<podcast:valueTimeSplit> holds exactly one <podcast:remoteItem> or at least one <podcast:valueRecipient>".into());
        }
        for r in vts.children_named(Ns::Podcast, "remoteItem") {
            required(r, &["feedGuid"], diags);
        }
    }
}

/// An item's transcripts: one tag per format and language (transcript.md), so
/// apps need not guess which of two VTT files in one language to show.
fn check_transcript_set(item: &Node, diags: &mut Diags) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for t in item.children_named(Ns::Podcast, "transcript") {
        let key = (
            t.attr("type").unwrap_or("").trim().to_ascii_lowercase(),
            t.attr("language").unwrap_or("").trim().to_ascii_lowercase(),
        );
        if seen.contains(&key) {
            diags.push(
                "podcast/transcript-duplicate",
                t,
                format!(
                    "a second <podcast:transcript type=\"{}\"{}> in one item: give one per format and language",
                    short(&key.0),
                    if key.1.is_empty() { String::new() } else { format!(" language=\"{}\"", short(&key.1)) }
                ),
            );
        } else {
            seen.push(key);
        }
    }
}

/// The atom:link self URL of a channel, for the guid derivation.
pub(super) fn channel_self_url(ch: &Node) -> Option<String> {
    ch.children_named(Ns::Atom, "link")
        .find(|l| l.attr("rel") == Some("self"))
        .and_then(|l| l.attr("href"))
        .filter(|h| is_http_url(h))
        .map(|h| h.trim().to_string())
}

/// Podlove Simple Chapters in an item: one psc:chapters holding psc:chapter elements with
/// a Normal Play Time `start` and a `title`, in order.
pub(super) fn check_psc(item: &Node, diags: &mut Diags) {
    let lists: Vec<&Node> = item.children_named(Ns::Psc, "chapters").collect();
    if let Some(second) = lists.get(1) {
        diags.push(
            "psc/chapters",
            second,
            "a second <psc:chapters> in one item; there is exactly one".into(),
        );
    }
    for list in lists {
        let chapters: Vec<&Node> = list.children_named(Ns::Psc, "chapter").collect();
        if chapters.is_empty() {
            diags.push(
                "psc/chapters",
                list,
                "<psc:chapters> holds no <psc:chapter>".into(),
            );
        }
        let mut last = -1.0;
        for c in chapters {
            let start = c.attr("start").and_then(npt_seconds);
            match start {
                None => diags.push("psc/chapters", c, format!("<psc:chapter start=\"{}\"> is not Normal Play Time (e.g. 0, 7:48, 01:35:52.250)", short(c.attr("start").unwrap_or("")))),
                Some(s) if s < last => diags.push("psc/chapters", c, format!("<psc:chapter start=\"{}\"> comes before the previous chapter; list chapters in order", short(c.attr("start").unwrap_or("")))),
                Some(s) => last = s,
            }
            if c.attr("title").is_none_or(|t| t.trim().is_empty()) {
                diags.push("psc/chapters", c, "<psc:chapter> has no title".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn guid_derivation_matches_the_spec_examples() {
        assert_eq!(
            crate::guid::podcast_guid_uuid("https://podnews.net/rss").to_string(),
            "9b024349-ccf0-5f69-a609-6b82873eab3c"
        );
        assert_eq!(
            crate::guid::podcast_guid_uuid("https://mp3s.nashownotes.com/pc20rss.xml").to_string(),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
        assert_eq!(
            crate::guid::podcast_guid_uuid("http://feeds.example.com/mspod/feed.xml/").to_string(),
            "f553a724-6adf-5f34-aa8f-4a871d55211a"
        );
    }
}
