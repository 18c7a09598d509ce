//! The Podcasting 2.0 and Apple feed-control keys of `mspod.toml` (`[show]` and
//! `[[people]]`) and `episode.toml`: their raw TOML shapes, the checked values,
//! and the offline artwork check. Every check here mirrors a validator rule, so
//! the writer never emits a tag `mspod validate` would flag.

use crate::validate::{is_medium, is_person_group, is_person_role, person_default_group};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// `podcast:location`: `{ name, geo, osm, country, rel }`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub name: String,
    /// RFC 5870 `geo:lat,lon`.
    pub geo: Option<String>,
    /// OpenStreetMap `R113314` (N, W or R and the id).
    pub osm: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// `subject` (what the show is about, the default) or `creator` (where it is made).
    pub rel: Option<String>,
}

/// `podcast:license`: an identifier from the namespace's licenses list (SPDX), or a custom
/// license with its URL.
#[derive(Debug, Clone, PartialEq)]
pub struct License {
    pub name: String,
    pub url: Option<String>,
}

/// `podcast:txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct Txt {
    pub value: String,
    pub purpose: Option<String>,
}

/// `podcast:funding`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    pub url: String,
    pub text: String,
}

/// A `podcast:remoteItem` pointing at another feed.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteFeed {
    /// The other feed's `podcast:guid`; derived from its URL when only that is given
    /// (the same UUIDv5 derivation apps use), which is right unless that feed moved.
    pub guid: String,
    pub url: Option<String>,
    pub title: Option<String>,
}

/// `podcast:updateFrequency`.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateFrequency {
    /// Computed from the published dates.
    Auto,
    /// An explicit RFC 5545 rule (`FREQ=WEEKLY;BYDAY=WE`) and its display text.
    Rule { rrule: String, text: String },
}

/// `[show] block` / `itunes:block` + `podcast:block`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Block {
    #[default]
    No,
    /// Out of every directory (`itunes:block Yes`, `podcast:block yes`).
    All,
    /// Out of these services only (`podcast:block id="…"`; `apple` also sets `itunes:block`).
    Services(Vec<String>),
}

/// A `[[people]]` entry: `podcast:person`.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// Lower case, from the Podcasting 2.0 taxonomy.
    pub role: String,
    pub group: String,
    pub href: Option<String>,
    pub img: Option<String>,
}

/// Show-level feed tags (`[show]` keys added for issue 12), checked.
#[derive(Debug, Clone, Default)]
pub struct ShowTags {
    /// `podcast:locked`: true unless `locked = false`.
    pub locked: bool,
    pub license: Option<License>,
    pub location: Vec<Location>,
    pub txt: Vec<Txt>,
    pub funding: Vec<Funding>,
    pub podroll: Vec<RemoteFeed>,
    pub publisher: Option<RemoteFeed>,
    pub update_frequency: Option<UpdateFrequency>,
    pub new_feed_url: Option<String>,
    pub complete: bool,
    pub block: Block,
    /// `podcast:medium`, default `podcast`.
    pub medium: String,
    /// The show cover as read from its file.
    pub cover: Option<Artwork>,
}

/// Artwork read from its file: Apple's rules are checked before this exists.
#[derive(Debug, Clone, PartialEq)]
pub struct Artwork {
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
    /// `image/jpeg` or `image/png`.
    pub mime: &'static str,
    pub bytes: u64,
}

/// Hosts advise keeping artwork under this for apps other than Apple (a warning only).
pub const ARTWORK_WARN_BYTES: u64 = 512 * 1024;

