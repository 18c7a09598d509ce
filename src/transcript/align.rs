//! Chapters from the transcript and the article's outline.
//!
//! The spoken episode paraphrases the article section by section, so each cue
//! is compared with each section (TF-IDF cosine on stemmed words, stop words
//! removed, IDF over the sections) and a monotonic dynamic-programming pass
//! assigns every cue to a section: cues only ever move forward through the
//! article, sections may be skipped (not every section is spoken), and entering
//! a section costs a small penalty so noise does not open chapters. A chapter
//! starts at the first cue of its section's run.
//!
//! Confidence per boundary is the mean similarity margin of the cues on either
//! side (how much better each side matches its own section than the other).
//! A transcript that does not follow the article (another episode's, say)
//! gets no chapters and the reason, never a made-up list.

use super::Cue;
use std::collections::BTreeMap;

/// One candidate section: what it is called, where it links, what it says.
#[derive(Debug, Clone)]
pub struct SectionText {
    pub title: String,
    /// The article anchor (`None` for the introduction).
    pub anchor: Option<String>,
    pub text: String,
}

/// A derived chapter: the section it starts, when, and how sure the boundary is.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// Index into the sections given to [`align`].
    pub section: usize,
    pub start: f64,
    /// Mean similarity margin at the boundary (1 for the first chapter).
    pub confidence: f64,
}

/// The result: chapters, or why there are none.
#[derive(Debug, Clone, PartialEq)]
pub enum Alignment {
    Chapters {
        boundaries: Vec<Boundary>,
        /// Boundaries left out for low confidence, as messages.
        dropped: Vec<String>,
        /// Mean cosine of each chapter's transcript text with its section.
        match_score: f64,
    },
    Rejected(String),
}

/// Cost of opening a section, in units of cue similarity.
const ENTER_PENALTY: f64 = 0.15;
/// Extra cost per section skipped: episodes mostly follow their article.
const SKIP_PENALTY: f64 = 0.1;
/// Shorter cues are joined with the next (word-level transcripts).
const MIN_UNIT_WORDS: usize = 4;
/// Words of speech on each side of a boundary that its confidence looks at.
const MARGIN_WORDS: usize = 25;
/// A boundary whose margin is below this is not trusted.
pub const MIN_CONFIDENCE: f64 = 0.1;
/// Below this mean chapter/section similarity the transcript does not follow the article.
/// Measured (README): 0.43–0.65 for transcripts of their own article, 0.16–0.28
/// for another episode's transcript against a same-topic article.
pub const MIN_MATCH: f64 = 0.35;
/// Below this median boundary confidence the sections are not told apart
/// (measured: 0.36–0.60 own article, 0.12–0.15 another episode's).
pub const MIN_MEDIAN_CONFIDENCE: f64 = 0.22;

