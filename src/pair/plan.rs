//! Deciding the pairs: one-to-one, explicit evidence first, then greedy by
//! score, and nothing guessed.
//!
//! The article is the anchor. Audio and video are assigned separately, each
//! one-to-one. A pair is accepted only when it is confident (explicit
//! evidence, or score ≥ `auto_accept` and ahead of the runner-up by
//! `margin`). Close calls and conflicts (two articles claiming one video) go
//! to `ambiguous` with their candidates; a person confirms one with
//! `--accept SLUG`. Everything left over is `unpaired`.

use super::normalize::Branding;
use super::score::{self, ArticleCandidate, AudioCandidate, Score, Thresholds, VideoCandidate};
use std::collections::BTreeSet;

/// What pairing looks at.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
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
pub enum Kind {
    Audio,
    Video,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Audio => "audio",
            Kind::Video => "video",
        }
    }
}

/// An accepted link between an article and an item (index into the inputs).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub item: usize,
    pub score: Score,
    /// Confirmed with `--accept` rather than decided automatically.
    pub by_hand: bool,
}

/// An article with its audio and, when one was found, its video.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub article: usize,
    pub audio: Link,
    pub video: Option<Link>,
}

impl Pair {
    /// The weaker of the two links: the pair is only as sure as its least sure part.
    pub fn score(&self) -> f64 {
        let audio = self.audio.score.score;
        self.video
            .as_ref()
            .map_or(audio, |v| audio.min(v.score.score))
    }

    /// The evidence, each line prefixed with what it is about.
    pub fn evidence(&self) -> Vec<String> {
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
    pub fn paired_by(&self) -> String {
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
                "{}: {method}: {why} ({:.2})",
                kind.as_str(),
                link.score.score
            ));
        }
        format!("{}; score {:.2}", parts.join("; "), self.score())
    }
}

/// A decision left to a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Ambiguous {
    pub article: usize,
    pub kind: Kind,
    pub reason: String,
    /// Candidate items, best first.
    pub candidates: Vec<(usize, Score)>,
}

/// Something nothing was paired with.
#[derive(Debug, Clone, PartialEq)]
pub enum Unpaired {
    Article { article: usize, reason: String },
    Audio { audio: usize, reason: String },
    Video { video: usize, reason: String },
}

/// The outcome of pairing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub pairs: Vec<Pair>,
    pub ambiguous: Vec<Ambiguous>,
    pub unpaired: Vec<Unpaired>,
}

impl Plan {
    /// Everything was paired and nothing needs a person.
    pub fn is_complete(&self) -> bool {
        self.ambiguous.is_empty() && self.unpaired.is_empty()
    }
}

