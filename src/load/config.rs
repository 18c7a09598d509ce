//! `mspod.toml`: the show's configuration.

use super::tags::{self, Location, Person, ShowTags};
use super::toml_error::{line_of_key, to_error};
use crate::apple;
use crate::article::{Role, SectionRules};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The whole of `mspod.toml`, checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub show: ShowConfig,
    /// Heading → role rules: built-in defaults plus `[sections]`.
    pub sections: SectionRules,
    /// SHA-256 of what `mspod.toml` says (its values, not its layout) and of the theme's
    /// files: the whole publish's fingerprint includes it.
    pub digest: String,
    /// The same of the settings an episode's files and item can depend on: all but
    /// [`CHANNEL_ONLY`]. Every episode's input key includes it.
    pub episodes_digest: String,
    /// `[deploy]`: where `mspod deploy` puts the feed and the media; `None` without the table.
    pub deploy: Option<DeployConfig>,
    /// `[notify]`: who `mspod deploy` tells about a new feed.
    pub notify: NotifyConfig,
}

/// `[show]`, checked: URLs are absolute, categories are Apple's, the image exists.
#[derive(Debug, Clone)]
pub struct ShowConfig {
    pub title: String,
    pub description: String,
    /// Channel `<link>`: the show's website.
    pub link: String,
    /// `<atom:link rel="self">`; the folder it is in is where `feeds/` is deployed.
    pub feed_url: String,
    pub language: String,
    pub author: String,
    pub owner: Owner,
    /// The cover image on disk (for its size and type).
    pub image_path: PathBuf,
    /// `<itunes:image href>` / `<image><url>`.
    pub image_url: String,
    pub categories: Vec<Category>,
    pub explicit: bool,
    pub kind: ShowType,
    pub copyright: Option<String>,
    /// Always ends with `/`.
    pub media_base_url: String,
    /// `[feed] max_items`: items per feed page (the newest in `podcast.xml`); `None` = one page.
    pub max_items: Option<usize>,
    /// `[feed] warn_bytes`: warn when `podcast.xml` is larger (several apps choke on big feeds).
    pub warn_bytes: u64,
    /// Podcasting 2.0 / Apple feed-control keys of `[show]` (locked, license, location…).
    pub tags: ShowTags,
    /// `[[people]]`: hosts, guests and crew (`podcast:person`).
    pub people: Vec<Person>,
    /// `[show.links]`: where else to subscribe, as (key, URL): the known apps first
    /// in [`KNOWN_LINKS`] order, then any other name alphabetically.
    pub links: Vec<(String, String)>,
    /// `[show] hosts`: who presents the show (the show page names them).
    pub hosts: Vec<String>,
    /// `[show] disclaimer`: one line shown on every page and in every description.
    pub disclaimer: Option<String>,
    /// `[site] anchors`: how the site that publishes Markdown articles makes heading ids.
    pub anchors: AnchorScheme,
    /// `[site] theme`: the theme folder's files (name → text), over the built-in theme.
    pub theme: Vec<(String, String)>,
    /// `[notify] hubs`: WebSub hubs, announced in the feed as `<atom:link rel="hub">`.
    pub hubs: Vec<String>,
    /// `[notify] podping`: the feed declares `<podcast:podping usesPodping="true"/>`.
    pub podping: bool,
}

/// Subscribe-link keys with a known label, in the order pages list them.
pub const KNOWN_LINKS: [(&str, &str); 6] = [
    ("apple", "Apple Podcasts"),
    ("spotify", "Spotify"),
    ("youtube", "YouTube"),
    ("pocketcasts", "Pocket Casts"),
    ("overcast", "Overcast"),
    ("amazon", "Amazon Music"),
];

/// `[site] anchors`: the heading-id scheme of the site generator that renders
/// Markdown articles, so notes can link `article#section`. HTML articles are
/// the published page itself: only ids found on it are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AnchorScheme {
    /// Unknown: link Markdown articles without a fragment.
    #[default]
    None,
    /// GitHub, rehype-slug, Astro, Docusaurus.
    Github,
    /// Hugo's default (`autoHeadingIDType = "github"`).
    Hugo,
    /// Jekyll's kramdown.
    Jekyll,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    pub name: String,
    pub email: String,
}

/// An Apple category, with an optional subcategory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub sub: Option<String>,
}

