//! `--links`: every link a listener can click in the published notes resolves, and
//! every `#fragment` names an element on the page it points to (link rot in reference
//! lists, section links into articles that were re-edited, made-up anchors).
//!
//! What is read: each item's `<description>` and `<content:encoded>`, its show-notes
//! page (the `…/show-notes.html` link of the item) and its `<podcast:chapters>` file
//! (chapter `url`s). When the feed is a local file, pages and files under the same
//! public folder are read from beside it (`feeds/<slug>/show-notes.html`), so a
//! freshly published show is checked before it is deployed; anything else is fetched.
//!
//! Each distinct URL (fragment removed) is requested once: HEAD, or GET when a fragment
//! must be looked up or HEAD is refused. Requests share one client without automatic
//! redirects (followed by hand, at most 10), run on a few workers with at most
//! [`PER_HOST`] in flight per host (politeness: a reference list often links one
//! site many times), each within `--timeout` (body included) and all within `--budget`.

use super::common::item_label;
use super::diag::{Diagnostic, Diags};
use super::xml::{self, Completed, Node, Ns};
use crate::http::redirect::{Net, client, follow};
use crate::http::{Deadline, read_body};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Requests in flight to one host at once.
pub const PER_HOST: usize = 2;
/// Pages larger than this are not searched for fragments (a notes page is ~50 KB).
const MAX_PAGE_BYTES: u64 = 5 * 1024 * 1024;

/// Limits for the link checks.
#[derive(Debug, Clone)]
pub struct Options {
    /// Per request, body included.
    pub timeout: Duration,
    /// For all requests of one feed.
    pub budget: Duration,
    /// Requests in flight at once (all hosts).
    pub concurrency: usize,
}

/// Where a link was found: the page (for messages) and the feed position to report at.
#[derive(Debug, Clone)]
struct Place {
    page: String,
    /// On a page or file the feed points to (not in the feed itself).
    in_page: bool,
    line: usize,
    column: usize,
    item: Option<String>,
}

/// One link as written: its URL without the fragment, and the fragment (decoded).
#[derive(Debug, Clone)]
struct Link {
    url: String,
    fragment: Option<String>,
    place: Place,
}

/// The outcome of requesting one URL (or reading its local copy).
#[derive(Debug, Clone)]
enum Outcome {
    /// Reachable; the ids and `<a name>`s when the body was read and is HTML.
    Ok {
        anchors: Option<BTreeSet<String>>,
        body: Option<Vec<u8>>,
    },
    /// Not reachable: why (status or transport error).
    Broken(String),
    /// Not checked: the budget ran out.
    Skipped,
}

/// What one feed item publishes for us to read.
struct ItemPages {
    place: Place,
    notes: Option<String>,
    chapters: Option<String>,
    links: Vec<Link>,
}

