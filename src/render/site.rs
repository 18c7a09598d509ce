//! `index.html`: the show page at the folder the feed is served from — cover,
//! description, where to subscribe, hosts, and every episode newest first.
//! With `[feed] max_items` it is paged like the feed (`index-2.html`, …).

use super::blocks::{self, escape};
use super::layout::{self, INDEX_FILE};
use super::theme::{self, PageWriter, Theme};
use super::{help, safe};
use crate::model::{Episode, Listing, PageEntry, Show};
use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// One show page: `index.html`, or a further page of a paged show.
pub(crate) struct SitePage<'r> {
    theme: &'r Theme<'r>,
    show: &'r Show,
    episodes: Arc<Vec<Listing>>,
    entries: Arc<dyn Entries>,
    /// Which of `episodes` it lists.
    range: std::ops::Range<usize>,
    /// Its number and the number of pages.
    n: usize,
    last: usize,
    helpline: Arc<str>,
}

/// Where the show page's entries come from as it is written: they are not held with
/// the listings but read back a block at a time (from the episodes' records).
pub(crate) trait Entries: Send + Sync + std::fmt::Debug {
    /// What the show page lists of episode `slug` beside its listing; `None` if that
    /// cannot be read (the page is not written).
    fn entry(&self, slug: &str) -> Option<PageEntry>;
}

/// The show page and its further pages: `show` is cleaned and without its episodes;
/// `episodes` are its listings, newest first, as built (each is cleaned as its entry
/// is made, when the page is written); `helpline` the newest episode's help line.
pub(super) fn pages<'r>(
    theme: &'r Theme<'r>,
    show: &'r Show,
    episodes: Arc<Vec<Listing>>,
    entries: Arc<dyn Entries>,
    helpline: Option<&str>,
) -> Vec<SitePage<'r>> {
    let per_page = show.config.max_items.unwrap_or(usize::MAX).max(1);
    let last = episodes.len().div_ceil(per_page).max(1);
    // A crisis line belongs in the first screen here too.
    let helpline: Arc<str> = helpline
        .map(|line| {
            format!(
                "<aside class=\"helpline\" aria-label=\"Get help now\"><p>{}</p></aside>\n",
                help::html(&help::parts(line))
            )
        })
        .unwrap_or_default()
        .into();
    (0..last)
        .map(|i| SitePage {
            theme,
            show,
            episodes: Arc::clone(&episodes),
            entries: Arc::clone(&entries),
            range: (i * per_page).min(episodes.len())..((i + 1) * per_page).min(episodes.len()),
            n: i + 1,
            last,
            helpline: Arc::clone(&helpline),
        })
        .collect()
}

impl SitePage<'_> {
    /// Its file, relative to the output folder.
    pub(crate) fn path(&self) -> PathBuf {
        PathBuf::from(file_name(self.n))
    }

    /// Writes the page to `out` as it is rendered.
    pub(crate) fn write(
        &self,
        out: &mut dyn PageWriter,
        warnings: &mut Vec<String>,
    ) -> std::io::Result<()> {
        let items = Arc::new(Items {
            episodes: Arc::clone(&self.episodes),
            entries: Arc::clone(&self.entries),
            range: self.range.clone(),
            made: Mutex::new((0, Vec::new())),
            unread: Mutex::new(None),
        });
        page(
            self.theme,
            self.show,
            Value::from_dyn_object(Arc::clone(&items)),
            (self.n, self.last),
            &self.helpline,
            out,
            warnings,
        )?;
        match items
            .unread
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            Some(slug) => Err(std::io::Error::other(format!(
                "the show page's entry of `{slug}` cannot be read back from its record"
            ))),
            None => Ok(()),
        }
    }
}

/// A page's episode list as the template sees it: each entry is made when the
/// template reaches it (a block at a time, in parallel), so the entries of a show of
/// any size are never all held.
#[derive(Debug)]
struct Items {
    episodes: Arc<Vec<Listing>>,
    entries: Arc<dyn Entries>,
    range: std::ops::Range<usize>,
    /// The block made last: its first index and its entries.
    made: Mutex<(usize, Vec<Value>)>,
    /// An episode whose entry could not be read (the page is not written).
    unread: Mutex<Option<String>>,
}

/// Entries made at a time.
const BLOCK: usize = 256;

impl Object for Items {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = key.as_usize()?;
        if i >= self.range.len() || self.failed() {
            return None;
        }
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let (first, values) = &mut *made;
        if i < *first || i >= *first + values.len() {
            let start = i - i % BLOCK;
            let end = (start + BLOCK).min(self.range.len());
            let offset = self.range.start;
            let block = &self.episodes[offset + start..offset + end];
            let list: Vec<Option<Value>> = block
                .par_iter()
                .map(|ep| Some(item(&safe::listing(ep), &self.entries.entry(&ep.slug)?)))
                .collect();
            // The first episode whose entry cannot be read fails the page; the rest of
            // it is not made.
            if let Some(at) = list.iter().position(Option::is_none) {
                let mut unread = self.unread.lock().unwrap_or_else(|e| e.into_inner());
                *unread = Some(block[at].slug.clone());
                return None;
            }
            *values = list.into_iter().flatten().collect();
            *first = start;
        }
        values.get(i - *first).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.range.len())
    }
}