/// Reads an image file's header and checks it against Apple's artwork rules: JPEG or PNG
/// (matching its extension), square, 1400–3000 px, RGB. The message names the file.
pub fn artwork(path: &Path) -> Result<Artwork, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the artwork {}: {e}", path.display()))?;
    let shown = path.display();
    let Some(info) = crate::validate::online::image_info(&bytes) else {
        return Err(format!(
            "the artwork {shown} is not a JPEG or PNG file; Apple accepts only those"
        ));
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let named = match ext.as_str() {
        "jpg" | "jpeg" => "JPEG",
        "png" => "PNG",
        _ => "",
    };
    if named != info.format {
        return Err(format!(
            "the artwork {shown} is a {} file but named .{ext}; Apple wants .jpg for JPEG and .png for PNG",
            info.format
        ));
    }
    let (w, h) = (info.width, info.height);
    if w != h || !(1400..=3000).contains(&w) {
        return Err(format!(
            "the artwork {shown} is {w}x{h} px; Apple wants a square between 1400x1400 and 3000x3000 (3000x3000 preferred)"
        ));
    }
    if !info.rgb {
        return Err(format!(
            "the artwork {shown} uses {} colour; Apple requires RGB (convert it, e.g. `convert in.jpg -colorspace sRGB out.jpg`)",
            info.colour
        ));
    }
    Ok(Artwork {
        path: path.to_path_buf(),
        width: w,
        height: h,
        mime: if info.format == "PNG" {
            "image/png"
        } else {
            "image/jpeg"
        },
        bytes: bytes.len() as u64,
    })
}

