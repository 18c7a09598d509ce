//! Text normalisation for pairing: slugs, titles without show branding, and
//! title similarity.
//!
//! Titles of the same episode differ between the article, the ID3 tag and the
//! YouTube upload mostly by case, accents, punctuation and branding
//! ("Ep. 12:", "| MentalSpace Therapy", "(… podcast)"). Everything here is a
//! pure function so the scoring can be tested without files.

use std::collections::BTreeSet;

/// Words that carry no identity in an episode title.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "what", "when", "why",
    "with", "you", "your",
];

/// Words that mark a title segment as branding rather than content.
const BRANDING_WORDS: &[&str] = &[
    "podcast", "episode", "ep", "show", "official", "video", "audio", "full", "clip", "trailer",
];

/// Lower-case ASCII with accents folded: `Café Noël` → `cafe noel`.
/// Characters without an ASCII base are kept as they are (lower-cased).
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold_char(c) {
            Some(s) => out.push_str(s),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The ASCII spelling of common Latin letters with diacritics (Latin-1 and
/// Latin Extended-A), plus typographic punctuation.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' => return None,
        'À'..='Å' | 'à'..='å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą' | 'ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Č' | 'č' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' => "c",
        'Ď' | 'ď' | 'Đ' | 'đ' | 'Ð' | 'ð' => "d",
        'È'..='Ë' | 'è'..='ë' | 'Ē' | 'ē' | 'Ĕ' | 'ĕ' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě' | 'ě' => {
            "e"
        }
        'Ĝ' | 'ĝ' | 'Ğ' | 'ğ' | 'Ġ' | 'ġ' | 'Ģ' | 'ģ' => "g",
        'Ĥ' | 'ĥ' | 'Ħ' | 'ħ' => "h",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ' | 'ĩ' | 'Ī' | 'ī' | 'Į' | 'į' | 'İ' | 'ı' => "i",
        'Ĵ' | 'ĵ' => "j",
        'Ķ' | 'ķ' => "k",
        'Ĺ' | 'ĺ' | 'Ļ' | 'ļ' | 'Ľ' | 'ľ' | 'Ł' | 'ł' => "l",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ņ' | 'ņ' | 'Ň' | 'ň' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō' | 'ō' | 'Ő' | 'ő' => "o",
        'Œ' | 'œ' => "oe",
        'Ŕ' | 'ŕ' | 'Ř' | 'ř' => "r",
        'Ś' | 'ś' | 'Š' | 'š' | 'Ş' | 'ş' => "s",
        'ß' => "ss",
        'Ţ' | 'ţ' | 'Ť' | 'ť' => "t",
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ' | 'ũ' | 'Ū' | 'ū' | 'Ů' | 'ů' | 'Ű' | 'ű' | 'Ų' | 'ų' => {
            "u"
        }
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "z",
        'Þ' | 'þ' => "th",
        '‘' | '’' | '‚' | '′' => "'",
        '“' | '”' | '„' | '″' => "\"",
        '–' | '—' | '‐' | '‑' | '−' => "-",
        '\u{a0}' => " ",
        _ => return None,
    })
}

/// A URL- and folder-safe slug: folded to ASCII, lower-case, runs of anything
/// else collapsed to one `-`, no leading or trailing `-`. `&` reads "and".
pub(crate) fn slugify(text: &str) -> String {
    let folded = fold(&text.replace('&', " and "));
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The slug of an audio file name: date and episode-number prefixes removed
/// (`2026-05-06-`, `20260506_`, `ep12-`, `episode-12-`, `s01e02-`, `012-`),
/// so `2026-05-06 Relationship as Medicine.mp3` → `relationship-as-medicine`.
pub(crate) fn file_slug(stem: &str) -> String {
    let mut tokens: Vec<String> = slugify(stem).split('-').map(str::to_string).collect();
    while let Some(first) = tokens.first().map(String::as_str) {
        let date3 = tokens.len() > 3
            && first.len() == 4
            && first.bytes().all(|b| b.is_ascii_digit())
            && tokens[1].len() <= 2
            && tokens[2].len() <= 2
            && tokens[1].bytes().all(|b| b.is_ascii_digit())
            && tokens[2].bytes().all(|b| b.is_ascii_digit());
        if date3 {
            tokens.drain(..3);
            continue;
        }
        let drop_one = first.bytes().all(|b| b.is_ascii_digit())
            || is_episode_marker(first)
            || (matches!(first, "ep" | "episode" | "e" | "no")
                && tokens
                    .get(1)
                    .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit())));
        if drop_one && tokens.len() > 1 {
            let two = matches!(first, "ep" | "episode" | "e" | "no")
                && tokens
                    .get(1)
                    .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()));
            tokens.drain(..if two { 2 } else { 1 });
            continue;
        }
        break;
    }
    tokens.join("-")
}