/// Runs the link checks for a feed read from `source` (a path, `-` or a URL).
/// Returns the diagnostics and notes for the user (e.g. checks skipped by the budget).
pub fn check_links(
    bytes: &[u8],
    source: &str,
    options: &Options,
) -> (Vec<Diagnostic>, Vec<String>) {
    let items = collect(bytes, source);
    let local = LocalSite::new(source, &items);
    let checker = match Checker::new(options) {
        Ok(c) => c,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let mut links: Vec<Link> = Vec::new();
    // The pages themselves first: their links are what most of the checks are about.
    let mut wanted: Vec<(String, bool)> = Vec::new();
    for it in &items {
        links.extend(it.links.iter().cloned());
        for url in it.notes.iter().chain(&it.chapters) {
            wanted.push((url.clone(), true));
        }
    }
    let mut results = checker.run(&local, wanted);
    for it in &items {
        if let Some(url) = &it.notes {
            let page = local.label(url);
            if let Some(Outcome::Ok { body: Some(b), .. }) = results.get(url) {
                links.extend(page_links(b, url, &page, &it.place));
            }
            links.push(Link {
                url: url.clone(),
                fragment: None,
                place: it.place.clone(),
            });
        }
        if let Some(url) = &it.chapters {
            let page = local.label(url);
            if let Some(Outcome::Ok { body: Some(b), .. }) = results.get(url) {
                links.extend(chapter_links(b, url, &page, &it.place));
            }
            links.push(Link {
                url: url.clone(),
                fragment: None,
                place: it.place.clone(),
            });
        }
    }
    // Then every other distinct URL, once; a fragment anywhere means its body is needed.
    let mut need_body: BTreeMap<String, bool> = BTreeMap::new();
    for l in &links {
        if !results.contains_key(&l.url) {
            *need_body.entry(l.url.clone()).or_default() |= needs_anchors(&l.fragment);
        }
    }
    results.extend(checker.run(&local, need_body.into_iter().collect()));

    let mut diags = Diags::new();
    let mut reported = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    for l in &links {
        let Some(outcome) = results.get(&l.url) else {
            continue;
        };
        let shown = match &l.fragment {
            Some(f) => format!("{}#{f}", l.url),
            None => l.url.clone(),
        };
        // One diagnostic per problem and page, however often the page repeats the link
        // (a broken URL once, whatever fragments point into it).
        let key = match outcome {
            Outcome::Broken(_) => l.url.clone(),
            _ => shown.clone(),
        };
        if !reported.insert((key, l.place.page.clone())) {
            continue;
        }
        diags.item = l.place.item.clone();
        diags.page = l.place.in_page.then(|| l.place.page.clone());
        match outcome {
            Outcome::Broken(why) => diags.push_at(
                "links/broken",
                l.place.line,
                l.place.column,
                format!("{} (on {}): {why}", l.url, l.place.page),
            ),
            Outcome::Ok {
                anchors: Some(anchors),
                ..
            } => {
                if let Some(f) = &l.fragment
                    && needs_anchors(&l.fragment)
                    && !anchors.contains(f)
                {
                    diags.push_at(
                        "links/fragment",
                        l.place.line,
                        l.place.column,
                        format!(
                            "{shown} (on {}): the page has no element with id or name {f:?}; the link lands at the top of the page",
                            l.place.page
                        ),
                    );
                }
            }
            Outcome::Ok { anchors: None, .. } => {}
            Outcome::Skipped => {
                skipped.insert(l.url.clone());
            }
        }
    }
    let mut notes = Vec::new();
    if !skipped.is_empty() {
        notes.push(format!(
            "the --budget ran out: {} link(s) not checked",
            skipped.len()
        ));
    }
    (diags.finish(), notes)
}

/// A fragment that must exist on the page: not empty, not `top` (HTML scrolls to the
/// top for those), not a text fragment (`:~:text=`, matched against words, not ids),
/// not a media or PDF fragment (`t=15`, `xywh=…`, `page=2`: the audio links that seek).
fn needs_anchors(fragment: &Option<String>) -> bool {
    const NOT_IDS: [&str; 6] = [":~:", "t=", "xywh=", "track=", "id=", "page="];
    fragment.as_deref().is_some_and(|f| {
        !f.is_empty() && !f.eq_ignore_ascii_case("top") && !NOT_IDS.iter().any(|p| f.starts_with(p))
    })
}

/// Splits an absolute http(s) URL into (URL without fragment, decoded fragment).
fn split(raw: &str, base: Option<&url::Url>) -> Option<(String, Option<String>)> {
    let raw = raw.trim();
    let parsed = match base {
        Some(b) => b.join(raw).ok()?,
        None => url::Url::parse(raw).ok()?,
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let fragment = parsed.fragment().map(percent_decode);
    let mut bare = parsed;
    bare.set_fragment(None);
    Some((bare.to_string(), fragment))
}

/// `%XX` sequences decoded as UTF-8 (fragments are compared with ids as text).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The items' notes pages, chapters files and the links in their descriptions.
fn collect(bytes: &[u8], source: &str) -> Vec<ItemPages> {
    let mut items = Vec::new();
    let mut sink = Diags::new();
    xml::walk(bytes, &mut sink, |done, _| {
        let Completed::Item(item) = done else { return };
        let label = item_label(&item);
        let place = Place {
            page: format!(
                "{source}, item {}",
                label.as_deref().unwrap_or("without guid or title")
            ),
            in_page: false,
            line: item.line,
            column: item.column,
            item: label,
        };
        let mut links = Vec::new();
        let mut notes = None;
        for n in [
            item.child(Ns::None, "description"),
            item.child(Ns::Content, "encoded"),
        ]
        .into_iter()
        .flatten()
        {
            let at = Place {
                line: n.line,
                column: n.column,
                ..place.clone()
            };
            for l in html_links(&n.text, None, &at) {
                if notes.is_none() && l.url.ends_with("/show-notes.html") {
                    notes = Some(l.url.clone());
                }
                links.push(l);
            }
        }
        let chapters = item
            .children_named(Ns::Podcast, "chapters")
            .find_map(|c: &Node| c.attr("url"))
            .and_then(|u| split(u, None))
            .map(|(u, _)| u);
        items.push(ItemPages {
            place,
            notes,
            chapters,
            links,
        });
    });
    items
}

/// The http(s) links (`<a href>`, `<area href>`) of an HTML document or fragment,
/// relative ones resolved against `base`.
fn html_links(html: &str, base: Option<&url::Url>, place: &Place) -> Vec<Link> {
    let doc = scraper::Html::parse_document(html);
    let Ok(sel) = scraper::Selector::parse("a[href], area[href]") else {
        return Vec::new();
    };
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| split(href, base))
        .map(|(url, fragment)| Link {
            url,
            fragment,
            place: place.clone(),
        })
        .collect()
}

/// The links on a notes page (fragment-only links point into the page itself).
fn page_links(body: &[u8], url: &str, page: &str, item: &Place) -> Vec<Link> {
    let base = url::Url::parse(url).ok();
    let place = Place {
        page: page.to_string(),
        in_page: true,
        ..item.clone()
    };
    html_links(&String::from_utf8_lossy(body), base.as_ref(), &place)
}

/// The `url` of each chapter in a JSON chapters file (relative ones against the file's URL).
fn chapter_links(body: &[u8], url: &str, page: &str, item: &Place) -> Vec<Link> {
    let base = url::Url::parse(url).ok();
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let place = Place {
        page: page.to_string(),
        in_page: true,
        ..item.clone()
    };
    doc.get("chapters")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("url")?.as_str())
        .filter_map(|u| split(u, base.as_ref()))
        .map(|(url, fragment)| Link {
            url,
            fragment,
            place: place.clone(),
        })
        .collect()
}

