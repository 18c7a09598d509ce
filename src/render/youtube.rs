//! `youtube-description.txt`: plain text for the video's description box.
//!
//! YouTube's rules: at most 5000 bytes, no `<` or `>`, and a chapter list is
//! only recognised when it starts at 0:00, has at least three entries and each
//! lasts at least 10 seconds.

use super::blocks::{blocks_text, inlines_text};
use super::chapters::timestamp;
use super::help;
use super::notes::crisis_lines;
use crate::model::{Chapter, Episode, Show};

pub(super) const MAX_BYTES: usize = 5000;
const MIN_CHAPTER_SECONDS: f64 = 10.0;

/// Why YouTube would ignore these chapters, if it would.
pub(super) fn chapter_problem(chapters: &[Chapter], duration: f64) -> Option<String> {
    let first = chapters.first()?;
    if first.start != 0.0 {
        return Some(format!(
            "the first chapter starts at {}, not 0:00",
            timestamp(first.start)
        ));
    }
    if chapters.len() < 3 {
        return Some(format!(
            "{} chapters; YouTube needs at least 3",
            chapters.len()
        ));
    }
    let ends = chapters.iter().skip(1).map(|c| c.start).chain([duration]);
    for (c, end) in chapters.iter().zip(ends) {
        if end - c.start < MIN_CHAPTER_SECONDS {
            return Some(format!(
                "chapter \"{}\" lasts under {MIN_CHAPTER_SECONDS} seconds",
                c.title
            ));
        }
    }
    None
}

/// The chapters as YouTube can take them: a chapter shorter than the minimum is
/// joined with a neighbour. A short opening gives way to the next chapter, which
/// then starts at 0:00; a short chapter in the middle runs on over the next one;
/// a short last chapter joins the one before it. The feed and the notes keep every
/// chapter; only the description's list is fitted.
pub(super) fn youtube_chapters(chapters: &[Chapter], duration: f64) -> Vec<Chapter> {
    let mut list: Vec<Chapter> = chapters.to_vec();
    loop {
        let ends: Vec<f64> = list
            .iter()
            .skip(1)
            .map(|c| c.start)
            .chain([duration])
            .collect();
        let Some(short) = list
            .iter()
            .zip(&ends)
            .position(|(c, end)| end - c.start < MIN_CHAPTER_SECONDS)
        else {
            break;
        };
        if list.len() < 2 {
            break;
        }
        if short == 0 {
            let start = list[0].start;
            list.remove(0);
            list[0].start = start;
        } else if short + 1 < list.len() {
            list.remove(short + 1);
        } else {
            list.remove(short);
        }
    }
    list
}

pub(super) fn description(show: &Show, ep: &Episode, warnings: &mut Vec<String>) -> String {
    let fitted = youtube_chapters(&ep.chapters, ep.duration);
    let chapters = match chapter_problem(&fitted, ep.duration) {
        Some(why) => {
            warnings.push(format!(
                "{}: chapters left out of the YouTube description: {why}",
                ep.slug
            ));
            Vec::new()
        }
        None => fitted,
    };
    let full = compose(show, ep, &chapters, usize::MAX, usize::MAX);
    let text =
        [(5, 5), (3, 3), (3, 0), (0, 0)]
            .into_iter()
            .fold(full, |text, (takeaways, refs)| {
                if text.len() <= MAX_BYTES {
                    text
                } else {
                    compose(show, ep, &chapters, takeaways, refs)
                }
            });
    if text.len() > MAX_BYTES {
        warnings.push(format!(
            "{}: the YouTube description is {} bytes (limit {MAX_BYTES})",
            ep.slug,
            text.len()
        ));
    }
    text
}

