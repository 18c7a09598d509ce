//! `index.html`: the show page at the folder the feed is served from — cover,
//! description, where to subscribe, hosts, and every episode newest first.
//! With `[feed] max_items` it is paged like the feed (`index-2.html`, …).

use super::blocks::{self, escape, link};
use super::layout::{self, INDEX_FILE};
use super::{Output, help};
use crate::load::KNOWN_LINKS;
use crate::model::{Episode, Show};
use std::path::PathBuf;

/// The show page and its further pages.
pub(super) fn pages(show: &Show) -> Vec<Output> {
    let per_page = show.config.max_items.unwrap_or(usize::MAX).max(1);
    let chunks: Vec<&[Episode]> = if show.episodes.is_empty() {
        vec![&[][..]]
    } else {
        show.episodes.chunks(per_page).collect()
    };
    let last = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, eps)| Output {
            path: PathBuf::from(file_name(i + 1)),
            bytes: page(show, eps, i + 1, last).into_bytes(),
        })
        .collect()
}

fn file_name(n: usize) -> String {
    if n == 1 {
        INDEX_FILE.to_string()
    } else {
        format!("index-{n}.html")
    }
}

/// The label of a `[show.links]` key: the app's name, else the key in words.
fn link_label(key: &str) -> String {
    match KNOWN_LINKS.iter().find(|(k, _)| *k == key) {
        Some((_, label)) => label.to_string(),
        None => {
            let words = key.replace(['_', '-'], " ");
            let mut c = words.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

fn page(show: &Show, episodes: &[Episode], n: usize, last: usize) -> String {
    let cfg = &show.config;
    let canonical = if n == 1 {
        show.feeds_base_url.clone()
    } else {
        format!("{}{}", show.feeds_base_url, file_name(n))
    };
    let mut extra = String::new();
    if n > 1 {
        extra.push_str(&format!(
            "<link rel=\"prev\" href=\"{}\">\n",
            escape(&file_name(n - 1))
        ));
    }
    if n < last {
        extra.push_str(&format!(
            "<link rel=\"next\" href=\"{}\">\n",
            escape(&file_name(n + 1))
        ));
    }
    extra.push_str(&format!(
        "<script type=\"application/ld+json\">{}</script>\n",
        json_ld(show)
    ));
    let title = if n == 1 {
        cfg.title.clone()
    } else {
        format!("{} · page {n}", cfg.title)
    };
    let mut h = layout::head(
        show,
        &layout::Head {
            title: title.clone(),
            description: cfg.description.clone(),
            canonical: &canonical,
            og_type: "website",
            audio: None,
            extra,
        },
    );
    h.push_str("<main id=\"content\">\n<header class=\"show\">\n");
    h.push_str(&format!(
        "<img src=\"{}\" alt=\"Cover of {}\" width=\"176\" height=\"176\">\n<div>\n<h1>{}</h1>\n",
        escape(&cfg.image_url),
        escape(&cfg.title),
        escape(&title)
    ));
    let hosts = if cfg.hosts.is_empty() {
        format!("By {}", escape(&cfg.author))
    } else {
        format!("Hosted by {}", escape(&cfg.hosts.join(", ")))
    };
    h.push_str(&format!(
        "<p class=\"meta\">{hosts}</p>\n</div>\n</header>\n"
    ));
    h.push_str(&format!("<p>{}</p>\n", escape(&cfg.description)));
    if let Some(d) = &cfg.disclaimer {
        h.push_str(&format!("<p class=\"disclaimer\">{}</p>\n", escape(d)));
    }
    // The newest episode's help line: a crisis line belongs in the first screen here too.
    if let Some(line) = show.episodes.iter().find_map(help::help_line) {
        h.push_str(&format!(
            "<aside class=\"helpline\" aria-label=\"Get help now\"><p>{}</p></aside>\n",
            help::html(&line)
        ));
    }

    h.push_str("<h2 id=\"subscribe\">Listen and subscribe</h2>\n<ul class=\"subscribe\">\n");
    for (key, url) in &cfg.links {
        h.push_str(&format!("<li>{}</li>\n", link(url, &link_label(key))));
    }
    h.push_str(&format!(
        "<li>{}</li>\n</ul>\n",
        link(&cfg.feed_url, "RSS feed")
    ));
    h.push_str(&format!(
        "<p class=\"rss\"><span>Any podcast app: add</span> <code>{}</code> <button type=\"button\" class=\"copy\" data-copy=\"{}\" hidden>Copy feed URL</button></p>\n",
        escape(&cfg.feed_url),
        escape(&cfg.feed_url)
    ));

    h.push_str("<h2 id=\"episodes\">Episodes</h2>\n<ol class=\"episodes\" reversed>\n");
    for ep in episodes {
        h.push_str(&item(show, ep));
    }
    h.push_str("</ol>\n");
    if last > 1 {
        h.push_str("<nav class=\"pager\" aria-label=\"More episodes\">\n");
        if n > 1 {
            h.push_str(&format!(
                "<a class=\"prev\" href=\"{}\"><small>Page {}</small>Newer episodes</a>\n",
                file_name(n - 1),
                n - 1
            ));
        }
        if n < last {
            h.push_str(&format!(
                "<a class=\"next\" href=\"{}\"><small>Page {}</small>Older episodes</a>\n",
                file_name(n + 1),
                n + 1
            ));
        }
        h.push_str("</nav>\n");
    }
    h.push_str("</main>\n");
    h.push_str(&layout::footer(show));
    h
}

/// One episode in the list; its artwork is the show's cover (covers embedded in
/// audio files are not published).
fn item(show: &Show, ep: &Episode) -> String {
    let href = format!("{}/show-notes.html", ep.slug);
    let summary = blocks::blocks_text(&ep.summary, &ep.link);
    let first = summary.split("\n\n").next().unwrap_or("");
    let mut meta = vec![layout::date(ep), layout::minutes(ep.duration)];
    let label = layout::label(ep);
    if !label.is_empty() {
        meta.push(escape(&label));
    }
    format!(
        "<li><img src=\"{}\" alt=\"\" width=\"64\" height=\"64\" loading=\"lazy\"><div><h3>{}<a href=\"{}\">{}</a></h3><p class=\"meta\">{}</p><p>{}</p></div></li>\n",
        escape(&show.config.image_url),
        layout::badge(ep),
        escape(&href),
        escape(&ep.title),
        meta.join(" · "),
        escape(first)
    )
}

/// schema.org `PodcastSeries`.
fn json_ld(show: &Show) -> String {
    let cfg = &show.config;
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "PodcastSeries",
        "name": cfg.title,
        "description": cfg.description,
        "url": show.feeds_base_url,
        "image": cfg.image_url,
        "webFeed": cfg.feed_url,
        "author": {"@type": "Organization", "name": cfg.author},
    });
    value.to_string().replace("</", "<\\/")
}