/// The ids of all elements and the names of `<a>` elements: what a fragment can name.
fn anchors(html: &[u8]) -> BTreeSet<String> {
    let doc = scraper::Html::parse_document(&String::from_utf8_lossy(html));
    let mut out = BTreeSet::new();
    if let Ok(sel) = scraper::Selector::parse("[id], a[name]") {
        for e in doc.select(&sel) {
            let v = e.value();
            out.extend(v.attr("id").map(str::to_string));
            if v.name() == "a" {
                out.extend(v.attr("name").map(str::to_string));
            }
        }
    }
    out
}

/// The public folder a local feed was published to: URLs under `base` are the files
/// under `dir` (so `publish` output is checked before it is deployed).
struct LocalSite {
    map: Option<(String, PathBuf)>,
}

impl LocalSite {
    /// From the first notes URL whose page exists beside a local feed:
    /// `<base><slug>/show-notes.html` ↔ `<feed dir>/<slug>/show-notes.html`.
    fn new(source: &str, items: &[ItemPages]) -> LocalSite {
        let local =
            !(source == "-" || source.starts_with("http://") || source.starts_with("https://"));
        let dir = Path::new(source)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let map = local
            .then(|| {
                items
                    .iter()
                    .filter_map(|i| i.notes.as_deref())
                    .find_map(|url| {
                        let rest = url.strip_suffix("/show-notes.html")?;
                        let (base, slug) = rest.rsplit_once('/')?;
                        let candidate = dir.join(slug).join("show-notes.html");
                        candidate
                            .is_file()
                            .then(|| (format!("{base}/"), dir.clone()))
                    })
            })
            .flatten();
        LocalSite { map }
    }

    /// The local file for a URL, when it is under the published folder and exists.
    /// Only plain path segments: never `..`, so nothing outside the folder is read.
    fn path(&self, url: &str) -> Option<PathBuf> {
        let (base, dir) = self.map.as_ref()?;
        let rest = url.strip_prefix(base.as_str())?;
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        let mut path = dir.clone();
        for seg in rest.split('/').filter(|s| !s.is_empty()) {
            let seg = percent_decode(seg);
            if seg == "." || seg == ".." || seg.contains(['/', '\\']) {
                return None;
            }
            path.push(seg);
        }
        if rest.is_empty() || rest.ends_with('/') {
            path.push("index.html");
        }
        path.is_file().then_some(path)
    }

    /// How a page is named in messages: its local path when read from disk.
    fn label(&self, url: &str) -> String {
        self.path(url)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| url.to_string())
    }
}

