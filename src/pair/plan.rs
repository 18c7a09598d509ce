//! Deciding the pairs: one-to-one over the whole archive, explicit evidence
//! first, then every link that wins by a proven margin, and nothing guessed.
//!
//! The article is the anchor. Audio and video are assigned separately, each
//! one-to-one, so a video follows its article even when the audio is missing
//! or open. Candidates are found through an index (shared rare words, equal
//! names, links, episode numbers), never by comparing everything with
//! everything, so 1,000 articles × 3,000 files stay well under a second.
//!
//! A link (article, item) is accepted when its score is at least
//! `auto_accept` and its log-likelihood beats every competing link — other
//! items for the article, other articles for the item — by `margin_nats`.
//! Such a link is in every maximum-weight assignment whose other links are
//! worth less than the margin, so accepting it cannot cost a better global
//! choice; accepted links leave the graph and the rest is tried again until
//! nothing changes. Close calls and conflicts go to `ambiguous` with their
//! candidates; a person confirms one with `--accept SLUG`. Everything left
//! over is `unpaired`, with the reason (a Short, a re-upload, no article…).

use super::score::{
    self, ArticleCandidate, AudioCandidate, Features, Score, Text, Thresholds, VideoCandidate,
    Weights,
};
use std::collections::{BTreeSet, HashMap};

/// What pairing looks at.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inputs {
    pub articles: Vec<ArticleCandidate>,
    pub audio: Vec<AudioCandidate>,
    pub videos: Vec<VideoCandidate>,
    /// `(article, audio)` links an existing `episode.toml` already holds: kept as they are.
    pub kept_audio: Vec<(usize, usize)>,
    /// `(article, video)` links an existing `episode.toml` already holds.
    pub kept_video: Vec<(usize, usize)>,
}

/// Which kind of item an article is paired with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Audio,
    Video,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Audio => "audio",
            Kind::Video => "video",
        }
    }
}

/// An accepted link between an article and an item (index into the inputs).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    pub item: usize,
    pub score: Score,
    /// Confirmed with `--accept` rather than decided automatically.
    pub by_hand: bool,
}

/// An article with its audio and, when one was found, its video.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pair {
    pub article: usize,
    pub audio: Link,
    pub video: Option<Link>,
}

impl Pair {
    /// The weaker of the two links: the pair is only as sure as its least sure part.
    pub(crate) fn score(&self) -> f64 {
        let audio = self.audio.score.score;
        self.video
            .as_ref()
            .map_or(audio, |v| audio.min(v.score.score))
    }

    /// The evidence, each line prefixed with what it is about.
    pub(crate) fn evidence(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (kind, link) in [
            (Kind::Audio, Some(&self.audio)),
            (Kind::Video, self.video.as_ref()),
        ] {
            let Some(link) = link else { continue };
            if link.by_hand {
                out.push(format!("{}: confirmed with --accept", kind.as_str()));
            }
            out.extend(
                link.score
                    .evidence
                    .iter()
                    .map(|e| format!("{}: {e}", kind.as_str())),
            );
        }
        out
    }

    /// The `paired_by` manifest value: method, the strongest evidence, and the score.
    pub(crate) fn paired_by(&self) -> String {
        let mut parts = Vec::new();
        for (kind, link) in [
            (Kind::Audio, Some(&self.audio)),
            (Kind::Video, self.video.as_ref()),
        ] {
            let Some(link) = link else { continue };
            let method = if link.by_hand {
                "accepted"
            } else if link.score.explicit {
                "explicit"
            } else {
                "score"
            };
            let why = link.score.evidence.first().cloned().unwrap_or_default();
            parts.push(format!(
                "{}: {method}: {why} ({:.3})",
                kind.as_str(),
                link.score.score
            ));
        }
        format!("{}; score {:.3}", parts.join("; "), self.score())
    }
}

/// A decision left to a person.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ambiguous {
    pub article: usize,
    pub kind: Kind,
    pub reason: String,
    /// Candidate items, best first.
    pub candidates: Vec<(usize, Score)>,
    /// For an open audio decision: the article's video, already decided.
    pub video: Option<Link>,
}

/// Something nothing was paired with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unpaired {
    /// `video`: the article's video, decided although no audio was found.
    Article {
        article: usize,
        reason: String,
        video: Option<Link>,
    },
    Audio {
        audio: usize,
        reason: String,
    },
    Video {
        video: usize,
        reason: String,
    },
}

/// The outcome of pairing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    pub pairs: Vec<Pair>,
    pub ambiguous: Vec<Ambiguous>,
    pub unpaired: Vec<Unpaired>,
}

