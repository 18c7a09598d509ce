//! `mspod pair --explain SLUG`: every signal for one article and its best
//! candidates, and what the plan decided, so any decision can be checked by hand.

use super::plan::{Graphs, Inputs, Plan, Settings, Unpaired};
use super::score::{self, Features, Score};
use crate::error::{Error, Result};
use std::fmt::Write;

/// How many candidates of each kind are shown.
const SHOWN: usize = 5;

pub(crate) fn explain(
    inputs: &Inputs,
    g: &Graphs,
    settings: &Settings,
    plan: &Plan,
    slug: &str,
) -> Result<String> {
    let a = inputs
        .articles
        .iter()
        .position(|x| x.slug == slug)
        .ok_or_else(|| Error::Usage(format!("--explain {slug}: no article has that slug")))?;
    let article = &inputs.articles[a];
    let f = &g.index.features[a];
    let mut out = String::new();
    let _ = writeln!(out, "article {} ({})", article.slug, article.path.display());
    let _ = writeln!(out, "  title    {}", article.title);
    describe(&mut out, f);
    let t = &settings.thresholds;
    let _ = writeln!(
        out,
        "  accepted at score >= {:.2} with a lead of {:.1} nats over every alternative; proposed at >= {:.2}",
        t.auto_accept, t.margin_nats, t.propose_min
    );

    // Every item is scored here, not only the indexed candidates, so a
    // candidate the index missed shows up too.
    let audio: Vec<(String, Score)> = inputs
        .audio
        .iter()
        .zip(&g.audio_features)
        .map(|(x, xf)| {
            let s = score::score(
                f,
                xf,
                score::audio_links(article, x),
                &g.index.weights,
                true,
            );
            (x.path.display().to_string(), s)
        })
        .collect();
    let videos: Vec<(String, Score)> = inputs
        .videos
        .iter()
        .zip(&g.video_features)
        .map(|(v, vf)| {
            let s = score::score(
                f,
                vf,
                score::video_links(article, v),
                &g.index.weights,
                true,
            );
            let title = v.title.as_deref().unwrap_or("(no title)");
            (format!("video {} \"{title}\"", v.id), s)
        })
        .collect();
    for (kind, list) in [("audio", audio), ("video", videos)] {
        let mut list = list;
        list.sort_by(|x, y| {
            y.1.explicit
                .cmp(&x.1.explicit)
                .then(y.1.llr.total_cmp(&x.1.llr))
                .then(x.0.cmp(&y.0))
        });
        let _ = writeln!(out, "{kind} candidates (best {SHOWN} of {}):", list.len());
        for (name, s) in list.iter().take(SHOWN) {
            let _ = writeln!(
                out,
                "  {name}  score {:.3}  ({:+.1} nats{})",
                s.score,
                s.llr,
                if s.explicit { ", explicit" } else { "" }
            );
            for e in &s.evidence {
                let _ = writeln!(out, "      - {e}");
            }
        }
    }
    let _ = writeln!(out, "decision: {}", decision(inputs, plan, a));
    Ok(out)
}

fn describe(out: &mut String, f: &Features) {
    for (source, n) in &f.names {
        let _ = writeln!(out, "  {:<8} words `{}`", format!("{source:?}"), n.key());
    }
    let stems: Vec<&str> = f.stems.iter().map(String::as_str).collect();
    let _ = writeln!(out, "  stems    {}", stems.join(" "));
    if let Some((e, _)) = f.episode {
        let _ = writeln!(out, "  episode  {e}");
    }
    if let Some(p) = f.part {
        let _ = writeln!(out, "  part     {p}");
    }
    if let Some(d) = f.date {
        let _ = writeln!(out, "  date     {d}");
    }
}

fn decision(inputs: &Inputs, plan: &Plan, a: usize) -> String {
    if let Some(p) = plan.pairs.iter().find(|p| p.article == a) {
        let video = p
            .video
            .as_ref()
            .map(|v| format!(" and video {}", inputs.videos[v.item].id))
            .unwrap_or_default();
        return format!(
            "paired with {}{video} (score {:.3})",
            inputs.audio[p.audio.item].path.display(),
            p.score()
        );
    }
    let open: Vec<String> = plan
        .ambiguous
        .iter()
        .filter(|x| x.article == a)
        .map(|x| format!("{} left open: {}", x.kind.as_str(), x.reason))
        .collect();
    if !open.is_empty() {
        return open.join("; ");
    }
    for u in &plan.unpaired {
        if let Unpaired::Article {
            article, reason, ..
        } = u
            && *article == a
        {
            return format!("unpaired: {reason}");
        }
    }
    "nothing decided".into()
}
