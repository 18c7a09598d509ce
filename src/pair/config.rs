//! `[pairing]` in `mspod.toml`: thresholds, extra noise words, branding phrases.
//!
//! ```toml
//! [pairing]
//! auto_accept = 0.90        # score at or above which a link is accepted (0..1)
//! propose_min = 0.50        # score below which a candidate is not even proposed
//! margin_nats = 3.0         # lead over every alternative, in log-likelihood (e^3 ≈ 20 : 1)
//! noise_words = ["bounce"]  # extra words of your workflow, ignored in file names and titles
//! branding = ["The Calm Hour Podcast"]  # phrases stripped from titles before comparing
//! ```

use super::score::Thresholds;
use crate::error::{Error, Result};
use std::path::Path;

/// The `[pairing]` table, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Pairing {
    pub thresholds: Thresholds,
    pub noise_words: Vec<String>,
    pub branding: Vec<String>,
}

const KEYS: &[&str] = &[
    "auto_accept",
    "propose_min",
    "margin_nats",
    "noise_words",
    "branding",
];

/// Reads `[pairing]` from the parsed `mspod.toml`; errors name the file and key.
pub(crate) fn read(table: &toml::Table, path: &Path) -> Result<Pairing> {
    let mut out = Pairing::default();
    let Some(value) = table.get("pairing") else {
        return Ok(out);
    };
    let err = |key: &str, why: String| Error::content(path, format!("[pairing] {key}: {why}"));
    let Some(p) = value.as_table() else {
        return Err(err("", "must be a table".into()));
    };
    for key in p.keys() {
        if !KEYS.contains(&key.as_str()) {
            return Err(err(
                key,
                format!("unknown key (known: {})", KEYS.join(", ")),
            ));
        }
    }
    let number = |key: &str| -> Result<Option<f64>> {
        match p.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_float()
                .or_else(|| v.as_integer().map(|i| i as f64))
                .map(Some)
                .ok_or_else(|| err(key, format!("expected a number, found `{v}`"))),
        }
    };
    let words = |key: &str| -> Result<Vec<String>> {
        match p.get(key) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(list)) => list
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| err(key, format!("expected strings, found `{v}`")))
                })
                .collect(),
            Some(v) => Err(err(key, format!("expected a list of strings, found `{v}`"))),
        }
    };
    let t = &mut out.thresholds;
    for (key, slot) in [
        ("auto_accept", &mut t.auto_accept),
        ("propose_min", &mut t.propose_min),
    ] {
        if let Some(v) = number(key)? {
            if !(0.0..=1.0).contains(&v) {
                return Err(err(key, format!("{v} is not a score between 0 and 1")));
            }
            *slot = v;
        }
    }
    if let Some(v) = number("margin_nats")? {
        if !(0.0..=50.0).contains(&v) {
            return Err(err("margin_nats", format!("{v} is not between 0 and 50")));
        }
        t.margin_nats = v;
    }
    if t.propose_min > t.auto_accept {
        return Err(err(
            "propose_min",
            format!("{} is above auto_accept ({})", t.propose_min, t.auto_accept),
        ));
    }
    out.noise_words = words("noise_words")?
        .iter()
        .map(|w| super::normalize::fold(w).trim().to_string())
        .filter(|w| !w.is_empty())
        .collect();
    out.branding = words("branding")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Pairing> {
        let table: toml::Table = toml::from_str(text).expect("toml");
        read(&table, Path::new("mspod.toml"))
    }

    #[test]
    fn defaults_without_a_table_and_values_when_given() {
        assert_eq!(parse("").expect("ok"), Pairing::default());
        let p = parse(
            "[pairing]\nauto_accept = 0.95\nmargin_nats = 4\nnoise_words = [\"Bounce\"]\nbranding = [\"Calm Hour\"]\n",
        )
        .expect("ok");
        assert_eq!(p.thresholds.auto_accept, 0.95);
        assert_eq!(p.thresholds.margin_nats, 4.0);
        assert_eq!(p.noise_words, ["bounce"]);
        assert_eq!(p.branding, ["Calm Hour"]);
    }

    #[test]
    fn bad_values_name_the_file_and_key() {
        for (text, needle) in [
            (
                "[pairing]\nauto_accept = 1.5\n",
                "[pairing] auto_accept: 1.5 is not a score",
            ),
            (
                "[pairing]\nthreshold = 1\n",
                "[pairing] threshold: unknown key",
            ),
            (
                "[pairing]\nnoise_words = \"x\"\n",
                "[pairing] noise_words: expected a list",
            ),
            (
                "[pairing]\npropose_min = 0.95\n",
                "propose_min: 0.95 is above auto_accept",
            ),
        ] {
            let e = parse(text).expect_err(text).to_string();
            assert!(e.contains("mspod.toml") && e.contains(needle), "{e}");
        }
    }
}