/// `<itunes:type>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ShowType {
    #[default]
    Episodic,
    Serial,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    show: RawShow,
    #[serde(default)]
    sections: RawSections,
    #[serde(default)]
    feed: RawFeed,
    #[serde(default)]
    people: Vec<tags::RawPerson>,
    #[serde(default)]
    site: RawSite,
    /// `[pairing]`: used by `mspod pair`, checked everywhere (src/load/pairing.rs).
    #[serde(default)]
    pairing: super::pairing::RawPairing,
    deploy: Option<RawDeploy>,
    #[serde(default)]
    notify: RawNotify,
}

/// `[site]`: facts about the website the articles are published on.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    #[serde(default)]
    anchors: AnchorScheme,
    theme: Option<PathBuf>,
}

/// `[feed]`: how big the feed may grow.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    max_items: Option<usize>,
    warn_bytes: Option<u64>,
}

/// Feeds over 4 MB are where apps and directories start to time out or truncate.
pub(super) const DEFAULT_WARN_BYTES: u64 = 4_000_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShow {
    title: String,
    description: String,
    link: String,
    feed_url: String,
    language: String,
    author: String,
    owner: Owner,
    image: PathBuf,
    image_url: Option<String>,
    categories: Vec<String>,
    #[serde(default)]
    explicit: bool,
    #[serde(default, rename = "type")]
    kind: ShowType,
    copyright: Option<String>,
    media_base_url: String,
    // Podcasting 2.0 / Apple feed control (see load/tags.rs).
    locked: Option<bool>,
    license: Option<tags::RawLicense>,
    location: Option<tags::OneOrMany<Location>>,
    txt: Option<tags::OneOrMany<tags::RawTxt>>,
    funding: Option<tags::OneOrMany<tags::Funding>>,
    #[serde(default)]
    podroll: Vec<tags::RawRemote>,
    publisher: Option<tags::RawRemote>,
    update_frequency: Option<tags::RawFrequency>,
    new_feed_url: Option<String>,
    #[serde(default)]
    complete: bool,
    block: Option<tags::RawBlock>,
    medium: Option<String>,
    #[serde(default)]
    links: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    hosts: Vec<String>,
    disclaimer: Option<String>,
}

/// `[sections]`: extra heading patterns per role.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSections {
    #[serde(default)]
    summary: Vec<String>,
    #[serde(default)]
    takeaways: Vec<String>,
    #[serde(default)]
    faq: Vec<String>,
    #[serde(default)]
    help: Vec<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    skip: Vec<String>,
}

pub(super) fn read(path: &Path, root: &Path, real_root: &Path) -> Result<Config> {
    let text = crate::fs::read_to_string(path)?;
    parse(&text, path, root, real_root)
}