/// Pairs every article with its audio and video. `accept` holds the slugs a
/// person confirmed: each takes its best remaining candidate, even a close call.
pub fn plan(
    inputs: &Inputs,
    branding: &Branding,
    t: &Thresholds,
    accept: &BTreeSet<String>,
) -> Plan {
    let audio_scores: Vec<Vec<Score>> = inputs
        .articles
        .iter()
        .map(|a| {
            inputs
                .audio
                .iter()
                .map(|x| score::article_audio(a, x, branding, t))
                .collect()
        })
        .collect();
    let video_scores: Vec<Vec<Score>> = inputs
        .articles
        .iter()
        .map(|a| {
            inputs
                .videos
                .iter()
                .map(|v| score::article_video(a, v, branding, t))
                .collect()
        })
        .collect();
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
    let decide = |kind: Kind,
                  scores: &[Vec<Score>],
                  n: usize,
                  kept: &[(usize, usize)],
                  name: &dyn Fn(usize) -> String| {
        let none = vec![false; forced.len()];
        let first = assign(kind, scores, n, kept, &none, t, &slug, name);
        let open: Vec<bool> = (0..forced.len())
            .map(|a| forced[a] && first.ambiguous.iter().any(|x| x.article == a))
            .collect();
        if open.iter().any(|&o| o) {
            assign(kind, scores, n, kept, &open, t, &slug, name)
        } else {
            first
        }
    };
    let audio = decide(
        Kind::Audio,
        &audio_scores,
        inputs.audio.len(),
        &inputs.kept_audio,
        &audio_item,
    );
    let video = decide(
        Kind::Video,
        &video_scores,
        inputs.videos.len(),
        &inputs.kept_video,
        &video_item,
    );

    let mut out = Plan::default();
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
            None if audio.ambiguous.iter().any(|x| x.article == a) => {}
            None => {
                let reason = match &video_link {
                    Some(v) => format!(
                        "no audio file matches (its video would be {})",
                        inputs.videos[v.item].id
                    ),
                    None => "no audio file matches".to_string(),
                };
                out.unpaired.push(Unpaired::Article { article: a, reason });
            }
        }
    }
    out.ambiguous.extend(audio.ambiguous);
    out.ambiguous.extend(video.ambiguous);
    out.ambiguous.sort_by_key(|x| (x.article, x.kind));
    for i in audio.free_items {
        out.unpaired.push(Unpaired::Audio {
            audio: i,
            reason: "no article matches".into(),
        });
    }
    for i in video.free_items {
        out.unpaired.push(Unpaired::Video {
            video: i,
            reason: "no article matches".into(),
        });
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

/// One-to-one assignment of items to articles; `scores[article][item]`.
#[allow(clippy::too_many_arguments)]
fn assign(
    kind: Kind,
    scores: &[Vec<Score>],
    n_items: usize,
    kept: &[(usize, usize)],
    forced: &[bool],
    t: &Thresholds,
    slug: &dyn Fn(usize) -> String,
    item_name: &dyn Fn(usize) -> String,
) -> Assignment {
    let n_articles = scores.len();
    let mut article_free = vec![true; n_articles];
    let mut item_free = vec![true; n_items];
    let mut accepted: Vec<(usize, Link)> = Vec::new();
    let mut ambiguous: Vec<Ambiguous> = Vec::new();

    // 0. Already in an episode manifest: never re-scored.
    for &(a, i) in kept {
        accepted.push((
            a,
            Link {
                item: i,
                score: Score {
                    score: 1.0,
                    explicit: true,
                    weighted: 1.0,
                    evidence: vec![format!("already in episodes/{}/episode.toml", slug(a))],
                },
                by_hand: false,
            },
        ));
        article_free[a] = false;
        item_free[i] = false;
    }

    // 1. Confirmed by a person: the best remaining candidate, if any is worth proposing.
    for a in (0..n_articles).filter(|&a| forced[a]) {
        let best = (0..n_items)
            .filter(|&i| item_free[i] && scores[a][i].score >= t.propose_min)
            .max_by(|&x, &y| {
                scores[a][x]
                    .score
                    .total_cmp(&scores[a][y].score)
                    .then(y.cmp(&x))
            });
        if let Some(i) = best {
            accepted.push((
                a,
                Link {
                    item: i,
                    score: scores[a][i].clone(),
                    by_hand: true,
                },
            ));
            article_free[a] = false;
            item_free[i] = false;
        }
    }

    // 2. Explicit evidence. An item claimed by two articles is a conflict for a person.
    for i in 0..n_items {
        if !item_free[i] {
            continue;
        }
        let claimants: Vec<usize> = (0..n_articles)
            .filter(|&a| article_free[a] && scores[a][i].explicit)
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
                    candidates: candidates(&scores[a], &item_free, t, Some(i)),
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
        let mut claims: Vec<usize> = (0..n_items)
            .filter(|&i| item_free[i] && scores[a][i].explicit)
            .collect();
        if claims.is_empty() {
            continue;
        }
        // Several explicit claims (an article linking two videos): the rest of
        // the evidence must separate them by the margin.
        claims.sort_by(|&x, &y| {
            weighted(&scores[a][y])
                .total_cmp(&weighted(&scores[a][x]))
                .then(x.cmp(&y))
        });
        let clear = claims.len() == 1
            || weighted(&scores[a][claims[0]]) - weighted(&scores[a][claims[1]]) >= t.margin;
        if clear {
            let i = claims[0];
            accepted.push((
                a,
                Link {
                    item: i,
                    score: scores[a][i].clone(),
                    by_hand: false,
                },
            ));
            item_free[i] = false;
        } else {
            let names: Vec<String> = claims.iter().map(|&i| item_name(i)).collect();
            ambiguous.push(Ambiguous {
                article: a,
                kind,
                reason: format!(
                    "the article links {} candidates: {}",
                    claims.len(),
                    names.join(", ")
                ),
                candidates: claims.iter().map(|&i| (i, scores[a][i].clone())).collect(),
            });
            for &i in &claims {
                item_free[i] = false;
            }
        }
        article_free[a] = false;
    }

    // 3. Greedy by descending score over what is left.
    let mut edges: Vec<(usize, usize)> = (0..n_articles)
        .filter(|&a| article_free[a])
        .flat_map(|a| (0..n_items).map(move |i| (a, i)))
        .filter(|&(a, i)| item_free[i] && scores[a][i].score >= t.propose_min)
        .collect();
    edges.sort_by(|&(a, i), &(b, j)| {
        scores[b][j]
            .score
            .total_cmp(&scores[a][i].score)
            .then((a, i).cmp(&(b, j)))
    });
    for (a, i) in edges {
        if !article_free[a] || !item_free[i] {
            continue;
        }
        let s = &scores[a][i];
        let other_items = (0..n_items)
            .filter(|&j| j != i && item_free[j])
            .map(|j| scores[a][j].score);
        let other_articles = (0..n_articles)
            .filter(|&b| b != a && article_free[b])
            .map(|b| scores[b][i].score);
        let runner_up = other_items.chain(other_articles).fold(0.0, f64::max);
        if s.score >= t.auto_accept && s.score - runner_up >= t.margin {
            accepted.push((
                a,
                Link {
                    item: i,
                    score: s.clone(),
                    by_hand: false,
                },
            ));
        } else {
            let reason = if s.score < t.auto_accept {
                format!(
                    "close call: best score {:.2} is below {:.2}",
                    s.score, t.auto_accept
                )
            } else {
                format!(
                    "close call: best score {:.2} is within {:.2} of the runner-up ({runner_up:.2})",
                    s.score, t.margin
                )
            };
            ambiguous.push(Ambiguous {
                article: a,
                kind,
                reason,
                candidates: candidates(&scores[a], &item_free, t, Some(i)),
            });
        }
        article_free[a] = false;
        item_free[i] = false;
    }
    accepted.sort_by_key(|(a, _)| *a);
    // An item offered in an open question waits for that answer rather
    // than being reported as matching nothing.
    let free_items = (0..n_items)
        .filter(|&i| {
            item_free[i]
                && !ambiguous
                    .iter()
                    .any(|x| x.candidates.iter().any(|c| c.0 == i))
        })
        .collect();
    Assignment {
        accepted,
        ambiguous,
        free_items,
    }
}

/// The weighted part of a score, which separates several explicit claims.
fn weighted(s: &Score) -> f64 {
    s.weighted
}

/// Up to three candidates worth showing a person, best first; `first` always included.
fn candidates(
    row: &[Score],
    item_free: &[bool],
    t: &Thresholds,
    first: Option<usize>,
) -> Vec<(usize, Score)> {
    let mut out: Vec<usize> = (0..row.len())
        .filter(|&i| Some(i) == first || (item_free[i] && row[i].score >= t.propose_min))
        .collect();
    out.sort_by(|&x, &y| {
        row[y]
            .score
            .total_cmp(&row[x].score)
            .then((Some(y) == first).cmp(&(Some(x) == first)))
            .then(x.cmp(&y))
    });
    out.truncate(3);
    out.into_iter().map(|i| (i, row[i].clone())).collect()
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
        }
    }

    fn audio(stem: &str, title: Option<&str>) -> AudioCandidate {
        AudioCandidate {
            path: format!("audio/{stem}.mp3").into(),
            slug: super::super::normalize::file_slug(stem),
            title: title.map(str::to_string),
            date: None,
            link_text: vec![],
        }
    }

    fn video(id: &str, title: &str, day: &str) -> VideoCandidate {
        VideoCandidate {
            id: VideoId::parse(id).expect("id"),
            title: Some(title.into()),
            published: date(&format!("{day}T15:00:00Z")),
            description: String::new(),
        }
    }

    fn run(inputs: &Inputs, accept: &[&str]) -> Plan {
        let accept = accept.iter().map(|s| s.to_string()).collect();
        plan(
            inputs,
            &Branding::new(["MentalSpace Therapy"]),
            &Thresholds::default(),
            &accept,
        )
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
            p.pairs[0].paired_by().starts_with(
                "audio: score: slug `grounding-techniques-for-panic` equals the file name"
            ),
            "{}",
            p.pairs[0].paired_by()
        );
        assert!(
            p.pairs[0]
                .paired_by()
                .contains("video: explicit: article embeds or links video Gp4nT8wLqZc (1.00)")
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
    fn same_day_uploads_without_links_are_proposed_not_guessed() {
        let mut inputs = show();
        for a in &mut inputs.articles {
            a.video_ids.clear();
        }
        inputs.videos = vec![
            video(
                "AAAAAAAAAAA",
                "Grounding Techniques for Panic Attacks",
                "2026-05-13",
            ),
            video(
                "BBBBBBBBBBB",
                "Behind the scenes: filming day",
                "2026-05-13",
            ),
        ];
        let p = run(&inputs, &[]);
        let v: Vec<&Ambiguous> = p
            .ambiguous
            .iter()
            .filter(|a| a.kind == Kind::Video)
            .collect();
        assert_eq!(v.len(), 1, "{p:#?}");
        assert_eq!(v[0].article, 0);
        assert_eq!(v[0].candidates[0].0, 0);
        assert!(v[0].reason.contains("below 0.85"), "{}", v[0].reason);
        // The unrelated same-day upload is left alone.
        assert!(p.unpaired.contains(&Unpaired::Video {
            video: 1,
            reason: "no article matches".into()
        }));
        // Accepting the proposal pairs it.
        let p = run(&inputs, &["grounding-techniques-for-panic"]);
        assert_eq!(p.pairs[0].video.as_ref().map(|l| l.item), Some(0));
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
                    reason: "no audio file matches".into()
                },
                Unpaired::Audio {
                    audio: 2,
                    reason: "no article matches".into()
                },
                Unpaired::Video {
                    video: 2,
                    reason: "no article matches".into()
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
}