// ---- raw TOML shapes -------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged, expecting = "expected one value or a list of them")]
pub(crate) enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub(super) fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = r#"`license` must be an identifier such as "CC-BY-4.0", or { name = "…", url = "https://…" }"#
)]
pub(super) enum RawLicense {
    Id(String),
    Custom(RawCustomLicense),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCustomLicense {
    name: String,
    url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = r#"each `txt` must be a string, or { value = "…", purpose = "…" }"#
)]
pub(super) enum RawTxt {
    Plain(String),
    Full(RawTxtFull),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTxtFull {
    value: String,
    purpose: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = r#"`podroll` entries and `publisher` must be a feed URL or GUID, or { guid = "…", url = "https://…", title = "…" }"#
)]
pub(super) enum RawRemote {
    /// A feed GUID or a feed URL.
    Plain(String),
    Full(RawRemoteFull),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRemoteFull {
    guid: Option<String>,
    url: Option<String>,
    title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = r#"`update_frequency` must be "auto", an RFC 5545 rule such as "FREQ=WEEKLY;BYDAY=MO", or { rrule = "…", text = "…" }"#
)]
pub(super) enum RawFrequency {
    /// `"auto"` or an rrule.
    Plain(String),
    Full(RawFrequencyFull),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFrequencyFull {
    rrule: String,
    text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = r#"`block` must be true, false, or a list of service slugs such as ["spotify"]"#
)]
pub(super) enum RawBlock {
    All(bool),
    Services(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPerson {
    id: String,
    name: String,
    role: Option<String>,
    group: Option<String>,
    href: Option<String>,
    img: Option<String>,
}

/// The new `[show]` keys, as TOML gave them.
#[derive(Debug, Clone, Default)]
pub(super) struct RawShowTags {
    pub locked: Option<bool>,
    pub license: Option<RawLicense>,
    pub location: Option<OneOrMany<Location>>,
    pub txt: Option<OneOrMany<RawTxt>>,
    pub funding: Option<OneOrMany<Funding>>,
    pub podroll: Vec<RawRemote>,
    pub publisher: Option<RawRemote>,
    pub update_frequency: Option<RawFrequency>,
    pub new_feed_url: Option<String>,
    pub complete: bool,
    pub block: Option<RawBlock>,
    pub medium: Option<String>,
}

/// Problems are `(key, message)`; the caller turns them into errors at the key's line.
pub(super) type Problems = Vec<(&'static str, String)>;

fn https(key: &'static str, what: &str, url: &str, problems: &mut Problems) {
    match super::config::check_http_url(url) {
        Err(why) => problems.push((key, format!("{what}: {why}"))),
        Ok(()) if !url.trim().to_ascii_lowercase().starts_with("https://") => problems.push((
            key,
            format!("{what}: `{url}` must be https (the podcast namespace requires it)"),
        )),
        Ok(()) => {}
    }
}

fn max_len(key: &'static str, what: &str, v: &str, max: usize, problems: &mut Problems) {
    let n = v.chars().count();
    if n > max {
        problems.push((key, format!("{what} is {n} characters; at most {max}")));
    }
}

pub(super) fn show_tags(raw: RawShowTags, problems: &mut Problems) -> ShowTags {
    let license = raw.license.map(|l| match l {
        RawLicense::Id(id) => {
            let ok = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.+".contains(c));
            if !ok {
                problems.push(("license", format!("`license = \"{id}\"` is not a license identifier such as \"CC-BY-4.0\"; for a custom license write {{ name = \"…\", url = \"https://…\" }}")));
            }
            License { name: id, url: None }
        }
        RawLicense::Custom(c) => {
            https("license", "`license.url`", &c.url, problems);
            max_len("license", "`license.name`", &c.name, 128, problems);
            License {
                name: c.name,
                url: Some(c.url),
            }
        }
    });
    let location = raw.location.map(OneOrMany::into_vec).unwrap_or_default();
    for l in &location {
        check_location("location", l, problems);
    }
    let txt: Vec<Txt> = raw
        .txt
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .into_iter()
        .map(|t| match t {
            RawTxt::Plain(value) => Txt {
                value,
                purpose: None,
            },
            RawTxt::Full(f) => Txt {
                value: f.value,
                purpose: f.purpose,
            },
        })
        .collect();
    for t in &txt {
        if t.value.trim().is_empty() {
            problems.push(("txt", "`txt`: a value is empty".into()));
        }
        max_len("txt", "a `txt` value", &t.value, 4000, problems);
        if let Some(p) = &t.purpose {
            max_len("txt", "a `txt` purpose", p, 128, problems);
        }
    }
    let funding = raw.funding.map(OneOrMany::into_vec).unwrap_or_default();
    for f in &funding {
        https("funding", "`funding.url`", &f.url, problems);
        max_len("funding", "`funding.text`", &f.text, 128, problems);
    }
    let podroll = raw
        .podroll
        .into_iter()
        .filter_map(|r| remote("podroll", r, problems))
        .collect();
    let publisher = raw.publisher.and_then(|r| remote("publisher", r, problems));
    if publisher.as_ref().is_some_and(|p| p.url.is_none()) {
        problems.push((
            "publisher",
            "`publisher`: give the publisher feed's URL (`{ guid = \"…\", url = \"https://…\" }`)"
                .into(),
        ));
    }
    let update_frequency = raw.update_frequency.and_then(|f| match f {
        RawFrequency::Plain(s) if s == "auto" => Some(UpdateFrequency::Auto),
        RawFrequency::Plain(rrule) => rule(rrule, None, problems),
        RawFrequency::Full(f) => rule(f.rrule, f.text, problems),
    });
    if let Some(url) = &raw.new_feed_url
        && let Err(why) = super::config::check_http_url(url)
    {
        problems.push(("new_feed_url", format!("`new_feed_url`: {why}")));
    }
    let block = match raw.block {
        None | Some(RawBlock::All(false)) => Block::No,
        Some(RawBlock::All(true)) => Block::All,
        Some(RawBlock::Services(list)) => {
            for s in &list {
                if !is_service_slug(s) {
                    problems.push(("block", format!("`block`: `{s}` is not a service slug (lower case, e.g. \"apple\", \"spotify\")")));
                }
            }
            Block::Services(list)
        }
    };
    let medium = raw.medium.unwrap_or_else(|| "podcast".into());
    if !is_medium(&medium) {
        problems.push((
            "medium",
            format!("`medium = \"{medium}\"` is not a medium: podcast, music, video, film, audiobook, newsletter, blog, publisher, course, their …L list forms, or mixed"),
        ));
    }
    ShowTags {
        locked: raw.locked.unwrap_or(true),
        license,
        location,
        txt,
        funding,
        podroll,
        publisher,
        update_frequency,
        new_feed_url: raw.new_feed_url,
        complete: raw.complete,
        block,
        medium,
        cover: None,
    }
}

/// Service slugs (`serviceslugs.txt`) are lower-case ASCII words.
fn is_service_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn rule(rrule: String, text: Option<String>, problems: &mut Problems) -> Option<UpdateFrequency> {
    match crate::validate::rrule_problem(&rrule) {
        Some(why) => {
            problems.push((
                "update_frequency",
                format!("`update_frequency = \"{rrule}\"`: {why}; write \"auto\" or an RFC 5545 rule such as \"FREQ=WEEKLY;BYDAY=WE\""),
            ));
            None
        }
        None => {
            let text = text.unwrap_or_else(|| rrule_text(&rrule));
            Some(UpdateFrequency::Rule { rrule, text })
        }
    }
}

/// A display text for a rule: "Weekly", "Every 2 weeks"…
pub fn rrule_text(rrule: &str) -> String {
    let part = |k: &str| {
        rrule
            .split(';')
            .find_map(|p| p.strip_prefix(k)?.strip_prefix('='))
            .map(str::to_string)
    };
    let interval: u32 = part("INTERVAL").and_then(|i| i.parse().ok()).unwrap_or(1);
    let unit = match part("FREQ").as_deref() {
        Some("DAILY") => ("Daily", "days"),
        Some("WEEKLY") => ("Weekly", "weeks"),
        Some("MONTHLY") => ("Monthly", "months"),
        Some("YEARLY") => ("Yearly", "years"),
        Some("HOURLY") => ("Hourly", "hours"),
        _ => ("Regularly", "periods"),
    };
    if interval <= 1 {
        unit.0.to_string()
    } else {
        format!("Every {interval} {}", unit.1)
    }
}

fn remote(key: &'static str, r: RawRemote, problems: &mut Problems) -> Option<RemoteFeed> {
    let (guid, url, title) = match r {
        RawRemote::Plain(s) if uuid::Uuid::parse_str(&s).is_ok() => (Some(s), None, None),
        RawRemote::Plain(s) => (None, Some(s), None),
        RawRemote::Full(f) => (f.guid, f.url, f.title),
    };
    if let Some(u) = &url {
        https(key, &format!("`{key}`"), u, problems);
    }
    let guid = match (guid, &url) {
        (Some(g), _) if uuid::Uuid::parse_str(&g).is_ok() => g,
        (Some(g), _) => {
            problems.push((key, format!("`{key}`: `{g}` is not a feed GUID (a UUID)")));
            return None;
        }
        (None, Some(u)) => crate::guid::podcast_guid(u),
        (None, None) => {
            problems.push((key, format!("`{key}`: give a feed `guid` or `url`")));
            return None;
        }
    };
    Some(RemoteFeed { guid, url, title })
}

pub(super) fn check_location(key: &'static str, l: &Location, problems: &mut Problems) {
    if l.name.trim().is_empty() {
        problems.push((key, format!("`{key}.name` is empty")));
    }
    max_len(key, &format!("`{key}.name`"), &l.name, 128, problems);
    for why in crate::validate::location_problems(
        l.geo.as_deref(),
        l.osm.as_deref(),
        l.country.as_deref(),
        l.rel.as_deref(),
    ) {
        problems.push((key, format!("`{key}`: {}", why.replace("\">:", "\":"))));
    }
}

pub(super) fn people(raw: Vec<RawPerson>, problems: &mut Problems) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    for p in raw {
        if out.iter().any(|o| o.id == p.id) {
            problems.push(("id", format!("[[people]]: the id `{}` is used twice", p.id)));
        }
        if p.id.trim().is_empty() || p.name.trim().is_empty() {
            problems.push((
                "people",
                "[[people]]: `id` and `name` must not be empty".into(),
            ));
        }
        max_len("name", "[[people]] `name`", &p.name, 128, problems);
        let role = p.role.unwrap_or_else(|| "host".into()).to_ascii_lowercase();
        if !is_person_role(&role) {
            problems.push(("role", format!("[[people]] `{}`: role `{role}` is not in the Podcasting 2.0 taxonomy (host, co-host, guest, producer, editor…)", p.id)));
        }
        let group = match p.group {
            Some(g) => g.to_ascii_lowercase(),
            None => person_default_group(&role).unwrap_or("cast").to_string(),
        };
        if !is_person_group(&group) {
            problems.push(("group", format!("[[people]] `{}`: group `{group}` is not in the Podcasting 2.0 taxonomy (cast, writing, creative direction…)", p.id)));
        }
        for (k, v) in [("href", &p.href), ("img", &p.img)] {
            if let Some(u) = v {
                https(k, &format!("[[people]] `{}` `{k}`", p.id), u, problems);
            }
        }
        out.push(Person {
            id: p.id,
            name: p.name.trim().to_string(),
            role,
            group,
            href: p.href,
            img: p.img,
        });
    }
    out
}

// ---- episode.toml ----------------------------------------------------------------

/// A `[[soundbite]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Soundbite {
    pub start: f64,
    pub duration: f64,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSoundbite {
    pub start: toml::Value,
    pub duration: f64,
    #[serde(default)]
    pub title: String,
}

/// An MP4 video offered beside the audio (`podcast:alternateEnclosure`).
#[derive(Debug, Clone, PartialEq)]
pub struct VideoFile {
    pub path: PathBuf,
    /// Under `media_base_url`: `<slug>/<file>`.
    pub public_path: String,
    /// Overrides `media_base_url` + path.
    pub url: Option<String>,
}

/// Episode-level feed tags (`episode.toml` keys added for issue 12), checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EpisodeTags {
    /// `[[people]]` ids; empty = match the article's author.
    pub people: Vec<String>,
    /// `image`, or `cover.jpg`/`cover.png` found in the episode folder.
    pub image: Option<Artwork>,
    pub block: bool,
    pub soundbites: Vec<Soundbite>,
    pub location: Vec<Location>,
    pub video: Option<VideoFile>,
}

/// Soundbites apps play best are 15–120 s; anything positive is allowed.
pub(super) fn soundbite(
    start: Result<f64, String>,
    raw: &RawSoundbite,
    problems: &mut Problems,
) -> Option<Soundbite> {
    let start = match start {
        Ok(s) => s,
        Err(why) => {
            problems.push(("soundbite", format!("`[[soundbite]]`: {why}")));
            return None;
        }
    };
    if !(raw.duration.is_finite() && raw.duration > 0.0) {
        problems.push((
            "duration",
            format!(
                "`[[soundbite]]` `duration = {}` must be a positive number of seconds",
                raw.duration
            ),
        ));
        return None;
    }
    max_len(
        "title",
        "`[[soundbite]]` `title`",
        &raw.title,
        128,
        problems,
    );
    Some(Soundbite {
        start,
        duration: raw.duration,
        title: raw.title.trim().to_string(),
    })
}

/// The episode's artwork: `image` if given, else `cover.jpg` / `cover.png` in its folder.
/// Episode artwork found without an `image` key, in this order.
pub(super) const EPISODE_COVERS: [&str; 2] = ["cover.jpg", "cover.png"];

pub(super) fn episode_image(
    dir: &Path,
    given: Option<&Path>,
    problems: &mut Problems,
) -> Option<Artwork> {
    let path = match given {
        Some(p) => {
            let path = dir.join(p);
            if !path.is_file() {
                problems.push(("image", format!("`image`: {} not found", path.display())));
                return None;
            }
            path
        }
        None => EPISODE_COVERS
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())?,
    };
    match artwork(&path) {
        Ok(a) => Some(a),
        Err(why) => {
            problems.push(("image", why));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_texts_read_like_a_schedule() {
        assert_eq!(rrule_text("FREQ=WEEKLY;BYDAY=WE"), "Weekly");
        assert_eq!(rrule_text("FREQ=WEEKLY;INTERVAL=2"), "Every 2 weeks");
        assert_eq!(rrule_text("FREQ=DAILY"), "Daily");
        assert_eq!(rrule_text("FREQ=MONTHLY;INTERVAL=3"), "Every 3 months");
    }

    #[test]
    fn podroll_urls_get_the_derived_guid() {
        let mut p = Problems::new();
        let r = remote(
            "podroll",
            RawRemote::Plain("https://podnews.net/rss".into()),
            &mut p,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(
            r.map(|r| r.guid),
            Some("9b024349-ccf0-5f69-a609-6b82873eab3c".into())
        );
        assert!(
            remote(
                "podroll",
                RawRemote::Plain("http://x.org/rss".into()),
                &mut p
            )
            .is_some()
        );
        assert_eq!(p.len(), 1, "http is refused: {p:?}");
    }
}