/// `root` as paths in messages show it; `real_root` canonical, to confine `image`.
pub(super) fn parse(text: &str, path: &Path, root: &Path, real_root: &Path) -> Result<Config> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| to_error(path, text, &e))?;
    let mut errors = Vec::new();
    let err_at = |key: &str, message: String| match line_of_key(text, key) {
        Some(line) => Error::content_at(path, line, message),
        None => Error::content(path, message),
    };
    let s = raw.show;

    for (key, value) in [
        ("title", &s.title),
        ("description", &s.description),
        ("author", &s.author),
        ("language", &s.language),
    ] {
        if value.trim().is_empty() {
            errors.push(err_at(key, format!("`{key}` is empty")));
        }
    }
    for (key, value) in [
        ("link", &s.link),
        ("feed_url", &s.feed_url),
        ("media_base_url", &s.media_base_url),
    ] {
        if let Err(why) = check_http_url(value) {
            errors.push(err_at(key, format!("`{key}`: {why}")));
        }
    }
    if let Some(url) = &s.image_url
        && let Err(why) = check_http_url(url)
    {
        errors.push(err_at("image_url", format!("`image_url`: {why}")));
    }
    if !s.owner.email.contains('@') {
        errors.push(err_at(
            "owner",
            format!("`owner.email` `{}` is not an email address", s.owner.email),
        ));
    }

    let mut categories = Vec::new();
    if s.categories.is_empty() {
        errors.push(err_at(
            "categories",
            "`categories` is empty: Apple requires at least one category".into(),
        ));
    }
    for written in &s.categories {
        let mut parts = written.splitn(2, '>').map(str::trim);
        let name = parts.next().unwrap_or_default().to_string();
        let sub = parts.next().map(str::to_string);
        if apple::is_category(&name, sub.as_deref()) {
            categories.push(Category { name, sub });
        } else {
            let hint = apple::suggest(sub.as_deref().unwrap_or(&name))
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_else(|| " (see Apple's category list)".into());
            errors.push(err_at(
                "categories",
                format!("`{written}` is not an Apple Podcasts category{hint}"),
            ));
        }
    }

    let image_path = root.join(&s.image);
    if let Err(why) = crate::fs::confined_file(real_root, &image_path) {
        errors.push(err_at("image", format!("`image`: {why}")));
    }
    let media_base_url = with_trailing_slash(&s.media_base_url);
    let image_url = s
        .image_url
        .clone()
        .unwrap_or_else(|| format!("{media_base_url}{}", public_path(&s.image)));

    let patterns: Vec<(&str, &Vec<String>)> = vec![
        ("summary", &raw.sections.summary),
        ("takeaways", &raw.sections.takeaways),
        ("faq", &raw.sections.faq),
        ("help", &raw.sections.help),
        ("references", &raw.sections.references),
        ("skip", &raw.sections.skip),
    ];
    for (role, list) in patterns {
        for p in list {
            if let Err(why) = crate::article::validate_pattern(p) {
                errors.push(err_at(
                    role,
                    format!("[sections] {role}: pattern \"{p}\": {why}"),
                ));
            }
        }
    }
    let sections = SectionRules::new(
        [
            (Role::Summary, raw.sections.summary),
            (Role::Takeaways, raw.sections.takeaways),
            (Role::Faq, raw.sections.faq),
            (Role::Help, raw.sections.help),
            (Role::References, raw.sections.references),
            (Role::Skip, raw.sections.skip),
        ]
        .into_iter()
        .flat_map(|(role, patterns)| patterns.into_iter().map(move |p| (role, p)))
        .collect(),
    );

    let mut problems = tags::Problems::new();
    let mut show_tags = tags::show_tags(
        tags::RawShowTags {
            locked: s.locked,
            license: s.license,
            location: s.location,
            txt: s.txt,
            funding: s.funding,
            podroll: s.podroll,
            publisher: s.publisher,
            update_frequency: s.update_frequency,
            new_feed_url: s.new_feed_url,
            complete: s.complete,
            block: s.block,
            medium: s.medium,
        },
        &mut problems,
    );
    let people = tags::people(raw.people, &mut problems);
    if image_path.is_file() {
        match tags::artwork(&image_path) {
            Ok(a) => show_tags.cover = Some(a),
            Err(why) => problems.push(("image", format!("`image`: {why}"))),
        }
    }
    errors.extend(problems.into_iter().map(|(key, why)| err_at(key, why)));
    for (key, url) in &s.links {
        if let Err(why) = check_http_url(url) {
            errors.push(err_at(key, format!("`[show.links] {key}`: {why}")));
        }
    }
    let mut links: Vec<(String, String)> = s
        .links
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // BTreeMap order, then the known apps moved to the front in their fixed order.
    links.sort_by_key(|(k, _)| {
        KNOWN_LINKS
            .iter()
            .position(|(known, _)| known == k)
            .unwrap_or(KNOWN_LINKS.len())
    });

    let theme = match &raw.site.theme {
        Some(dir) => read_theme(&root.join(dir), &mut errors, &err_at),
        None => Vec::new(),
    };

    if raw.feed.max_items == Some(0) {
        errors.push(err_at(
            "max_items",
            "`[feed] max_items` must be at least 1".into(),
        ));
    }
    let deploy = raw
        .deploy
        .map(|d| check_deploy(d, &mut errors, &err_at))
        .transpose()
        .ok()
        .flatten();
    let notify = check_notify(raw.notify, &mut errors, &err_at);
    let (_, pairing_problems) = super::pairing::check(raw.pairing);
    errors.extend(
        pairing_problems
            .into_iter()
            .map(|(key, why)| err_at(key, why)),
    );
    Error::from_list(errors)?;
    Ok(Config {
        show: ShowConfig {
            title: s.title.trim().to_string(),
            description: s.description.trim().to_string(),
            link: s.link,
            feed_url: s.feed_url,
            language: s.language,
            author: s.author,
            owner: s.owner,
            image_path,
            image_url,
            categories,
            explicit: s.explicit,
            kind: s.kind,
            copyright: s.copyright,
            media_base_url,
            max_items: raw.feed.max_items,
            warn_bytes: raw.feed.warn_bytes.unwrap_or(DEFAULT_WARN_BYTES),
            tags: show_tags,
            people,
            links,
            hosts: s
                .hosts
                .iter()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
                .collect(),
            disclaimer: s
                .disclaimer
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            anchors: raw.site.anchors,
            theme: theme.clone(),
            hubs: notify.hubs.clone(),
            podping: notify.podping,
        },
        sections,
        // The theme's files are inputs of every page, like mspod.toml itself.
        digest: digest_with_theme(canonical(text, &[]), &theme),
        episodes_digest: digest_with_theme(canonical(text, CHANNEL_ONLY), &theme),
        deploy,
        notify,
    })
}