/// Aligns cues with sections (in article order).
pub fn align(sections: &[SectionText], cues: &[Cue]) -> Alignment {
    if cues.is_empty() || sections.len() < 2 {
        return Alignment::Rejected(format!(
            "{} cue(s) and {} article section(s): nothing to align",
            cues.len(),
            sections.len()
        ));
    }
    // Word-level transcripts (JSON allows a segment per word) are compared in
    // phrases: too few words carry no signal.
    let units = units(cues);
    let cues = units.as_slice();
    let space = Space::new(sections);
    let section_vecs: Vec<Vec<(usize, f64)>> =
        sections.iter().map(|s| space.vector(&s.text)).collect();
    let cue_vecs: Vec<Vec<(usize, f64)>> = cues.iter().map(|c| space.vector(&c.text)).collect();
    let sim: Vec<Vec<f64>> = section_vecs
        .iter()
        .map(|s| cue_vecs.iter().map(|c| dot(s, c)).collect())
        .collect();
    let assign = monotonic(&sim, cues.len());

    // Runs: (section, first cue, last cue).
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for (c, &s) in assign.iter().enumerate() {
        match runs.last_mut() {
            Some(r) if r.0 == s => r.2 = c,
            _ => runs.push((s, c, c)),
        }
    }
    let run_text = |r: &(usize, usize, usize)| {
        cues[r.1..=r.2]
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let match_score = runs
        .iter()
        .map(|r| dot(&section_vecs[r.0], &space.vector(&run_text(r))))
        .sum::<f64>()
        / runs.len() as f64;
    if match_score < MIN_MATCH {
        return Alignment::Rejected(format!(
            "the transcript does not follow the article: its passages match the article's sections with similarity {match_score:.2} on average (at least {MIN_MATCH:.2} needed); is it this episode's transcript?"
        ));
    }

    let mut boundaries = vec![Boundary {
        section: runs[0].0,
        start: cues[runs[0].1].start,
        confidence: 1.0,
    }];
    let mut dropped = Vec::new();
    for pair in runs.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // About MARGIN_WORDS of speech on each side of the boundary, as one text each.
        let before = near_boundary(cues[a.1..=a.2].iter().rev())
            .rev()
            .collect::<Vec<_>>();
        let after = near_boundary(cues[b.1..=b.2].iter()).collect::<Vec<_>>();
        let (va, vb) = (
            space.vector(&before.join(" ")),
            space.vector(&after.join(" ")),
        );
        let (sa, sb) = (&section_vecs[a.0], &section_vecs[b.0]);
        let confidence = (dot(sa, &va) - dot(sb, &va) + dot(sb, &vb) - dot(sa, &vb)) / 2.0;
        if confidence < MIN_CONFIDENCE {
            dropped.push(format!(
                "\"{}\" at {} (confidence {confidence:.2}, at least {MIN_CONFIDENCE:.2} needed)",
                sections[b.0].title,
                super::clock(cues[b.1].start)
            ));
            continue;
        }
        boundaries.push(Boundary {
            section: b.0,
            start: cues[b.1].start,
            confidence,
        });
    }
    let mut margins: Vec<f64> = boundaries.iter().skip(1).map(|b| b.confidence).collect();
    margins.sort_by(f64::total_cmp);
    let median = margins.get(margins.len() / 2).copied().unwrap_or(0.0);
    if !margins.is_empty() && median < MIN_MEDIAN_CONFIDENCE {
        return Alignment::Rejected(format!(
            "the article's sections are not told apart in the transcript: median boundary confidence {median:.2} (at least {MIN_MEDIAN_CONFIDENCE:.2} needed); is it this episode's transcript?"
        ));
    }
    if boundaries.len() < 2 || dropped.len() * 2 > runs.len() {
        return Alignment::Rejected(format!(
            "only {} of the article's sections could be placed in the transcript with confidence ({} unsure: {})",
            boundaries.len(),
            dropped.len(),
            dropped.join("; ")
        ));
    }
    Alignment::Chapters {
        boundaries,
        dropped,
        match_score,
    }
}

/// The texts of cues, in the given order, until they hold MARGIN_WORDS words.
fn near_boundary<'a>(
    cues: impl Iterator<Item = &'a Cue>,
) -> impl DoubleEndedIterator<Item = &'a str> {
    let mut words = 0;
    let mut out = Vec::new();
    for c in cues {
        if words >= MARGIN_WORDS {
            break;
        }
        words += c.text.split_whitespace().count();
        out.push(c.text.as_str());
    }
    out.into_iter()
}

/// Cues of fewer than [`MIN_UNIT_WORDS`] words joined with the ones after
/// them (same speaker), so that every unit has a few words to compare.
fn units(cues: &[Cue]) -> Vec<Cue> {
    let mut out: Vec<Cue> = Vec::new();
    let mut open = false;
    for c in cues {
        match out.last_mut() {
            Some(u) if open && u.speaker == c.speaker => {
                u.text.push(' ');
                u.text.push_str(&c.text);
                u.end = c.end;
            }
            _ => out.push(c.clone()),
        }
        open = out
            .last()
            .is_some_and(|u| u.text.split_whitespace().count() < MIN_UNIT_WORDS);
    }
    out
}

