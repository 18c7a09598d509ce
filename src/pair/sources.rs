//! `--articles URL`: articles from where they live — a WordPress site (REST
//! API `/wp-json/wp/v2/posts`, paginated), an RSS or Atom feed of the blog, or
//! a `sitemap.xml` (and sitemap index).
//!
//! What the URL is, is found from its answer: JSON from the REST API, a feed
//! or sitemap by its root element, an HTML home page by its
//! `<link rel="https://api.w.org/">` (WordPress) or its feed link. Pages are
//! saved in `.mspod/articles/` and a saved page is not downloaded again, so a
//! second run, or `--offline`, needs no network; WordPress posts come whole
//! from the API (title, date, link, content) and are saved as small HTML
//! pages the article stage reads like any other. Requests go one at a time
//! (polite to small sites) through the shared client's timeouts and size cap.

use super::download;
use super::inputs::article_slug;
use crate::http::retry::Http;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::path::{Path, PathBuf};

/// Posts per WordPress page (the API's maximum).
const PER_PAGE: usize = 100;
/// At most this many API pages or sitemaps are read (a runaway guard).
const MAX_PAGES: usize = 200;

/// What a URL turned out to be.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    WordPress(String),
    Links(Vec<String>),
}

/// Downloads (or reuses) the articles behind `url` into `dir`; returns their files, sorted.
pub(crate) fn articles(
    http: Option<&Http>,
    url: &str,
    dir: &Path,
    warn: &dyn Fn(String),
) -> Result<Vec<PathBuf>, String> {
    let Some(http) = http else {
        return saved(dir, url);
    };
    let kind = match identify(http, url) {
        Ok(k) => k,
        Err(why) => {
            let files = saved(dir, url)?;
            warn(format!(
                "{url}: {why}; using the {} article(s) saved in {}",
                files.len(),
                dir.display()
            ));
            return Ok(files);
        }
    };
    let mut out = match kind {
        Kind::WordPress(posts) => wordpress(http, &posts, dir)?,
        Kind::Links(links) => {
            let mut files = Vec::new();
            for link in links {
                let stem = article_slug(Some(&link), Path::new("article"));
                if let Some(p) = saved_page(dir, &stem) {
                    files.push(p);
                    continue;
                }
                match download::fetch(http, &link) {
                    Ok(page) => files.push(download::save(&page, dir, &stem)?),
                    Err(why) => warn(format!("{link}: {why}; skipped")),
                }
            }
            files
        }
    };
    out.sort();
    out.dedup();
    Ok(out)
}

/// The pages saved by an earlier run, for `--offline` and failed fetches.
fn saved(dir: &Path, url: &str) -> Result<Vec<PathBuf>, String> {
    let files = super::inputs::files_in(dir, super::inputs::ARTICLE_EXTENSIONS).unwrap_or_default();
    if files.is_empty() {
        return Err(format!(
            "{url}: not fetched (offline or failed) and no articles saved in {}",
            dir.display()
        ));
    }
    Ok(files)
}

fn saved_page(dir: &Path, stem: &str) -> Option<PathBuf> {
    ["html", "md"]
        .iter()
        .map(|e| dir.join(format!("{stem}.{e}")))
        .find(|p| p.is_file())
}

/// Finds out what the URL serves.
fn identify(http: &Http, url: &str) -> Result<Kind, String> {
    if url.contains("/wp-json/") {
        return Ok(Kind::WordPress(posts_endpoint(url)));
    }
    let r = http.get(url)?;
    if r.status != 200 {
        return Err(format!("HTTP {}", r.status));
    }
    let text = r.text();
    let ct = r.content_type.as_deref().unwrap_or("");
    if ct.contains("json") {
        return Err("JSON that is not the WordPress REST API (expected a /wp-json/ URL)".into());
    }
    let trimmed = text.trim_start();
    if ct.contains("xml") || trimmed.starts_with("<?xml") || trimmed.starts_with("<rss") {
        return xml_links(http, &text, 0).map(Kind::Links);
    }
    if ct.contains("html") {
        if let Some(api) = link_href(&text, "https://api.w.org/") {
            return Ok(Kind::WordPress(posts_endpoint(&resolve(
                &r.final_url,
                &api,
            ))));
        }
        if let Some(feed) = feed_link(&text) {
            let feed = resolve(&r.final_url, &feed);
            let f = http.get(&feed)?;
            if f.status != 200 {
                return Err(format!("{feed}: HTTP {}", f.status));
            }
            return xml_links(http, &f.text(), 0).map(Kind::Links);
        }
        return Err("an HTML page that names no WordPress API and no feed".into());
    }
    Err(format!(
        "expected a WordPress site, a feed or a sitemap, got {}",
        if ct.is_empty() { "no content type" } else { ct }
    ))
}