/// Settings (table, key; `None`: the whole table) that only the channel, `deploy`,
/// `pair` or the publish's report read: no episode's files or item depend on them, so
/// changing one renders no episode again. (`tests/publish.rs` checks each against a
/// full rebuild.)
pub(crate) const CHANNEL_ONLY: &[(&str, Option<&str>)] = &[
    // Channel tags: Apple's directory fields and the Podcasting 2.0 feed-control tags.
    ("show", Some("categories")),
    ("show", Some("owner")),
    ("show", Some("locked")),
    ("show", Some("new_feed_url")),
    ("show", Some("block")),
    ("show", Some("license")),
    ("show", Some("location")),
    ("show", Some("txt")),
    ("show", Some("funding")),
    ("show", Some("podroll")),
    ("show", Some("publisher")),
    ("feed", Some("max_items")),
    ("feed", Some("warn_bytes")),
    ("notify", None),
    ("deploy", None),
    ("pairing", None),
];

/// `mspod.toml` as its values say it (keys sorted, no comments or layout) without the
/// settings `leave_out` names: an edited comment is not a new show.
fn canonical(text: &str, leave_out: &[(&str, Option<&str>)]) -> String {
    let Ok(mut table) = toml::from_str::<toml::Table>(text) else {
        return text.to_string();
    };
    for (name, key) in leave_out {
        if let (Some(key), Some(toml::Value::Table(t))) = (key, table.get_mut(*name)) {
            t.remove(*key);
        }
        // A table left empty is as good as none.
        let empty = matches!(table.get(*name), Some(toml::Value::Table(t)) if t.is_empty());
        if key.is_none() || empty {
            table.remove(*name);
        }
    }
    toml::to_string(&table).unwrap_or_else(|_| text.to_string())
}

fn digest_with_theme(settings: String, theme: &[(String, String)]) -> String {
    let all = theme.iter().fold(settings, |acc, (name, body)| {
        format!("{acc}\0{name}\0{body}")
    });
    crate::fs::digest(all.as_bytes())
}

/// The parts of `mspod.toml` that `mspod pair` and `mspod new` use, read with the
/// same model and key checks as [`parse`]; the files it names (cover, theme) need
/// not exist yet, as a show is often set up before its artwork.
pub(super) fn parse_basics(text: &str, path: &Path) -> Result<super::pairing::ShowBasics> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| to_error(path, text, &e))?;
    let err_at = |key: &str, message: String| match line_of_key(text, key) {
        Some(line) => Error::content_at(path, line, message),
        None => Error::content(path, message),
    };
    let mut errors = Vec::new();
    if let Err(why) = check_http_url(&raw.show.link) {
        errors.push(err_at("link", format!("`link`: {why}")));
    }
    let (pairing, problems) = super::pairing::check(raw.pairing);
    errors.extend(problems.into_iter().map(|(key, why)| err_at(key, why)));
    Error::from_list(errors)?;
    Ok(super::pairing::ShowBasics {
        title: raw.show.title.trim().to_string(),
        author: raw.show.author,
        link: raw.show.link,
        pairing,
    })
}

