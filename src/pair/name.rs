//! What a name or title says about an episode: its content words, episode
//! and part numbers, a date, and whether it marks a trailer or outtake.
//!
//! Real archives name files `ep08_Grounding_Panic_FINAL_v2.mp3`,
//! `GroundingTechniquesForPanic.mp3` or `2026-05-13 grounding (master).wav`.
//! Everything that is production noise (`final`, `v2`, `master`, `128k`…),
//! numbering or a date is taken out of the words and kept as its own signal,
//! so the words that are left can be compared with the article's.

use super::normalize::fold;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// Words of a production workflow, never of an episode's subject.
pub(crate) const NOISE_WORDS: &[&str] = &[
    "final",
    "finalfinal",
    "edit",
    "edited",
    "master",
    "mastered",
    "remaster",
    "mix",
    "mixed",
    "mixdown",
    "mono",
    "stereo",
    "clean",
    "uncut",
    "copy",
    "export",
    "bounce",
    "fixed",
    "new",
    "kbps",
    "hq",
    "mp3",
    "wav",
    "m4a",
    "audio",
    "version",
    "ver",
    "rev",
    "take",
    "draft",
    "rough",
    "full",
];

/// Words that make a recording or video something other than the episode.
const DECOY_WORDS: &[(&str, &str)] = &[
    ("trailer", "trailer"),
    ("teaser", "teaser"),
    ("promo", "promo"),
    ("preview", "preview"),
    ("outtake", "outtakes"),
    ("outtakes", "outtakes"),
    ("blooper", "bloopers"),
    ("bloopers", "bloopers"),
    ("highlights", "highlights"),
    ("bts", "behind the scenes"),
];

/// Words that carry no identity (compared after noise is removed).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "in", "is", "it", "its", "of", "on",
    "or", "the", "to", "with", "you", "your", "s", "t",
];

const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("i", 1),
    ("ii", 2),
    ("iii", 3),
    ("iv", 4),
];

/// What a name says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Name {
    /// Every word left after numbering, dates and noise, in order (stop words kept):
    /// `2026-05-13_Grounding-for-Panic_FINAL` → `grounding for panic`.
    pub words: Vec<String>,
    /// The content words, stemmed, without stop words: what overlap is measured on.
    pub stems: BTreeSet<String>,
    pub episode: Option<u32>,
    pub part: Option<u32>,
    pub date: Option<NaiveDate>,
    /// `trailer`, `outtakes`…: the name marks something other than an episode.
    pub decoy: Option<&'static str>,
}

impl Name {
    /// The words joined with `-`: comparable with a slug.
    pub(crate) fn key(&self) -> String {
        self.words.join("-")
    }
}

/// Splits CamelCase (`GroundingForPanic`, `EP08Final`) and folds to lower-case ASCII words.
/// `#12` becomes `ep 12`; apostrophes vanish (`can't` → `cant`).
pub(crate) fn raw_words(text: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c.is_uppercase()
            && let Some(p) = prev
            && (p.is_lowercase()
                || p.is_ascii_digit()
                || (p.is_uppercase() && next.is_some_and(char::is_lowercase)))
        {
            spaced.push(' ');
        }
        if c == '#' && next.is_some_and(|n| n.is_ascii_digit()) {
            spaced.push_str(" ep ");
            continue;
        }
        spaced.push(c);
    }
    fold(&spaced.replace('&', " and "))
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn number(w: &str) -> Option<u32> {
    if !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        w.parse().ok()
    } else {
        None
    }
}