/// `https://site/wp-json/` (or any URL under it) → `https://site/wp-json/wp/v2/posts`.
fn posts_endpoint(url: &str) -> String {
    match url.find("/wp-json") {
        Some(i) => format!("{}/wp-json/wp/v2/posts", &url[..i]),
        None => format!("{}/wp/v2/posts", url.trim_end_matches('/')),
    }
}

fn resolve(base: &str, href: &str) -> String {
    url::Url::parse(base)
        .and_then(|b| b.join(href))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| href.to_string())
}

/// The `href` of `<link rel="REL" href="…">` in an HTML head.
fn link_href(html: &str, rel: &str) -> Option<String> {
    html.split("<link").skip(1).find_map(|tag| {
        let tag = tag.split('>').next()?;
        (attr(tag, "rel")? == rel)
            .then(|| attr(tag, "href"))
            .flatten()
    })
}

/// The blog's feed: `<link rel="alternate" type="application/rss+xml|atom+xml" href>`.
fn feed_link(html: &str) -> Option<String> {
    html.split("<link").skip(1).find_map(|tag| {
        let tag = tag.split('>').next()?;
        let t = attr(tag, "type")?;
        (attr(tag, "rel")? == "alternate" && (t.contains("rss") || t.contains("atom")))
            .then(|| attr(tag, "href"))
            .flatten()
    })
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        rest[1..].split(quote).next().map(str::to_string)
    } else {
        rest.split([' ', '/', '>']).next().map(str::to_string)
    }
}

/// Article links in a sitemap (child sitemaps followed), RSS feed or Atom feed.
fn xml_links(http: &Http, xml: &str, depth: usize) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut root: Option<String> = None;
    let mut path: Vec<String> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        let position = reader.buffer_position();
        match reader.read_event() {
            Err(e) => return Err(format!("not well-formed XML (byte {position}): {e}")),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_string();
                root.get_or_insert_with(|| name.clone());
                path.push(name);
                text.clear();
            }
            Ok(Event::Empty(e)) => {
                let name = e.local_name().as_ref().to_string();
                // Atom: <entry><link rel="alternate" href="…"/>.
                if name == "link" && path.last().map(String::as_str) == Some("entry") {
                    let rel = e
                        .try_get_attribute("rel")
                        .ok()
                        .flatten()
                        .map(|a| a.value.to_string());
                    if rel.as_deref().is_none_or(|r| r == "alternate")
                        && let Ok(Some(href)) = e.try_get_attribute("href")
                    {
                        links.push(href.value.to_string());
                    }
                }
            }
            Ok(Event::Text(t)) => text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let name = r.into_inner();
                if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                    text.push_str(s);
                }
            }
            Ok(Event::CData(t)) => text.push_str(&t.into_inner()),
            Ok(Event::End(_)) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str);
                let value = text.trim().to_string();
                match (name.as_str(), parent) {
                    ("loc", Some("url")) => links.push(value),
                    ("loc", Some("sitemap")) => {
                        if depth > 0 || links.len() >= MAX_PAGES {
                            continue;
                        }
                        let r = http.get(&value)?;
                        if r.status != 200 {
                            return Err(format!("{value}: HTTP {}", r.status));
                        }
                        links.extend(xml_links(http, &r.text(), depth + 1)?);
                    }
                    ("link", Some("item")) => links.push(value),
                    _ => {}
                }
                text.clear();
            }
            Ok(_) => {}
        }
    }
    match root.as_deref() {
        Some("urlset" | "sitemapindex") => {
            Ok(links.into_iter().filter(|l| is_article_url(l)).collect())
        }
        Some("rss" | "feed" | "RDF") => Ok(links),
        Some(other) => Err(format!("<{other}> is not a sitemap or a feed")),
        None => Err("empty XML document".into()),
    }
}