fn compose(
    show: &Show,
    ep: &Episode,
    chapters: &[Chapter],
    takeaways: usize,
    refs: usize,
) -> String {
    let base = ep.link.as_str();
    let mut parts = vec![blocks_text(&ep.summary, base)];
    // Help first: YouTube shows two or three lines above "…more".
    let help_line = help::help_line(ep);
    if let Some(line) = &help_line {
        parts.push(help::text(line));
    }
    if let Some(d) = &show.config.disclaimer {
        parts.push(d.clone());
    }
    parts.push(format!(
        "Read the full article: {}\nListen to the podcast episode: {}\nThe podcast: {}",
        ep.link, ep.notes_url, show.config.link
    ));
    if !chapters.is_empty() {
        let lines: Vec<String> = chapters
            .iter()
            .map(|c| format!("{} {}", timestamp(c.start), c.title))
            .collect();
        parts.push(format!("Chapters:\n{}", lines.join("\n")));
    }
    let items = ep.takeaways();
    if !items.is_empty() && takeaways > 0 {
        let lines: Vec<String> = items
            .iter()
            .take(takeaways)
            .map(|t| format!("- {}", inlines_text(t, base)))
            .collect();
        parts.push(format!("Key takeaways:\n{}", lines.join("\n")));
    }
    if !ep.article.references.is_empty() && refs > 0 {
        let lines: Vec<String> = ep
            .article
            .references
            .iter()
            .take(refs)
            .map(|r| match &r.url {
                Some(u) => format!("- {} {u}", r.text),
                None => format!("- {}", r.text),
            })
            .collect();
        parts.push(format!("Sources:\n{}", lines.join("\n")));
    }
    let crisis: Vec<_> = crisis_lines(ep).into_iter().cloned().collect();
    if help_line.is_none() && !crisis.is_empty() {
        parts.push(blocks_text(&crisis, base));
    }
    let mut text = parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    text.push('\n');
    // YouTube rejects angle brackets anywhere in a description.
    text.replace('<', "‹").replace('>', "›")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(start: f64) -> Chapter {
        Chapter {
            start,
            title: format!("at {start}"),
            url: None,
        }
    }

    #[test]
    fn short_chapters_are_folded_into_their_neighbours_for_youtube() {
        let starts = |l: &[Chapter]| l.iter().map(|c| c.start).collect::<Vec<_>>();
        let titles = |l: &[Chapter]| l.iter().map(|c| c.title.clone()).collect::<Vec<_>>();
        // A 7 s introduction: the first section starts at 0:00 instead.
        let fitted = youtube_chapters(&[ch(0.0), ch(7.0), ch(30.0), ch(50.0)], 70.0);
        assert_eq!(starts(&fitted), [0.0, 30.0, 50.0]);
        assert_eq!(titles(&fitted), ["at 7", "at 30", "at 50"]);
        assert!(chapter_problem(&fitted, 70.0).is_none());
        // A short one in the middle runs on over the next; a short last one joins the one before.
        let fitted = youtube_chapters(&[ch(0.0), ch(20.0), ch(25.0), ch(40.0), ch(65.0)], 70.0);
        assert_eq!(starts(&fitted), [0.0, 20.0, 40.0]);
        // Nothing to fold: unchanged.
        let ok = [ch(0.0), ch(20.0), ch(40.0)];
        assert_eq!(starts(&youtube_chapters(&ok, 60.0)), [0.0, 20.0, 40.0]);
        // Too short to keep three: YouTube's rule still says no.
        let fitted = youtube_chapters(&[ch(0.0), ch(5.0), ch(12.0)], 20.0);
        assert!(chapter_problem(&fitted, 20.0).is_some());
    }

    #[test]
    fn youtube_chapter_rules() {
        assert_eq!(chapter_problem(&[], 100.0), None);
        assert!(chapter_problem(&[ch(0.0), ch(20.0), ch(40.0)], 60.0).is_none());
        assert!(
            chapter_problem(&[ch(1.0), ch(20.0), ch(40.0)], 60.0)
                .is_some_and(|w| w.contains("0:00"))
        );
        assert!(
            chapter_problem(&[ch(0.0), ch(20.0)], 60.0).is_some_and(|w| w.contains("at least 3"))
        );
        assert!(
            chapter_problem(&[ch(0.0), ch(5.0), ch(40.0)], 60.0)
                .is_some_and(|w| w.contains("under 10"))
        );
        assert!(
            chapter_problem(&[ch(0.0), ch(20.0), ch(55.0)], 60.0)
                .is_some_and(|w| w.contains("at 55"))
        );
    }
}