/// Best monotonic assignment of cues to sections (Viterbi over "stay" and
/// "advance to any later section"). Ties keep the current section.
fn monotonic(sim: &[Vec<f64>], n: usize) -> Vec<usize> {
    let k = sim.len();
    let mut score = vec![vec![f64::NEG_INFINITY; k]; n];
    let mut from = vec![vec![0usize; k]; n];
    // Opening at section s skips the s sections before it.
    for s in 0..k {
        score[0][s] = sim[s][0] - ENTER_PENALTY - SKIP_PENALTY * s as f64;
        from[0][s] = s;
    }
    for c in 1..n {
        // max over s' < s of score[s'] + SKIP·s', so that advancing from s' to s
        // costs ENTER + SKIP·(s − s' − 1): a running maximum, O(k) per cue.
        let mut best_prev = f64::NEG_INFINITY;
        let mut best_prev_at = 0;
        for s in 0..k {
            let stay = score[c - 1][s];
            let advance = best_prev - SKIP_PENALTY * (s as f64 - 1.0) - ENTER_PENALTY;
            if stay >= advance {
                score[c][s] = stay + sim[s][c];
                from[c][s] = s;
            } else {
                score[c][s] = advance + sim[s][c];
                from[c][s] = best_prev_at;
            }
            let carried = score[c - 1][s] + SKIP_PENALTY * s as f64;
            if carried > best_prev {
                best_prev = carried;
                best_prev_at = s;
            }
        }
    }
    let mut s = (0..k)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut out = vec![0; n];
    for c in (0..n).rev() {
        out[c] = s;
        s = from[c][s];
    }
    // A cue with nothing in common with the section before a boundary is a
    // transition ("Here is the short version."): it opens the next section.
    for c in (1..n).rev() {
        if out[c] != out[c - 1] {
            let (a, b) = (out[c - 1], out[c]);
            let mut at = c;
            while at > 1 && out[at - 2] == a && sim[a][at - 1] <= 0.0 {
                at -= 1;
            }
            for x in out.iter_mut().take(c).skip(at) {
                *x = b;
            }
        }
    }
    out
}

/// TF-IDF over the sections' vocabulary.
struct Space {
    ids: BTreeMap<String, usize>,
    idf: Vec<f64>,
}

impl Space {
    fn new(sections: &[SectionText]) -> Space {
        let mut ids = BTreeMap::new();
        let mut df: Vec<f64> = Vec::new();
        for s in sections {
            let mut seen: Vec<usize> = terms(&s.text)
                .into_iter()
                .map(|t| {
                    let next = ids.len();
                    let id = *ids.entry(t).or_insert(next);
                    if id == df.len() {
                        df.push(0.0);
                    }
                    id
                })
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for id in seen {
                df[id] += 1.0;
            }
        }
        let n = sections.len() as f64;
        let idf = df
            .iter()
            .map(|d| ((n + 1.0) / (d + 1.0)).ln() + 1.0)
            .collect();
        Space { ids, idf }
    }

    /// Unit-length TF-IDF vector (sublinear TF), sorted by term id.
    fn vector(&self, text: &str) -> Vec<(usize, f64)> {
        let mut counts: BTreeMap<usize, f64> = BTreeMap::new();
        for t in terms(text) {
            if let Some(&id) = self.ids.get(&t) {
                *counts.entry(id).or_default() += 1.0;
            }
        }
        let mut v: Vec<(usize, f64)> = counts
            .into_iter()
            .map(|(id, n)| (id, (1.0 + n.ln()) * self.idf[id]))
            .collect();
        let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, x) in &mut v {
                *x /= norm;
            }
        }
        v
    }
}