/// `ep12`, `e12`, `s01e02`, `episode12`.
fn is_episode_marker(token: &str) -> bool {
    let rest = token
        .strip_prefix("episode")
        .or_else(|| token.strip_prefix("ep"))
        .or_else(|| token.strip_prefix('e'));
    if let Some(rest) = rest {
        return !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    }
    if let Some(rest) = token.strip_prefix('s')
        && let Some((season, ep)) = rest.split_once('e')
    {
        return !season.is_empty()
            && !ep.is_empty()
            && season.bytes().all(|b| b.is_ascii_digit())
            && ep.bytes().all(|b| b.is_ascii_digit());
    }
    false
}

/// Words of the show's own name (title, author), which mark a title segment
/// as branding when a segment consists only of them and generic words.
#[derive(Debug, Clone, Default)]
pub(crate) struct Branding {
    words: BTreeSet<String>,
}

impl Branding {
    /// Branding built from the show's names (e.g. `[show] title` and `author`).
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Branding {
        let mut words: BTreeSet<String> = BRANDING_WORDS.iter().map(|w| w.to_string()).collect();
        for name in names {
            words.extend(words_of(name));
        }
        Branding { words }
    }

    /// True when every word of `segment` is a branding word, a stop word or a number.
    fn is_branding(&self, segment: &str) -> bool {
        let words = words_of(segment);
        !words.is_empty()
            && words.iter().all(|w| {
                self.words.contains(w)
                    || STOP_WORDS.contains(&w.as_str())
                    || w.bytes().all(|b| b.is_ascii_digit())
                    || is_episode_marker(w)
            })
    }
}