/// The files of a `[site] theme` folder that replace or add to the built-in
/// theme: templates (`*.html`, checked here so a mistake names its file and
/// line), `site.css` and `player.js`. Other files are left alone.
fn read_theme(
    dir: &Path,
    errors: &mut Vec<Error>,
    err_at: &dyn Fn(&str, String) -> Error,
) -> Vec<(String, String)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(err_at(
                "theme",
                format!("`[site] theme`: cannot read {}: {e}", dir.display()),
            ));
            return Vec::new();
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") || n == "site.css" || n == "player.js")
        .collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        let path = dir.join(&name);
        match crate::fs::read_to_string(&path) {
            Ok(text) => {
                if name.ends_with(".html")
                    && let Err((line, why)) = check_template(&name, &text)
                {
                    errors.push(match line {
                        Some(line) => Error::content_at(&path, line, why),
                        None => Error::content(&path, why),
                    });
                }
                files.push((name, text));
            }
            Err(e) => errors.push(e),
        }
    }
    files
}

/// Checks one theme file's template syntax: `Err((line, message))`. Here, not in
/// `render`, because a bad template is a content error of `mspod.toml`'s theme.
pub fn check_template(name: &str, text: &str) -> Result<(), (Option<usize>, String)> {
    let mut env = minijinja::Environment::new();
    env.add_template(name, text)
        .map(|_| ())
        .map_err(|e| (e.line(), e.to_string()))
}

/// `[deploy]`, checked: targets are `s3://bucket/prefix/` or `file:///dir/` URLs.
/// Credentials never live here: they come from the environment (`AWS_ACCESS_KEY_ID`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployConfig {
    /// Where `feeds/` goes (served at the folder of `feed_url`).
    pub feed: Target,
    /// Where each episode's audio (and the cover) goes (served at `media_base_url`).
    pub media: Target,
    /// An S3-compatible service's endpoint (R2, B2, MinIO, …); `None`: AWS.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Path-style requests (`endpoint/bucket/key`) instead of `bucket.endpoint/key`.
    pub path_style: bool,
    /// Uploads in flight at once.
    pub jobs: usize,
    /// Files from this size up are sent as multipart uploads.
    pub multipart_bytes: u64,
    /// `Cache-Control` per kind of file; keys are [`CACHE_KINDS`].
    pub cache_control: std::collections::BTreeMap<String, String>,
}

/// The kinds `[deploy.cache_control]` accepts.
pub const CACHE_KINDS: [&str; 6] = ["feed", "media", "art", "chapters", "transcripts", "notes"];

/// A deploy target: a bucket (and key prefix) or a local folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `prefix` is empty or ends with `/`.
    S3 {
        bucket: String,
        prefix: String,
    },
    File {
        dir: PathBuf,
    },
}