impl Plan {
    /// Everything was paired and nothing needs a person.
    #[cfg(test)] // the command asks the report (`pair::Report::is_complete`)
    pub(crate) fn is_complete(&self) -> bool {
        self.ambiguous.is_empty() && self.unpaired.is_empty()
    }
}

/// How pairing reads names and decides: `[pairing]` in `mspod.toml`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    pub text: Text,
    pub thresholds: Thresholds,
}

/// How many articles each item keeps as candidates (best first). More only
/// matter for margins, and a seventh-best article is never a close competitor.
const KEEP_PER_ITEM: usize = 6;

/// How many articles sharing words with an item are scored in full.
const TOP_BY_WORDS: usize = 24;

/// Every article's features, the word weights, and the indexes candidates are found by.
pub(crate) struct Index {
    pub features: Vec<Features>,
    pub weights: Weights,
    by_stem: HashMap<String, Vec<usize>>,
    by_key: HashMap<String, Vec<usize>>,
    by_slug: HashMap<String, usize>,
    by_episode: HashMap<u32, Vec<usize>>,
    by_video: HashMap<String, Vec<usize>>,
    /// A word shared by more articles than this finds no candidates on its own.
    common: usize,
}

impl Index {
    pub(crate) fn new(articles: &[ArticleCandidate], text: &Text) -> Index {
        let features: Vec<Features> = articles
            .iter()
            .map(|a| Features::article(a, text))
            .collect();
        let mut index = Index {
            weights: Weights::new(&features),
            by_stem: HashMap::new(),
            by_key: HashMap::new(),
            by_slug: HashMap::new(),
            by_episode: HashMap::new(),
            by_video: HashMap::new(),
            common: (articles.len() / 10).max(50),
            features: Vec::new(),
        };
        for (a, (f, c)) in features.iter().zip(articles).enumerate() {
            index.by_slug.insert(c.slug.clone(), a);
            for key in f.keys() {
                index.by_key.entry(key).or_default().push(a);
            }
            for s in &f.stems {
                index.by_stem.entry(s.clone()).or_default().push(a);
            }
            if let Some((e, _)) = f.episode {
                index.by_episode.entry(e).or_default().push(a);
            }
            for v in &c.video_ids {
                index.by_video.entry(v.to_string()).or_default().push(a);
            }
        }
        index.features = features;
        index
    }