fn digits(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

/// `ep12`, `e12`, `episode12`, `s01e12` → 12.
fn episode_token(w: &str) -> Option<u32> {
    for prefix in ["episode", "ep", "e"] {
        if let Some(rest) = w.strip_prefix(prefix)
            && digits(rest)
        {
            return number(rest);
        }
    }
    let rest = w.strip_prefix('s')?;
    let (season, ep) = rest.split_once('e')?;
    (digits(season) && digits(ep)).then(|| number(ep)).flatten()
}

/// `v2`, `128k`, `320kbps`, `take3`: production noise with a number in it.
fn numbered_noise(w: &str) -> bool {
    let strip = |p: &str| w.strip_prefix(p).is_some_and(digits);
    strip("v")
        || strip("take")
        || strip("rev")
        || w.strip_suffix("kbps").is_some_and(digits)
        || w.strip_suffix('k').is_some_and(digits)
}

fn date_of(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    if y.len() != 4 || !digits(y) || !digits(m) || !digits(d) || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    if !(1990..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

/// A crude English stem: plural `s`/`es`/`ies`, so `attacks` meets `attack`.
pub(crate) fn stem(w: &str) -> String {
    if w.len() > 4
        && let Some(s) = w.strip_suffix("ies")
    {
        return format!("{s}y");
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Reads a file name: a leading number is an episode number (`012-first-session`).
pub(crate) fn parse_file(text: &str, extra_noise: &[String]) -> Name {
    parse(text, extra_noise, true)
}

/// Reads a title: a leading number is a word ("5 Ways to Calm Down") unless
/// zero-padded; episode numbers need a marker (`Ep. 7`, `#7`, `Episode 7`).
pub(crate) fn parse_title(text: &str, extra_noise: &[String]) -> Name {
    parse(text, extra_noise, false)
}

/// Reads a name or title. `extra_noise` comes from `[pairing] noise_words`.
fn parse(text: &str, extra_noise: &[String], file_name: bool) -> Name {
    let words = raw_words(text);
    let mut out = Name::default();
    let noise = |w: &str| NOISE_WORDS.contains(&w) || extra_noise.iter().any(|n| n == w);
    let mut i = 0;
    let mut kept: Vec<String> = Vec::new();
    while i < words.len() {
        let w = words[i].as_str();
        let next = words.get(i + 1).map(String::as_str);
        // Dates: 2026-05-13, 2026_05_13, 20260513.
        if let (Some(m), Some(d)) = (next, words.get(i + 2))
            && let Some(date) = date_of(w, m, d)
        {
            out.date.get_or_insert(date);
            i += 3;
            continue;
        }
        if w.len() == 8
            && digits(w)
            && let Some(date) = date_of(&w[..4], &w[4..6], &w[6..])
        {
            out.date.get_or_insert(date);
            i += 1;
            continue;
        }
        if matches!(w, "ep" | "episode" | "e" | "no" | "eps")
            && let Some(n) = next.and_then(number)
        {
            out.episode.get_or_insert(n);
            i += 2;
            continue;
        }
        if let Some(n) = episode_token(w) {
            out.episode.get_or_insert(n);
            i += 1;
            continue;
        }
        if matches!(w, "part" | "pt") {
            let n = next.and_then(|x| {
                number(x).or_else(|| NUMBER_WORDS.iter().find(|(k, _)| *k == x).map(|p| p.1))
            });
            if let Some(n) = n {
                out.part = Some(n);
                i += 2;
                continue;
            }
        }
        if let Some(rest) = w.strip_prefix("part").or_else(|| w.strip_prefix("pt"))
            && let Some(n) = number(rest)
        {
            out.part = Some(n);
            i += 1;
            continue;
        }
        if numbered_noise(w) || noise(w) {
            i += 1;
            continue;
        }
        if let Some((_, kind)) = DECOY_WORDS.iter().find(|(k, _)| *k == w) {
            out.decoy.get_or_insert(kind);
            i += 1;
            continue;
        }
        if w == "behind"
            && next == Some("the")
            && words.get(i + 2).map(String::as_str) == Some("scenes")
        {
            out.decoy.get_or_insert("behind the scenes");
            i += 3;
            continue;
        }
        // A short number first is an episode number: `012_first_session`.
        if kept.is_empty()
            && out.episode.is_none()
            && w.len() <= 3
            && digits(w)
            && (file_name || w.starts_with('0'))
            && i + 1 < words.len()
        {
            out.episode = number(w);
            i += 1;
            continue;
        }
        kept.push(w.to_string());
        i += 1;
    }
    out.stems = kept
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| stem(w))
        .collect();
    out.words = kept;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Name {
        parse_file(s, &[])
    }

    #[test]
    fn camel_case_spaces_and_underscores_give_the_same_words() {
        for name in [
            "GroundingTechniquesForPanic",
            "grounding_techniques_for_panic",
            "Grounding Techniques for Panic",
            "grounding-techniques-for-panic",
        ] {
            assert_eq!(p(name).key(), "grounding-techniques-for-panic", "{name}");
        }
        assert_eq!(
            raw_words("EP08Final MP3File"),
            ["ep08", "final", "mp3", "file"]
        );
    }

    #[test]
    fn production_noise_is_not_a_word() {
        let n = p("ep08_Grounding_Panic_FINAL_v2 (master) 128k mono CLEAN uncut copy");
        assert_eq!(n.key(), "grounding-panic");
        assert_eq!(n.episode, Some(8));
        let custom = parse_file("grounding panic bouncedown", &["bouncedown".to_string()]);
        assert_eq!(custom.key(), "grounding-panic");
    }

    #[test]
    fn episode_numbers_in_every_spelling() {
        for (name, ep) in [
            ("ep08 grounding", 8),
            ("Ep. 7: Grounding", 7),
            ("#12 — Grounding", 12),
            ("Episode 12 - Grounding", 12),
            ("S01E05_grounding", 5),
            ("012-first-session", 12),
        ] {
            assert_eq!(p(name).episode, Some(ep), "{name}");
            assert!(p(name).words.iter().all(|w| !digits(w)), "{name}");
        }
        assert_eq!(p("5 ways to calm down").episode, Some(5));
        let title = parse_title("5 Ways to Calm Down", &[]);
        assert_eq!(
            (title.episode, title.key().as_str()),
            (None, "5-ways-to-calm-down")
        );
        assert_eq!(parse_title("07. Calm Down", &[]).episode, Some(7));
        assert_eq!(p("grounding").episode, None);
    }

    #[test]
    fn dates_parts_and_decoys_are_their_own_signals() {
        let n = p("2026-05-13 Grounding Part 2");
        assert_eq!(n.date, NaiveDate::from_ymd_opt(2026, 5, 13));
        assert_eq!((n.part, n.key().as_str()), (Some(2), "grounding"));
        assert_eq!(
            p("20260513_grounding").date,
            NaiveDate::from_ymd_opt(2026, 5, 13)
        );
        assert_eq!(p("Grounding, Pt. One").part, Some(1));
        assert_eq!(p("grounding-teaser").decoy, Some("teaser"));
        assert_eq!(
            p("Behind the scenes: filming").decoy,
            Some("behind the scenes")
        );
        assert_eq!(p("grounding").decoy, None);
    }

    #[test]
    fn stems_meet_plurals_and_drop_stop_words() {
        let n = p("Grounding Techniques for Panic Attacks");
        let stems: Vec<&str> = n.stems.iter().map(String::as_str).collect();
        assert_eq!(stems, ["attack", "grounding", "panic", "technique"]);
        assert_eq!(stem("stories"), "story");
        assert_eq!(stem("stress"), "stress");
    }
}