/// Sitemaps list every page; archive, tag and author pages are not articles.
fn is_article_url(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    let segments: Vec<&str> = u
        .path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).collect())
        .unwrap_or_default();
    !segments.is_empty()
        && !segments.iter().any(|s| {
            matches!(
                *s,
                "tag" | "category" | "author" | "page" | "feed" | "wp-content"
            )
        })
}

/// Reads every page of `/wp-json/wp/v2/posts` and saves each post as a small HTML page.
fn wordpress(http: &Http, endpoint: &str, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for page in 1..=MAX_PAGES {
        let url = format!("{endpoint}?per_page={PER_PAGE}&page={page}&orderby=date&order=asc");
        let r = http.get(&url)?;
        // Past the last page WordPress answers 400 (rest_post_invalid_page_number); some proxies 404.
        if page > 1 && matches!(r.status, 400 | 404) {
            break;
        }
        if r.status != 200 {
            return Err(format!("{url}: HTTP {}", r.status));
        }
        let posts: Vec<serde_json::Value> = serde_json::from_slice(&r.body)
            .map_err(|e| format!("{url}: not a list of WordPress posts ({e})"))?;
        for post in &posts {
            files.push(save_post(post, dir).map_err(|why| format!("{url}: {why}"))?);
        }
        if posts.len() < PER_PAGE {
            break;
        }
    }
    Ok(files)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One REST post → `<slug>.html` with its canonical link, date, title and content.
fn save_post(post: &serde_json::Value, dir: &Path) -> Result<PathBuf, String> {
    let s = |path: &[&str]| {
        path.iter()
            .try_fold(post, |v, k| v.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let link = s(&["link"]);
    let title = s(&["title", "rendered"]);
    let content = s(&["content", "rendered"]);
    if link.is_empty() || title.is_empty() {
        return Err(format!(
            "post {} has no link or title",
            post.get("id").map(|v| v.to_string()).unwrap_or_default()
        ));
    }
    // `date_gmt` has no offset; it is UTC.
    let date = match s(&["date_gmt"]) {
        d if d.is_empty() => s(&["date"]),
        d => format!("{d}Z"),
    };
    let slug = match s(&["slug"]) {
        x if x.is_empty() => article_slug(Some(&link), Path::new("post")),
        x => x,
    };
    let html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n<title>{t}</title>\n<link rel=\"canonical\" href=\"{l}\">\n<meta property=\"og:title\" content=\"{t}\">\n<meta property=\"article:published_time\" content=\"{d}\">\n</head><body><article><h1>{title}</h1>\n{content}\n</article></body></html>\n",
        t = esc(&title),
        l = esc(&link),
        d = esc(&date),
    );
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("{}.html", super::normalize::slugify(&slug)));
    std::fs::write(&path, html).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_and_feed_links_are_found_in_a_home_page() {
        let html = r#"<head><link rel='https://api.w.org/' href='https://blog.example/wp-json/' />
<link rel="alternate" type="application/rss+xml" title="Feed" href="https://blog.example/feed/"></head>"#;
        assert_eq!(
            link_href(html, "https://api.w.org/").as_deref(),
            Some("https://blog.example/wp-json/")
        );
        assert_eq!(
            feed_link(html).as_deref(),
            Some("https://blog.example/feed/")
        );
        assert_eq!(
            posts_endpoint("https://blog.example/wp-json/"),
            "https://blog.example/wp-json/wp/v2/posts"
        );
        assert_eq!(
            posts_endpoint("https://b.example/x/wp-json/wp/v2/posts?per_page=5"),
            "https://b.example/x/wp-json/wp/v2/posts"
        );
    }

    #[test]
    fn sitemaps_keep_article_pages_only() {
        assert!(is_article_url(
            "https://b.example/blog/grief-at-the-holidays/"
        ));
        assert!(!is_article_url("https://b.example/"));
        assert!(!is_article_url("https://b.example/tag/grief/"));
        assert!(!is_article_url("https://b.example/category/news/"));
    }
}