/// Lower-case ASCII words (accents folded, `&` → `and`, apostrophes dropped).
fn words_of(text: &str) -> Vec<String> {
    fold(&text.replace('&', " and "))
        .replace('\'', "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A title with show branding removed, folded and reduced to its words:
/// `Ep. 12: Relationship as Medicine | MentalSpace Therapy` →
/// `relationship as medicine`.
pub(crate) fn clean_title(title: &str, branding: &Branding) -> String {
    let folded = strip_hashtags(&fold(title));
    // Segments split at the separators sites and channels put branding behind.
    let mut segments: Vec<String> = Vec::new();
    let mut rest = folded.as_str();
    loop {
        let cut = [" | ", " - ", " -- ", " :: ", " // ", "|", " · "]
            .iter()
            .filter_map(|sep| rest.find(sep).map(|i| (i, sep.len())))
            .min();
        match cut {
            Some((i, len)) => {
                segments.push(rest[..i].to_string());
                rest = &rest[i + len..];
            }
            None => {
                segments.push(rest.to_string());
                break;
            }
        }
    }
    let mut kept: Vec<String> = Vec::new();
    for segment in segments {
        let segment = strip_episode_prefix(&strip_branding_parens(&segment, branding));
        if !branding.is_branding(&segment) {
            kept.push(segment);
        }
    }
    let text = if kept.is_empty() {
        folded.clone()
    } else {
        kept.join(" ")
    };
    words_of(&text).join(" ")
}

/// Drops hashtags (`#shorts`, `#therapy`): YouTube labels, not title words.
/// `#12` stays: it is an episode number, removed with the other prefixes.
fn strip_hashtags(text: &str) -> String {
    text.split(' ')
        .filter(|w| !(w.starts_with('#') && w[1..].chars().next().is_some_and(char::is_alphabetic)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Drops parenthesised / bracketed groups that are branding: `(MentalSpace Therapy podcast)`.
fn strip_branding_parens(segment: &str, branding: &Branding) -> String {
    let mut out = segment.to_string();
    for (open, close) in [('(', ')'), ('[', ']')] {
        while let Some(start) = out.find(open) {
            let Some(len) = out[start..].find(close) else {
                break;
            };
            let inner = &out[start + 1..start + len];
            if branding.is_branding(inner) {
                out.replace_range(start..start + len + 1, " ");
            } else {
                break;
            }
        }
    }
    out
}

/// Drops a leading episode number: `Ep. 12:`, `Episode 12 -`, `#12`, `E12`, `S1E2:`, `12.`.
fn strip_episode_prefix(segment: &str) -> String {
    let trimmed = segment.trim_start();
    let words = words_of(trimmed);
    let Some(first) = words.first() else {
        return segment.to_string();
    };
    let skip = if matches!(first.as_str(), "ep" | "episode" | "e" | "no")
        && words
            .get(1)
            .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
    {
        2
    } else if is_episode_marker(first)
        || (first.bytes().all(|b| b.is_ascii_digit()) && words.len() > 1 && first.len() <= 4)
    {
        1
    } else {
        return segment.to_string();
    };
    // Cut the source text after the `skip`-th word and any following separator.
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in trimmed.char_indices() {
        let word_char = c.is_alphanumeric();
        if word_char && !in_word {
            seen += 1;
            if seen > skip {
                return trimmed[i..].to_string();
            }
        }
        in_word = word_char;
    }
    segment.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> Branding {
        Branding::new(["MentalSpace Therapy", "Coping & Healing Counseling"])
    }

    #[test]
    fn slugs_are_ascii_lowercase_with_single_dashes() {
        assert_eq!(
            slugify("Relationship as Medicine!"),
            "relationship-as-medicine"
        );
        assert_eq!(slugify("  Café & Noël — 2026 "), "cafe-and-noel-2026");
        assert_eq!(slugify("What Therapy Can't Do"), "what-therapy-can-t-do");
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn file_slugs_drop_dates_and_episode_numbers() {
        for (stem, slug) in [
            (
                "2026-05-06-relationship-as-medicine",
                "relationship-as-medicine",
            ),
            (
                "2026-05-06 Relationship as Medicine",
                "relationship-as-medicine",
            ),
            ("ep12-grounding", "grounding"),
            ("Episode 12 - Grounding", "grounding"),
            ("s01e02_first-session", "first-session"),
            ("012-first-session", "first-session"),
            ("ep12", "ep12"),
            ("2026", "2026"),
        ] {
            assert_eq!(file_slug(stem), slug, "{stem}");
        }
    }

    #[test]
    fn titles_lose_case_accents_punctuation_and_branding() {
        let b = brand();
        for (title, clean) in [
            (
                "Ep. 12: Relationship as Medicine | MentalSpace Therapy",
                "relationship as medicine",
            ),
            (
                "Relationship as Medicine (MentalSpace Therapy podcast)",
                "relationship as medicine",
            ),
            (
                "What to Expect in Your First Therapy Session (Georgia Telehealth Guide) - Coping & Healing Counseling",
                "what to expect in your first therapy session georgia telehealth guide",
            ),
            ("#4 — Grounding Techniques", "grounding techniques"),
            ("S1E3: Café Anxiety", "cafe anxiety"),
            ("MentalSpace Therapy", "mentalspace therapy"),
            ("Episode 12 - Grounding", "grounding"),
            (
                "Welcome to MentalSpace Therapy #shorts #mentalhealth",
                "welcome to mentalspace therapy",
            ),
        ] {
            assert_eq!(clean_title(title, &b), clean, "{title}");
        }
    }
}