impl Target {
    pub fn parse(value: &str) -> std::result::Result<Target, String> {
        let url = url::Url::parse(value).map_err(|e| {
            format!("`{value}` is not a URL ({e}); use s3://bucket/prefix/ or file:///dir/")
        })?;
        match url.scheme() {
            "s3" => {
                let bucket = url.host_str().unwrap_or_default().to_string();
                if bucket.is_empty() {
                    return Err(format!("`{value}` names no bucket (s3://bucket/prefix/)"));
                }
                let path = url.path().trim_start_matches('/');
                let prefix = if path.is_empty() {
                    String::new()
                } else {
                    with_trailing_slash(path)
                };
                Ok(Target::S3 { bucket, prefix })
            }
            "file" => url
                .to_file_path()
                .map(|dir| Target::File { dir })
                .map_err(|()| format!("`{value}` is not a local folder (file:///absolute/dir/)")),
            other => Err(format!(
                "`{value}`: unsupported scheme `{other}:` (use s3:// or file://)"
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeploy {
    feed: String,
    media: String,
    endpoint: Option<String>,
    region: Option<String>,
    path_style: Option<bool>,
    jobs: Option<usize>,
    multipart_bytes: Option<u64>,
    #[serde(default)]
    cache_control: std::collections::BTreeMap<String, String>,
}

/// S3's smallest multipart part; below it a single PUT is always cheaper.
const MIN_MULTIPART: u64 = 5 << 20;

fn check_deploy(
    d: RawDeploy,
    errors: &mut Vec<Error>,
    err_at: &dyn Fn(&str, String) -> Error,
) -> std::result::Result<DeployConfig, ()> {
    let before = errors.len();
    let mut target = |key: &str, value: &str| match Target::parse(value) {
        Ok(t) => Some(t),
        Err(why) => {
            errors.push(err_at(key, format!("[deploy] `{key}`: {why}")));
            None
        }
    };
    let feed = target("feed", &d.feed);
    let media = target("media", &d.media);
    if let Some(endpoint) = &d.endpoint
        && let Err(why) = check_http_url(endpoint)
    {
        errors.push(err_at("endpoint", format!("[deploy] `endpoint`: {why}")));
    }
    if d.jobs == Some(0) {
        errors.push(err_at("jobs", "[deploy] `jobs` must be at least 1".into()));
    }
    if d.multipart_bytes.is_some_and(|b| b < 1) {
        errors.push(err_at(
            "multipart_bytes",
            "[deploy] `multipart_bytes` must be positive".into(),
        ));
    }
    for kind in d.cache_control.keys() {
        if !CACHE_KINDS.contains(&kind.as_str()) {
            errors.push(err_at(
                kind,
                format!(
                    "[deploy.cache_control] unknown kind `{kind}` (expected one of: {})",
                    CACHE_KINDS.join(", ")
                ),
            ));
        }
    }
    match (feed, media) {
        (Some(feed), Some(media)) if errors.len() == before => Ok(DeployConfig {
            feed,
            media,
            endpoint: d.endpoint,
            region: d.region,
            path_style: d.path_style.unwrap_or(true),
            jobs: d.jobs.unwrap_or(4),
            multipart_bytes: d.multipart_bytes.unwrap_or(2 * MIN_MULTIPART),
            cache_control: d.cache_control,
        }),
        _ => Err(()),
    }
}

/// `[notify]`, checked: every URL is absolute http(s).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifyConfig {
    /// WebSub hubs: POST `hub.mode=publish`.
    pub hubs: Vec<String>,
    /// Send a podping through the podping.cloud HTTP API (token: `PODPING_TOKEN`).
    pub podping: bool,
    pub podping_url: String,
    /// Ask Podcast Index to re-read the feed (`hub/pubnotify`).
    pub podcastindex: bool,
    pub podcastindex_url: String,
    /// Seconds allowed for each notification.
    pub timeout_secs: u64,
}

pub(super) const PODPING_URL: &str = "https://podping.cloud/";
pub(super) const PODCASTINDEX_URL: &str = "https://api.podcastindex.org/api/1.0/hub/pubnotify";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotify {
    #[serde(default)]
    hubs: Vec<String>,
    #[serde(default)]
    podping: bool,
    podping_url: Option<String>,
    #[serde(default)]
    podcastindex: bool,
    podcastindex_url: Option<String>,
    timeout: Option<u64>,
}

fn check_notify(
    n: RawNotify,
    errors: &mut Vec<Error>,
    err_at: &dyn Fn(&str, String) -> Error,
) -> NotifyConfig {
    for hub in &n.hubs {
        if let Err(why) = check_http_url(hub) {
            errors.push(err_at("hubs", format!("[notify] `hubs`: {why}")));
        }
    }
    for (key, value) in [
        ("podping_url", &n.podping_url),
        ("podcastindex_url", &n.podcastindex_url),
    ] {
        if let Some(url) = value
            && let Err(why) = check_http_url(url)
        {
            errors.push(err_at(key, format!("[notify] `{key}`: {why}")));
        }
    }
    if n.timeout == Some(0) {
        errors.push(err_at(
            "timeout",
            "[notify] `timeout` must be at least 1 second".into(),
        ));
    }
    NotifyConfig {
        hubs: n.hubs,
        podping: n.podping,
        podping_url: n.podping_url.unwrap_or_else(|| PODPING_URL.into()),
        podcastindex: n.podcastindex,
        podcastindex_url: n
            .podcastindex_url
            .unwrap_or_else(|| PODCASTINDEX_URL.into()),
        timeout_secs: n.timeout.unwrap_or(10),
    }
}

/// Files under `episodes/` are published relative to it (`<slug>/audio.mp3`);
/// anything else by its file name.
pub fn public_path(local: &Path) -> String {
    let relative = local
        .strip_prefix(super::EPISODES_DIR)
        .unwrap_or_else(|_| local.file_name().map(Path::new).unwrap_or(local));
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

pub(crate) fn with_trailing_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// An absolute http(s) URL, as podcast apps require.
pub(crate) fn check_http_url(value: &str) -> std::result::Result<(), String> {
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        Ok(u) => Err(format!(
            "`{value}` must be an http(s) URL, not {}:",
            u.scheme()
        )),
        Err(e) => Err(format!("`{value}` is not an absolute URL ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths_are_relative_to_episodes() {
        assert_eq!(public_path(Path::new("episodes/cover.jpg")), "cover.jpg");
        assert_eq!(public_path(Path::new("episodes/a/b.mp3")), "a/b.mp3");
        assert_eq!(public_path(Path::new("art/cover.png")), "cover.png");
    }

    #[test]
    fn deploy_targets_are_s3_or_file_urls() {
        assert_eq!(
            Target::parse("s3://shows/podcast"),
            Ok(Target::S3 {
                bucket: "shows".into(),
                prefix: "podcast/".into()
            })
        );
        assert_eq!(
            Target::parse("s3://shows"),
            Ok(Target::S3 {
                bucket: "shows".into(),
                prefix: String::new()
            })
        );
        assert_eq!(
            Target::parse("file:///srv/www/"),
            Ok(Target::File {
                dir: PathBuf::from("/srv/www/")
            })
        );
        assert!(Target::parse("https://x.org/").is_err());
        assert!(Target::parse("s3:///prefix/").is_err());
        assert!(Target::parse("bucket/prefix").is_err());
    }

    const SHOW: &str = "[show]\ntitle = \"T\"\ndescription = \"D\"\nlink = \"https://x.org/\"\nfeed_url = \"https://x.org/p/feed.xml\"\nlanguage = \"en\"\nauthor = \"A\"\nowner = { name = \"O\", email = \"o@x.org\" }\nimage = \"episodes/cover.jpg\"\ncategories = [\"Technology\"]\nmedia_base_url = \"https://m.x.org/\"\n";

    fn messages(text: &str) -> String {
        match parse(
            text,
            Path::new("mspod.toml"),
            Path::new(env!("CARGO_MANIFEST_DIR")),
            Path::new(env!("CARGO_MANIFEST_DIR")),
        ) {
            Ok(_) => String::new(),
            Err(e) => e
                .flatten()
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    #[test]
    fn deploy_and_notify_tables_are_checked_with_their_lines() {
        let ok = format!(
            "{SHOW}[deploy]\nfeed = \"s3://b/p/\"\nmedia = \"file:///srv/m/\"\n[deploy.cache_control]\nfeed = \"max-age=60\"\n[notify]\nhubs = [\"https://hub.example/\"]\npodping = true\n"
        );
        let config = parse(
            &ok,
            Path::new("mspod.toml"),
            Path::new(env!("CARGO_MANIFEST_DIR")),
            Path::new(env!("CARGO_MANIFEST_DIR")),
        );
        let config = config.map_err(|e| e.to_string());
        assert!(config.is_ok(), "{config:?}");
        if let Ok(c) = config {
            let d = c.deploy.unwrap_or_else(|| panic!("a [deploy] table"));
            assert_eq!(
                d.cache_control.get("feed").map(String::as_str),
                Some("max-age=60")
            );
            assert!(d.path_style);
            assert_eq!(c.show.hubs, ["https://hub.example/"]);
            assert!(c.show.podping && !c.notify.podcastindex);
        }

        let bad = format!(
            "{SHOW}[deploy]\nfeed = \"s3://b/\"\nmedia = \"s3://m/\"\njobs = 0\n[deploy.cache_control]\naudio = \"x\"\n[notify]\nhubs = [\"hub.example\"]\n"
        );
        let m = messages(&bad);
        assert!(
            m.contains("mspod.toml:15: [deploy] `jobs` must be at least 1"),
            "{m}"
        );
        assert!(
            m.contains("[deploy.cache_control] unknown kind `audio`"),
            "{m}"
        );
        assert!(
            m.contains("[notify] `hubs`: `hub.example` is not an absolute URL"),
            "{m}"
        );
        let keys = messages(&format!(
            "{SHOW}[deploy]\nfeed = \"s3://b/\"\nmedia = \"s3://m/\"\naccess_key = \"AKIA\"\n"
        ));
        assert!(
            keys.contains("unknown field `access_key`"),
            "credentials are never read from mspod.toml: {keys}"
        );
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(check_http_url("https://example.org/x").is_ok());
        assert!(check_http_url("ftp://example.org/x").is_err());
        assert!(check_http_url("/feed.xml").is_err());
    }
}