    /// Articles worth scoring against an item: the best few by the rarity of
    /// the uncommon words they share, plus any with an equal name, the same
    /// episode number, or linked by it. Articles sharing less cannot come close
    /// to the best ones, so scoring them in full would only cost time.
    fn candidates(&self, item: &Features, links: &[String], video: Option<&str>) -> Vec<usize> {
        let mut gain: HashMap<usize, f64> = HashMap::new();
        for s in &item.stems {
            if let Some(list) = self.by_stem.get(s)
                && list.len() <= self.common
            {
                let w = self.weights.weight(s);
                for &a in list {
                    *gain.entry(a).or_default() += w;
                }
            }
        }
        let mut ranked: Vec<(usize, f64)> = gain.into_iter().collect();
        ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        ranked.truncate(TOP_BY_WORDS);
        let mut out: Vec<usize> = ranked.into_iter().map(|(a, _)| a).collect();
        for key in item.keys() {
            if let Some(list) = self.by_key.get(&key) {
                out.extend(list);
            }
        }
        if let Some((e, _)) = item.episode
            && let Some(list) = self.by_episode.get(&e)
            && list.len() <= self.common
        {
            out.extend(list);
        }
        for text in links {
            for seg in score::linked_segments(text) {
                if let Some(&a) = self.by_slug.get(&seg) {
                    out.push(a);
                }
            }
        }
        if let Some(id) = video
            && let Some(list) = self.by_video.get(id)
        {
            out.extend(list);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// An item's text that may link an article, and its video id.
type LinkText<T> = dyn Fn(&T) -> (Vec<String>, Option<String>);

/// Scores every item against its candidate articles; keeps the best few per
/// item, and every explicit link. Returns `rows[article] = [(item, score)]`.
fn graph<T>(
    index: &Index,
    articles: &[ArticleCandidate],
    items: &[T],
    features: &[Features],
    links: &dyn Fn(&ArticleCandidate, &T) -> Vec<String>,
    link_text: &LinkText<T>,
) -> Vec<Vec<(usize, Score)>> {
    let mut rows: Vec<Vec<(usize, Score)>> = vec![Vec::new(); articles.len()];
    for (i, (item, f)) in items.iter().zip(features).enumerate() {
        let (texts, video) = link_text(item);
        let mut scored: Vec<(usize, Score)> = index
            .candidates(f, &texts, video.as_deref())
            .into_iter()
            .map(|a| {
                let explicit = links(&articles[a], item);
                (
                    a,
                    score::score(&index.features[a], f, explicit, &index.weights, false),
                )
            })
            .collect();
        scored.sort_by(|x, y| {
            y.1.explicit
                .cmp(&x.1.explicit)
                .then(y.1.llr.total_cmp(&x.1.llr))
                .then(x.0.cmp(&y.0))
        });
        for (rank, (a, s)) in scored.into_iter().enumerate() {
            if rank < KEEP_PER_ITEM || s.explicit {
                let explained = score::score(
                    &index.features[a],
                    f,
                    links(&articles[a], item),
                    &index.weights,
                    true,
                );
                debug_assert_eq!(explained.llr, s.llr);
                rows[a].push((i, explained));
            }
        }
    }
    for row in &mut rows {
        row.sort_by_key(|(i, _)| *i);
    }
    rows
}

/// Marks re-uploads: a later video with the same cleaned title, part,
/// episode and description as an earlier one is reported as its duplicate,
/// not paired.
pub(crate) fn mark_duplicates(videos: &mut [VideoCandidate], text: &Text) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<usize> = (0..videos.len()).collect();
    // Earliest first; undated after dated, in input order.
    order.sort_by_key(|&i| (videos[i].published.is_none(), videos[i].published, i));
    for i in order {
        if videos[i].not_episode.is_some() {
            continue;
        }
        let f = Features::video(&videos[i], text);
        let Some((_, name)) = f.names.first() else {
            continue;
        };
        if name.words.len() < 2 {
            continue;
        }
        // The description is part of the key: a generic title ("This week on
        // the show") over different descriptions is a series, not a re-upload.
        let key = format!(
            "{}|{:?}|{:?}|{:?}|{}",
            name.key(),
            f.part,
            f.episode.map(|e| e.0),
            f.decoy,
            videos[i].description.trim()
        );
        match first.get(&key) {
            Some(&orig) => {
                videos[i].not_episode = Some(format!(
                    "a re-upload of video {} (same title): reported as a duplicate",
                    videos[orig].id
                ));
            }
            None => {
                first.insert(key, i);
            }
        }
    }
}

/// The scored candidate links of both kinds.
pub(crate) struct Graphs {
    pub index: Index,
    pub audio_features: Vec<Features>,
    pub video_features: Vec<Features>,
    pub audio: Vec<Vec<(usize, Score)>>,
    pub video: Vec<Vec<(usize, Score)>>,
}

pub(crate) fn graphs(inputs: &Inputs, settings: &Settings) -> Graphs {
    let text = &settings.text;
    let index = Index::new(&inputs.articles, text);
    let audio_features: Vec<Features> = inputs
        .audio
        .iter()
        .map(|x| Features::audio(x, text))
        .collect();
    let video_features: Vec<Features> = inputs
        .videos
        .iter()
        .map(|v| Features::video(v, text))
        .collect();
    let audio = graph(
        &index,
        &inputs.articles,
        &inputs.audio,
        &audio_features,
        &|a, x: &AudioCandidate| score::audio_links(a, x),
        &|x: &AudioCandidate| (x.link_text.clone(), None),
    );
    let video = graph(
        &index,
        &inputs.articles,
        &inputs.videos,
        &video_features,
        &|a, v: &VideoCandidate| score::video_links(a, v),
        &|v: &VideoCandidate| (vec![v.description.clone()], Some(v.id.to_string())),
    );
    Graphs {
        index,
        audio_features,
        video_features,
        audio,
        video,
    }
}

/// Pairs every article with its audio and video. `accept` holds the slugs a
/// person confirmed: each takes its best remaining candidate, even a close call.
#[cfg(test)] // `pair::run` builds the graphs itself (it also explains them)
pub(crate) fn plan(inputs: &Inputs, settings: &Settings, accept: &BTreeSet<String>) -> Plan {
    let g = graphs(inputs, settings);
    decide(inputs, &g, &settings.thresholds, accept)
}

/// The decision over scored graphs.
pub(crate) fn decide(
    inputs: &Inputs,
    g: &Graphs,
    t: &Thresholds,
    accept: &BTreeSet<String>,
) -> Plan {
    let forced: Vec<bool> = inputs
        .articles
        .iter()
        .map(|a| accept.contains(&a.slug))
        .collect();
    let audio_item = |i: usize| {
        inputs.audio[i]
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let video_item = |i: usize| format!("video {}", inputs.videos[i].id);
    let slug = |a: usize| inputs.articles[a].slug.clone();

    // `--accept` only settles open questions: an article whose link would be
    // decided anyway keeps its automatic evidence.
    let decide_kind = |kind: Kind,
                       rows: &[Vec<(usize, Score)>],
                       n: usize,
                       kept: &[(usize, usize)],
                       name: &dyn Fn(usize) -> String| {
        let none = vec![false; forced.len()];
        let first = assign(kind, rows, n, kept, &none, t, &slug, name);
        let open: Vec<bool> = (0..forced.len())
            .map(|a| forced[a] && first.ambiguous.iter().any(|x| x.article == a))
            .collect();
        if open.iter().any(|&o| o) {
            assign(kind, rows, n, kept, &open, t, &slug, name)
        } else {
            first
        }
    };
    let audio = decide_kind(
        Kind::Audio,
        &g.audio,
        inputs.audio.len(),
        &inputs.kept_audio,
        &audio_item,
    );
    let video = decide_kind(
        Kind::Video,
        &g.video,
        inputs.videos.len(),
        &inputs.kept_video,
        &video_item,
    );

    let mut out = Plan::default();
    let mut ambiguous = audio.ambiguous;
    for a in 0..inputs.articles.len() {
        let video_link = video
            .accepted
            .iter()
            .find(|l| l.0 == a)
            .map(|l| l.1.clone());
        match audio.accepted.iter().find(|l| l.0 == a) {
            Some((_, link)) => out.pairs.push(Pair {
                article: a,
                audio: link.clone(),
                video: video_link,
            }),
            None => {
                if let Some(open) = ambiguous.iter_mut().find(|x| x.article == a) {
                    // The video is decided; it waits for the audio answer.
                    open.video = video_link;
                    continue;
                }
                let reason = match &video_link {
                    Some(v) => format!(
                        "no audio file matches; its video is {}",
                        inputs.videos[v.item].id
                    ),
                    None => "no audio file matches".to_string(),
                };
                out.unpaired.push(Unpaired::Article {
                    article: a,
                    reason,
                    video: video_link,
                });
            }
        }
    }
    ambiguous.extend(video.ambiguous);
    ambiguous.sort_by_key(|x| (x.article, x.kind));
    out.ambiguous = ambiguous;
    for i in audio.free_items {
        let reason = match g.audio_features[i].decoy {
            Some(kind) => format!("no article matches (a {kind})"),
            None => "no article matches".into(),
        };
        out.unpaired.push(Unpaired::Audio { audio: i, reason });
    }
    for i in video.free_items {
        let reason = match (&inputs.videos[i].not_episode, g.video_features[i].decoy) {
            (Some(why), _) => why.clone(),
            (None, Some(kind)) => format!("no article matches (a {kind})"),
            (None, None) => "no article matches".into(),
        };
        out.unpaired.push(Unpaired::Video { video: i, reason });
    }
    out
}

/// The result of assigning one kind of item.
struct Assignment {
    accepted: Vec<(usize, Link)>,
    ambiguous: Vec<Ambiguous>,
    /// Items neither accepted nor held by an open question.
    free_items: Vec<usize>,
}

fn link(s: &Score, item: usize, by_hand: bool) -> Link {
    Link {
        item,
        score: s.clone(),
        by_hand,
    }
}

/// One-to-one assignment of items to articles over sparse `rows[article] = [(item, score)]`.
#[allow(clippy::too_many_arguments)]
fn assign(
    kind: Kind,
    rows: &[Vec<(usize, Score)>],
    n_items: usize,
    kept: &[(usize, usize)],
    forced: &[bool],
    t: &Thresholds,
    slug: &dyn Fn(usize) -> String,
    item_name: &dyn Fn(usize) -> String,
) -> Assignment {
    let n_articles = rows.len();
    let mut cols: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_items];
    for (a, row) in rows.iter().enumerate() {
        for (k, (i, _)) in row.iter().enumerate() {
            cols[*i].push((a, k));
        }
    }
    let mut article_free = vec![true; n_articles];
    let mut item_free = vec![true; n_items];
    let mut accepted: Vec<(usize, Link)> = Vec::new();
    let mut ambiguous: Vec<Ambiguous> = Vec::new();

    // 0. Already in an episode manifest: never re-scored.
    for &(a, i) in kept {
        let s = Score {
            score: 1.0,
            explicit: true,
            llr: 0.0,
            evidence: vec![format!("already in episodes/{}/episode.toml", slug(a))],
        };
        accepted.push((a, link(&s, i, false)));
        article_free[a] = false;
        item_free[i] = false;
    }

    // 1. Confirmed by a person: the best remaining candidate, if any is worth proposing.
    for a in 0..n_articles {
        if !forced[a] || !article_free[a] {
            continue;
        }
        let best = rows[a]
            .iter()
            .filter(|(i, s)| item_free[*i] && s.score >= t.propose_min)
            .max_by(|x, y| x.1.llr.total_cmp(&y.1.llr).then(y.0.cmp(&x.0)));
        if let Some((i, s)) = best {
            accepted.push((a, link(s, *i, true)));
            article_free[a] = false;
            item_free[*i] = false;
        }
    }

    // 2. Explicit evidence. An item claimed by two articles is a conflict for a person.
    for i in 0..n_items {
        if !item_free[i] {
            continue;
        }
        let claimants: Vec<usize> = cols[i]
            .iter()
            .filter(|&&(a, k)| article_free[a] && rows[a][k].1.explicit)
            .map(|&(a, _)| a)
            .collect();
        if claimants.len() > 1 {
            let names: Vec<String> = claimants.iter().map(|&a| slug(a)).collect();
            for &a in &claimants {
                ambiguous.push(Ambiguous {
                    article: a,
                    kind,
                    reason: format!(
                        "conflict: {} is claimed by {} articles ({})",
                        item_name(i),
                        claimants.len(),
                        names.join(", ")
                    ),
                    candidates: candidates(&rows[a], &item_free, t, Some(i)),
                    video: None,
                });
                article_free[a] = false;
            }
            item_free[i] = false;
        }
    }
    for a in 0..n_articles {
        if !article_free[a] {
            continue;
        }
        let mut claims: Vec<&(usize, Score)> = rows[a]
            .iter()
            .filter(|(i, s)| item_free[*i] && s.explicit)
            .collect();
        if claims.is_empty() {
            continue;
        }
        // Several explicit claims (an article linking two videos): the rest of
        // the evidence must separate them by the margin.
        claims.sort_by(|x, y| y.1.llr.total_cmp(&x.1.llr).then(x.0.cmp(&y.0)));
        let clear = claims.len() == 1 || claims[0].1.llr - claims[1].1.llr >= t.margin_nats;
        if clear {
            let (i, s) = claims[0];
            accepted.push((a, link(s, *i, false)));
            item_free[*i] = false;
        } else {
            let names: Vec<String> = claims.iter().map(|(i, _)| item_name(*i)).collect();
            ambiguous.push(Ambiguous {
                article: a,
                kind,
                reason: format!(
                    "the article links {} candidates: {}",
                    claims.len(),
                    names.join(", ")
                ),
                candidates: claims.iter().map(|(i, s)| (*i, s.clone())).collect(),
                video: None,
            });
            for (i, _) in &claims {
                item_free[*i] = false;
            }
        }
        article_free[a] = false;
    }

    // 3. Links that beat every competitor by the margin, until none is left.
    let runner_col = |a: usize, i: usize, article_free: &[bool]| {
        cols[i]
            .iter()
            .filter(|&&(b, _)| b != a && article_free[b])
            .map(|&(b, k)| rows[b][k].1.llr)
            .fold(f64::NEG_INFINITY, f64::max)
    };
    loop {
        let mut changed = false;
        for a in 0..n_articles {
            if !article_free[a] {
                continue;
            }
            let mut free: Vec<&(usize, Score)> =
                rows[a].iter().filter(|(i, _)| item_free[*i]).collect();
            if free.is_empty() {
                continue;
            }
            free.sort_by(|x, y| y.1.llr.total_cmp(&x.1.llr).then(x.0.cmp(&y.0)));
            let (i, s) = free[0];
            let runner_row = free.get(1).map_or(f64::NEG_INFINITY, |r| r.1.llr);
            let runner = runner_row.max(runner_col(a, *i, &article_free));
            if s.score >= t.auto_accept && s.llr - runner >= t.margin_nats {
                accepted.push((a, link(s, *i, false)));
                article_free[a] = false;
                item_free[*i] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    // 4. What is left and worth proposing goes to a person.
    for a in 0..n_articles {
        if !article_free[a] {
            continue;
        }
        let offered = candidates(&rows[a], &item_free, t, None);
        let Some((i, s)) = offered.first() else {
            continue;
        };
        let (i, s) = (*i, s.clone());
        let runner_row = offered.get(1).map_or(f64::NEG_INFINITY, |r| r.1.llr);
        let rival = cols[i]
            .iter()
            .filter(|&&(b, _)| b != a && article_free[b])
            .max_by(|x, y| rows[x.0][x.1].1.llr.total_cmp(&rows[y.0][y.1].1.llr));
        let reason = if s.score < t.auto_accept {
            format!(
                "close call: best score {:.2} is below {:.2}",
                s.score, t.auto_accept
            )
        } else if let Some(&(b, k)) = rival.filter(|&&(b, k)| rows[b][k].1.llr > runner_row) {
            format!(
                "close call: {} fits `{}` nearly as well ({:+.1} nats against {:+.1}; margin {:.1})",
                item_name(i),
                slug(b),
                rows[b][k].1.llr,
                s.llr,
                t.margin_nats
            )
        } else {
            format!(
                "close call: the best candidate leads the runner-up by {:.1} nats (margin {:.1})",
                s.llr - runner_row,
                t.margin_nats
            )
        };
        ambiguous.push(Ambiguous {
            article: a,
            kind,
            reason,
            candidates: offered,
            video: None,
        });
    }
    accepted.sort_by_key(|(a, _)| *a);
    // An item offered in an open question waits for that answer rather
    // than being reported as matching nothing.
    let mut offered = vec![false; n_items];
    for x in &ambiguous {
        for c in &x.candidates {
            offered[c.0] = true;
        }
    }
    let free_items = (0..n_items)
        .filter(|&i| item_free[i] && !offered[i])
        .collect();
    Assignment {
        accepted,
        ambiguous,
        free_items,
    }
}

/// Up to three candidates worth showing a person, best first; `first` always included.
fn candidates(
    row: &[(usize, Score)],
    item_free: &[bool],
    t: &Thresholds,
    first: Option<usize>,
) -> Vec<(usize, Score)> {
    let mut out: Vec<&(usize, Score)> = row
        .iter()
        .filter(|(i, s)| Some(*i) == first || (item_free[*i] && s.score >= t.propose_min))
        .collect();
    out.sort_by(|x, y| {
        y.1.score
            .total_cmp(&x.1.score)
            .then(y.1.llr.total_cmp(&x.1.llr))
            .then((Some(y.0) == first).cmp(&(Some(x.0) == first)))
            .then(x.0.cmp(&y.0))
    });
    out.truncate(3);
    out.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::youtube::VideoId;
    use chrono::DateTime;

    fn date(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        DateTime::parse_from_rfc3339(s).ok()
    }

    fn article(slug: &str, title: &str, day: &str, videos: &[&str]) -> ArticleCandidate {
        ArticleCandidate {
            path: format!("articles/{slug}.html").into(),
            slug: slug.into(),
            title: title.into(),
            url: Some(format!("https://example.org/blog/{slug}/")),
            published: date(&format!("{day}T09:00:00-04:00")),
            video_ids: videos
                .iter()
                .map(|v| VideoId::parse(v).expect("id"))
                .collect(),
            episode: None,
        }
    }

    fn audio(stem: &str, title: Option<&str>) -> AudioCandidate {
        AudioCandidate {
            path: format!("audio/{stem}.mp3").into(),
            slug: super::super::normalize::file_slug(stem),
            title: title.map(str::to_string),
            date: None,
            link_text: vec![],
            track: None,
        }
    }

    fn video(id: &str, title: &str, day: &str) -> VideoCandidate {
        VideoCandidate {
            id: VideoId::parse(id).expect("id"),
            title: Some(title.into()),
            published: date(&format!("{day}T15:00:00Z")),
            description: String::new(),
            not_episode: crate::pair::inputs::not_an_episode(&crate::videos::Video {
                title: Some(title.into()),
                ..crate::videos::Video::bare(VideoId::parse(id).expect("id"))
            }),
        }
    }

    fn run(inputs: &Inputs, accept: &[&str]) -> Plan {
        let accept = accept.iter().map(|s| s.to_string()).collect();
        let settings = Settings {
            text: Text {
                branding: crate::pair::normalize::Branding::new(["MentalSpace Therapy"]),
                show_words: vec!["mentalspace".into(), "therapy".into()],
                ..Text::default()
            },
            thresholds: Thresholds::default(),
        };
        plan(inputs, &settings, &accept)
    }

    fn show() -> Inputs {
        Inputs {
            articles: vec![
                article(
                    "grounding-techniques-for-panic",
                    "Grounding Techniques for Panic Attacks",
                    "2026-05-13",
                    &["Gp4nT8wLqZc"],
                ),
                article(
                    "relationship-as-medicine",
                    "Relationship as Medicine",
                    "2026-05-06",
                    &["Rm7aQ2xK9sE"],
                ),
            ],
            audio: vec![
                audio(
                    "2026-05-06-relationship-as-medicine",
                    Some("Relationship as Medicine"),
                ),
                audio(
                    "2026-05-13-grounding-techniques-for-panic",
                    Some("Grounding Techniques for Panic Attacks"),
                ),
            ],
            videos: vec![
                video(
                    "Rm7aQ2xK9sE",
                    "Relationship as Medicine | MentalSpace Therapy",
                    "2026-05-06",
                ),
                video(
                    "Gp4nT8wLqZc",
                    "Grounding Techniques for Panic Attacks",
                    "2026-05-13",
                ),
            ],
            ..Inputs::default()
        }
    }

    #[test]
    fn clear_evidence_pairs_everything_one_to_one() {
        let p = run(&show(), &[]);
        assert!(p.is_complete(), "{p:#?}");
        let got: Vec<(usize, usize, Option<usize>)> = p
            .pairs
            .iter()
            .map(|x| (x.article, x.audio.item, x.video.as_ref().map(|v| v.item)))
            .collect();
        assert_eq!(got, [(0, 1, Some(1)), (1, 0, Some(0))]);
        assert!(
            p.pairs[0]
                .paired_by()
                .starts_with("audio: score: file name equals the slug (+4.0)"),
            "{}",
            p.pairs[0].paired_by()
        );
        assert!(
            p.pairs[0]
                .paired_by()
                .contains("video: explicit: article embeds or links video Gp4nT8wLqZc (1.000)")
        );
    }

    #[test]
    fn two_audio_files_with_equally_good_titles_are_a_close_call() {
        let mut inputs = show();
        inputs.audio = vec![
            audio(
                "grounding-techniques-for-panic-take-1",
                Some("Grounding Techniques for Panic Attacks"),
            ),
            audio(
                "grounding-techniques-for-panic-take-2",
                Some("Grounding Techniques for Panic Attacks"),
            ),
            audio(
                "2026-05-06-relationship-as-medicine",
                Some("Relationship as Medicine"),
            ),
        ];
        let p = run(&inputs, &[]);
        assert_eq!(p.ambiguous.len(), 1, "{p:#?}");
        let a = &p.ambiguous[0];
        assert_eq!((a.article, a.kind), (0, Kind::Audio));
        assert!(a.reason.starts_with("close call"), "{}", a.reason);
        assert_eq!(a.candidates.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1]);
        // The article is not paired, and neither take is reported as unpaired: both wait for a person.
        assert_eq!(p.pairs.len(), 1);
        assert!(p.unpaired.is_empty(), "{:?}", p.unpaired);
    }

    #[test]
    fn a_decoy_with_a_similar_title_does_not_take_the_real_file() {
        let mut inputs = show();
        inputs.audio.push(audio(
            "grounding-techniques-for-sleep",
            Some("Grounding Techniques for Better Sleep"),
        ));
        let p = run(&inputs, &[]);
        assert_eq!(p.pairs.len(), 2, "{p:#?}");
        assert_eq!(p.pairs[0].audio.item, 1);
        assert_eq!(
            p.unpaired,
            [Unpaired::Audio {
                audio: 2,
                reason: "no article matches".into()
            }]
        );
    }

    #[test]
    fn two_articles_claiming_one_video_is_a_conflict_for_a_person() {
        let mut inputs = show();
        inputs.articles[1].video_ids = vec![VideoId::parse("Gp4nT8wLqZc").expect("id")];
        let p = run(&inputs, &[]);
        let conflicts: Vec<&Ambiguous> = p
            .ambiguous
            .iter()
            .filter(|a| a.kind == Kind::Video)
            .collect();
        assert_eq!(conflicts.len(), 2, "{p:#?}");
        assert!(
            conflicts[0]
                .reason
                .contains("video Gp4nT8wLqZc is claimed by 2 articles"),
            "{}",
            conflicts[0].reason
        );
        // Audio pairs still stand; neither gets the contested video.
        assert_eq!(p.pairs.len(), 2);
        assert!(
            p.pairs
                .iter()
                .all(|x| x.video.as_ref().is_none_or(|v| v.item != 1))
        );

        // Confirming one claimant settles it.
        let p = run(&inputs, &["grounding-techniques-for-panic"]);
        assert_eq!(
            p.pairs[0].video.as_ref().map(|v| (v.item, v.by_hand)),
            Some((1, true))
        );
        assert!(
            p.pairs[0].paired_by().contains("video: accepted:"),
            "{}",
            p.pairs[0].paired_by()
        );
        assert!(
            !p.ambiguous
                .iter()
                .any(|a| a.kind == Kind::Video && a.candidates.iter().any(|c| c.0 == 1)),
            "{p:#?}"
        );
    }

    #[test]
    fn a_video_titled_as_the_article_is_paired_and_a_vague_one_only_proposed() {
        let mut inputs = show();
        for a in &mut inputs.articles {
            a.video_ids.clear();
        }
        inputs.videos = vec![
            video(
                "AAAAAAAAAAA",
                "Grounding Techniques for Panic Attacks | MentalSpace Therapy",
                "2026-05-13",
            ),
            video(
                "BBBBBBBBBBB",
                "Behind the scenes: filming day",
                "2026-05-13",
            ),
            video("CCCCCCCCCCC", "Why relationships matter", "2026-05-08"),
        ];
        let p = run(&inputs, &[]);
        assert_eq!(p.pairs[0].video.as_ref().map(|l| l.item), Some(0), "{p:#?}");
        // A title sharing some words is a proposal, not a decision.
        let v: Vec<&Ambiguous> = p
            .ambiguous
            .iter()
            .filter(|a| a.kind == Kind::Video)
            .collect();
        assert_eq!(v.len(), 1, "{p:#?}");
        assert_eq!((v[0].article, v[0].candidates[0].0), (1, 2));
        assert!(v[0].reason.contains("below 0.90"), "{}", v[0].reason);
        // The unrelated same-day upload is left alone.
        assert!(p.unpaired.contains(&Unpaired::Video {
            video: 1,
            reason: "no article matches (a behind the scenes)".into()
        }));
        // Accepting the proposal pairs it.
        let p = run(&inputs, &["relationship-as-medicine"]);
        assert_eq!(
            p.pairs[1].video.as_ref().map(|l| (l.item, l.by_hand)),
            Some((2, true))
        );
    }

    #[test]
    fn leftovers_are_reported_on_every_side() {
        let mut inputs = show();
        inputs.articles.push(article(
            "anxiety-at-work",
            "Anxiety at Work",
            "2026-06-01",
            &[],
        ));
        inputs
            .videos
            .push(video("CCCCCCCCCCC", "Q&A livestream", "2026-06-02"));
        inputs.audio.push(audio("bonus-outtakes", Some("Outtakes")));
        let p = run(&inputs, &[]);
        assert_eq!(
            p.unpaired,
            [
                Unpaired::Article {
                    article: 2,
                    reason: "no audio file matches".into(),
                    video: None,
                },
                Unpaired::Audio {
                    audio: 2,
                    reason: "no article matches (a outtakes)".into()
                },
                Unpaired::Video {
                    video: 2,
                    reason: "a live stream: not an episode video".into()
                },
            ]
        );
    }

    #[test]
    fn kept_links_are_not_rescored() {
        let mut inputs = show();
        // The manifest pairs the article with a file whose name says nothing.
        inputs.audio[1] = audio("final-mix-v3", None);
        inputs.kept_audio = vec![(0, 1)];
        let p = run(&inputs, &[]);
        assert!(p.is_complete(), "{p:#?}");
        assert_eq!(p.pairs[0].audio.item, 1);
        assert_eq!(
            p.pairs[0].audio.score.evidence,
            ["already in episodes/grounding-techniques-for-panic/episode.toml"]
        );
    }

    #[test]
    fn a_later_upload_with_the_same_title_and_description_is_a_re_upload() {
        let t = Text::default();
        let mut videos = vec![
            video("BBBBBBBBBBB", "Grounding for Panic", "2026-05-20"),
            video("AAAAAAAAAAA", "Grounding for Panic", "2026-05-13"),
            video("CCCCCCCCCCC", "Grounding for Panic (Trailer)", "2026-05-10"),
        ];
        mark_duplicates(&mut videos, &t);
        assert_eq!(videos[1].not_episode, None);
        assert_eq!(
            videos[0].not_episode.as_deref(),
            Some("a re-upload of video AAAAAAAAAAA (same title): reported as a duplicate")
        );
        // A trailer is its own kind, judged against articles, not a duplicate.
        assert_eq!(videos[2].not_episode, None);
        // A generic title over different descriptions is a series, not re-uploads.
        let mut series = vec![
            video("AAAAAAAAAAA", "This week on the show", "2026-05-13"),
            video("BBBBBBBBBBB", "This week on the show", "2026-05-20"),
        ];
        series[1].description = "https://example.org/blog/relationship-as-medicine/".into();
        mark_duplicates(&mut series, &t);
        assert!(series.iter().all(|v| v.not_episode.is_none()));
    }
}