impl Items {
    /// An entry could not be read: the page is not written.
    fn failed(&self) -> bool {
        self.unread
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }
}

fn file_name(n: usize) -> String {
    if n == 1 {
        INDEX_FILE.to_string()
    } else {
        format!("index-{n}.html")
    }
}

fn page(
    theme: &Theme,
    show: &Show,
    items: Value,
    (n, last): (usize, usize),
    helpline: &str,
    out: &mut dyn PageWriter,
    warnings: &mut Vec<String>,
) -> std::io::Result<()> {
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
    let head = layout::head(
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
    let mut pager = String::new();
    if last > 1 {
        pager.push_str("<nav class=\"pager\" aria-label=\"More episodes\">\n");
        if n > 1 {
            pager.push_str(&format!(
                "<a class=\"prev\" href=\"{}\"><small>Page {}</small>Newer episodes</a>\n",
                file_name(n - 1),
                n - 1
            ));
        }
        if n < last {
            pager.push_str(&format!(
                "<a class=\"next\" href=\"{}\"><small>Page {}</small>Older episodes</a>\n",
                file_name(n + 1),
                n + 1
            ));
        }
        pager.push_str("</nav>\n");
    }
    theme.render_to(
        "show.html",
        minijinja::context! {
            show => layout::show_value(show),
            page => minijinja::context! { title => title, number => n, pages => last, url => canonical },
            episodes => items,
            home => INDEX_FILE,
            head => theme::html(head),
            parts => minijinja::context! {
                helpline => theme::html(helpline.to_string()),
                pager => theme::html(pager),
            },
        },
        out,
        warnings,
    )
}

/// What the show page lists of `ep` beside its listing: made when the episode is
/// rendered, kept in its record (the show page is made from listings, which hold no
/// article text, and these entries, read back as it is written).
pub(crate) fn page_entry(ep: &Episode) -> PageEntry {
    let (mut summary, mut help) = (ep.summary.clone(), ep.help.clone());
    safe::summary_and_help(&mut summary, &mut help, &ep.link);
    let text = blocks::blocks_text(&summary, &ep.link);
    PageEntry {
        summary: text.split("\n\n").next().unwrap_or("").to_string(),
        help: help::help_text(&help),
    }
}

/// One episode in the list (its artwork is the show's cover: covers embedded in
/// audio files are not published).
fn item(ep: &Listing, entry: &PageEntry) -> Value {
    let first = &entry.summary;
    let mut meta = vec![layout::date(ep), layout::minutes(ep.duration)];
    let label = layout::label(ep);
    if !label.is_empty() {
        meta.push(escape(&label));
    }
    minijinja::context! {
        title => ep.title,
        slug => ep.slug,
        href => format!("{}/show-notes.html", ep.slug),
        kind => ep.kind.as_str(),
        label => label,
        date => ep.published.to_rfc3339(),
        duration => super::chapters::timestamp(ep.duration),
        summary => first,
        badge => theme::html(layout::badge(ep).to_string()),
        meta => theme::html(meta.join(" · ")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Renderer;

    /// The entries of every episode but the ones named.
    #[derive(Debug)]
    struct Known(Vec<&'static str>);

    impl Entries for Known {
        fn entry(&self, slug: &str) -> Option<PageEntry> {
            (!self.0.contains(&slug)).then(|| PageEntry {
                summary: format!("About {slug}."),
                help: None,
            })
        }
    }

    fn show() -> Show {
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let content = crate::load::load(sample).expect("the sample show loads");
        Show {
            config: content.config.show,
            podcast_guid: "guid".into(),
            feeds_base_url: "https://example.org/show/".into(),
            last_build: chrono::DateTime::UNIX_EPOCH,
            episodes: Vec::new(),
            update_frequency: None,
            cover: None,
        }
    }

    fn write(
        show: &Show,
        episodes: &[&str],
        unreadable: Vec<&'static str>,
    ) -> Result<String, String> {
        let episodes = Arc::new(
            episodes
                .iter()
                .map(|s| Listing::for_tests(s))
                .collect::<Vec<_>>(),
        );
        let renderer = Renderer::new(show);
        let pages = renderer.site(episodes, Arc::new(Known(unreadable)), None);
        let mut out = Vec::new();
        pages[0]
            .write(&mut out, &mut Vec::new())
            .map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Each entry comes from `Entries` as the page is written; one that cannot be read
    /// fails the page, naming the first such episode in the page's order.
    #[test]
    fn the_show_page_lists_the_entries_it_reads_back() {
        let show = show();
        let page = write(&show, &["b", "a"], Vec::new()).expect("written");
        let (b, a) = (page.find("About b."), page.find("About a."));
        assert!(b.is_some() && a.is_some() && b < a, "newest first: {page}");

        let slugs: Vec<String> = (0..600).map(|i| format!("ep-{i:03}")).collect();
        let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
        assert_eq!(
            write(&show, &slugs, vec!["ep-599", "ep-300", "ep-301"]),
            Err("the show page's entry of `ep-300` cannot be read back from its record".into())
        );
    }
}