/// Fetches URLs on a few workers, at most [`PER_HOST`] per host at once.
struct Checker<'a> {
    client: reqwest::blocking::Client,
    options: &'a Options,
    budget: Deadline,
    /// Hosts that could not be reached (DNS, refused, timed out), with why: their other
    /// URLs are not requested, so one dead site costs one timeout, not one per link.
    dead: Mutex<BTreeMap<String, String>>,
}

impl<'a> Checker<'a> {
    fn new(options: &'a Options) -> Result<Checker<'a>, String> {
        Ok(Checker {
            client: client(options.timeout)?,
            options,
            budget: Deadline::after(options.budget),
            dead: Mutex::new(BTreeMap::new()),
        })
    }

    /// The outcome for each `(url, body needed)`; local files are read, not fetched.
    fn run(&self, local: &LocalSite, wanted: Vec<(String, bool)>) -> BTreeMap<String, Outcome> {
        let mut results = BTreeMap::new();
        let mut queue = VecDeque::new();
        for (url, body) in wanted {
            if results.contains_key(&url) {
                continue;
            }
            if let Some(path) = local.path(&url) {
                let outcome = match std::fs::read(&path) {
                    Ok(b) => Outcome::Ok {
                        anchors: Some(anchors(&b)).filter(|_| is_html_path(&path)),
                        body: Some(b),
                    },
                    Err(e) => Outcome::Broken(format!("cannot read {}: {e}", path.display())),
                };
                results.insert(url, outcome);
            } else if !queue.iter().any(|(u, _)| u == &url) {
                queue.push_back((url, body));
            }
        }
        struct State {
            queue: VecDeque<(String, bool)>,
            busy: BTreeMap<String, usize>,
        }
        let state = Mutex::new(State {
            queue,
            busy: BTreeMap::new(),
        });
        let freed = Condvar::new();
        let done = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..self.options.concurrency.max(1) {
                scope.spawn(|| {
                    loop {
                        // Take the first URL whose host has room; wait while all are busy.
                        let (url, body, host) = {
                            let Ok(mut s) = state.lock() else { return };
                            loop {
                                if s.queue.is_empty() {
                                    return;
                                }
                                let pick = s.queue.iter().position(|(u, _)| {
                                    s.busy.get(&host_of(u)).copied().unwrap_or(0) < PER_HOST
                                });
                                if let Some(i) = pick
                                    && let Some((u, b)) = s.queue.remove(i)
                                {
                                    let h = host_of(&u);
                                    *s.busy.entry(h.clone()).or_default() += 1;
                                    break (u, b, h);
                                }
                                s = match freed.wait(s) {
                                    Ok(s) => s,
                                    Err(_) => return,
                                };
                            }
                        };
                        let dead = self.dead.lock().ok().and_then(|d| d.get(&host).cloned());
                        let outcome = if self.budget.passed() {
                            Outcome::Skipped
                        } else if let Some(why) = dead {
                            Outcome::Broken(format!(
                                "not requested: the host did not answer an earlier request ({why})"
                            ))
                        } else {
                            let outcome = self.fetch(&url, body);
                            if let Outcome::Broken(why) = &outcome
                                && (why.starts_with("could not connect")
                                    || why.starts_with("timed out"))
                                && let Ok(mut d) = self.dead.lock()
                            {
                                d.entry(host.clone()).or_insert_with(|| why.clone());
                            }
                            outcome
                        };
                        if let Ok(mut d) = done.lock() {
                            d.push((url, outcome));
                        }
                        if let Ok(mut s) = state.lock()
                            && let Some(n) = s.busy.get_mut(&host)
                        {
                            *n = n.saturating_sub(1);
                        }
                        freed.notify_all();
                    }
                });
            }
        });
        results.extend(done.into_inner().unwrap_or_default());
        results
    }

    /// HEAD (or GET when the body is needed, or HEAD is refused), redirects followed.
    fn fetch(&self, url: &str, want_body: bool) -> Outcome {
        let net = Net {
            client: &self.client,
            deadline: Deadline::after(self.options.timeout).min(self.budget),
        };
        if !want_body {
            match follow(&net, reqwest::Method::HEAD, url, None) {
                Ok(f) if f.response.status().is_success() => {
                    return Outcome::Ok {
                        anchors: None,
                        body: None,
                    };
                }
                // Gone is gone; other refusals of HEAD get a GET before a verdict.
                Ok(f) if matches!(f.response.status().as_u16(), 404 | 410) => {
                    return Outcome::Broken(status_text(&f.response, &f.chain));
                }
                // No answer at all: a GET would not get one either.
                Err(why)
                    if why.starts_with("could not connect") || why.starts_with("timed out") =>
                {
                    return Outcome::Broken(why);
                }
                Ok(_) | Err(_) => {}
            }
        }
        let f = match follow(&net, reqwest::Method::GET, url, None) {
            Ok(f) => f,
            Err(why) => return Outcome::Broken(why),
        };
        if !f.response.status().is_success() {
            return Outcome::Broken(status_text(&f.response, &f.chain));
        }
        if !want_body {
            return Outcome::Ok {
                anchors: None,
                body: None,
            };
        }
        let ctype = f
            .response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let html = ctype.as_deref().is_none_or(|t| t.contains("html"));
        // Audio, images and the like have no ids to look for: reachable is enough, and
        // their bodies are not worth downloading. (Notes pages are HTML, chapters JSON.)
        if !html && !ctype.as_deref().is_some_and(|t| t.contains("json")) {
            return Outcome::Ok {
                anchors: None,
                body: None,
            };
        }
        match read_body(f.response, MAX_PAGE_BYTES, net.deadline) {
            Ok(b) => Outcome::Ok {
                anchors: html.then(|| anchors(&b)),
                body: Some(b),
            },
            // A page too large to search is still reachable: its fragments go unchecked.
            Err(crate::http::BodyError::TooLarge(_)) => Outcome::Ok {
                anchors: None,
                body: None,
            },
            Err(e) => Outcome::Broken(e.to_string()),
        }
    }
}