fn dot(a: &[(usize, f64)], b: &[(usize, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does",
    "doing", "don't", "down", "each", "even", "every", "few", "for", "from", "get", "gets", "go",
    "goes", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "it's", "its", "just", "let", "like", "may", "me", "might", "more", "most",
    "much", "my", "no", "not", "now", "of", "off", "often", "on", "once", "one", "only", "or",
    "other", "our", "out", "over", "really", "so", "some", "still", "such", "than", "that",
    "that's", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "too", "up", "us", "very", "was", "way", "we", "were", "what", "when", "where", "which",
    "while", "who", "why", "will", "with", "would", "yes", "you", "you're", "your", "yours",
];

/// Lower-cased, stemmed content words.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
        .filter(|w| w.len() > 2 || w.bytes().all(|b| b.is_ascii_digit()))
        .map(|w| stem(&w))
        .collect()
}

/// A light suffix stripper (Porter-like, English): enough to make "breathing",
/// "breathe" and "breaths" one term. Never shortens a word below three letters.
pub fn stem(word: &str) -> String {
    let mut w = word.strip_suffix("'s").unwrap_or(word).to_string();
    const RULES: &[(&str, &str)] = &[
        ("ational", "ate"),
        ("ization", "ize"),
        ("fulness", "ful"),
        ("iveness", "ive"),
        ("ousness", "ous"),
        ("ations", "ate"),
        ("ation", "ate"),
        ("ingly", ""),
        ("ments", ""),
        ("ment", ""),
        ("ness", ""),
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ers", ""),
        ("er", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
    ];
    for (suffix, replacement) in RULES {
        if let Some(base) = w.strip_suffix(suffix)
            && base.chars().count() >= 3
            && !(suffix == &"s" && base.ends_with('s'))
        {
            w = format!("{base}{replacement}");
            break;
        }
    }
    if w.chars().count() > 3 && w.ends_with('e') {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_join_word_forms() {
        assert_eq!(stem("breathing"), stem("breathe"));
        assert_eq!(stem("breaths"), stem("breath"));
        assert_eq!(stem("therapies"), stem("therapy"));
        assert_eq!(stem("practiced"), stem("practice"));
        assert_eq!(stem("glass"), "glass");
    }

    fn cue(start: f64, text: &str) -> Cue {
        Cue {
            start,
            end: start + 1.0,
            speaker: None,
            text: text.into(),
            line: 1,
        }
    }

    fn section(title: &str, text: &str) -> SectionText {
        SectionText {
            title: title.into(),
            anchor: Some(title.to_lowercase()),
            text: format!("{title}. {text}"),
        }
    }

    #[test]
    fn cues_follow_the_sections_they_paraphrase() {
        let sections = [
            section(
                "Sleep",
                "Good sleep needs a dark, cool bedroom and a regular bedtime.",
            ),
            section(
                "Exercise",
                "Walking daily and lifting weights strengthen the heart.",
            ),
            section(
                "Food",
                "Vegetables, fruit and whole grains feed the gut bacteria.",
            ),
        ];
        let cues = [
            cue(0.0, "Let's talk about sleep."),
            cue(
                3.0,
                "Keep your bedroom dark and cool, and keep a regular bedtime.",
            ),
            cue(7.0, "Next, exercise: a daily walk is enough to start."),
            cue(11.0, "Lifting weights also strengthens your heart."),
            cue(15.0, "Finally food: eat vegetables and whole grains."),
            cue(19.0, "Your gut bacteria love fruit."),
        ];
        let Alignment::Chapters { boundaries, .. } = align(&sections, &cues) else {
            panic!("expected chapters");
        };
        let starts: Vec<(usize, f64)> = boundaries.iter().map(|b| (b.section, b.start)).collect();
        assert_eq!(starts, vec![(0, 0.0), (1, 7.0), (2, 15.0)]);
    }

    #[test]
    fn unrelated_text_is_rejected() {
        let sections = [
            section(
                "Sleep",
                "Good sleep needs a dark, cool bedroom and a regular bedtime.",
            ),
            section(
                "Exercise",
                "Walking daily and lifting weights strengthen the heart.",
            ),
        ];
        let cues = [
            cue(0.0, "Taxes are due in April."),
            cue(3.0, "Keep receipts for deductions."),
        ];
        assert!(matches!(align(&sections, &cues), Alignment::Rejected(_)));
    }
}