/// `HTTP 404 Not Found`, with the redirect chain when there was one.
fn status_text(r: &reqwest::blocking::Response, chain: &[String]) -> String {
    let mut s = format!("HTTP {}", r.status());
    if chain.len() > 1 {
        s.push_str(&format!(" (after redirects: {})", chain.join(" → ")));
    }
    s
}

fn is_html_path(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// `host:port` of a URL (the politeness key).
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .map(|u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_split_off_and_decoded() {
        assert_eq!(
            split("https://a.example/p?q=1#caf%C3%A9", None),
            Some(("https://a.example/p?q=1".into(), Some("café".into())))
        );
        let base = url::Url::parse("https://a.example/show/ep/show-notes.html").ok();
        assert_eq!(
            split("#faq", base.as_ref()),
            Some((
                "https://a.example/show/ep/show-notes.html".into(),
                Some("faq".into())
            ))
        );
        assert_eq!(split("tel:988", None), None);
        assert_eq!(split("mailto:a@b.example", None), None);
    }

    #[test]
    fn anchors_are_ids_and_a_names_only() {
        let found = anchors(b"<h2 id=\"one\">x</h2><a name=\"two\"></a><input name=\"three\">");
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            vec!["one".to_string(), "two".to_string()]
        );
    }

    #[test]
    fn local_pages_stay_inside_the_published_folder() {
        let tmp = tempfile::tempdir().expect("tmp");
        let feeds = tmp.path().join("feeds");
        std::fs::create_dir_all(feeds.join("ep")).expect("mkdir");
        std::fs::write(feeds.join("ep/show-notes.html"), "x").expect("write");
        std::fs::write(feeds.join("index.html"), "x").expect("write");
        std::fs::write(tmp.path().join("secret.html"), "x").expect("write");
        let site = LocalSite {
            map: Some(("https://pub.example/pod/".into(), feeds.clone())),
        };
        assert_eq!(
            site.path("https://pub.example/pod/ep/show-notes.html#faq"),
            Some(feeds.join("ep/show-notes.html"))
        );
        assert_eq!(
            site.path("https://pub.example/pod/"),
            Some(feeds.join("index.html"))
        );
        assert_eq!(
            site.path("https://pub.example/pod/%2e%2e/secret.html"),
            None
        );
        assert_eq!(site.path("https://pub.example/pod/ep/missing.html"), None);
        assert_eq!(
            site.path("https://other.example/pod/ep/show-notes.html"),
            None
        );
    }

    #[test]
    fn top_empty_and_text_fragments_need_no_anchor() {
        for f in ["", "top", "TOP", ":~:text=panic", "t=15.4"] {
            assert!(!needs_anchors(&Some(f.into())), "{f}");
        }
        assert!(needs_anchors(&Some("faq".into())));
        assert!(!needs_anchors(&None));
    }
}
