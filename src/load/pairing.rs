//! `[pairing]` in `mspod.toml`: how `mspod pair` decides. Part of the config's
//! one model, so `publish` rejects a mistake here as it does anywhere else.
//!
//! ```toml
//! [pairing]
//! auto_accept = 0.90        # score at or above which a link is accepted (0..1)
//! propose_min = 0.50        # score below which a candidate is not even proposed
//! margin_nats = 3.0         # lead over every alternative, in log-likelihood (e^3 ≈ 20 : 1)
//! noise_words = ["bounce"]  # extra words of your workflow, ignored in file names and titles
//! branding = ["The Calm Hour Podcast"]  # phrases stripped from titles before comparing
//! ```

use serde::Deserialize;

/// `[pairing]`, checked; defaults where a key is absent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pairing {
    /// At or above: a link is accepted without asking, if the margin holds.
    pub auto_accept: f64,
    /// Below: a candidate is not even proposed.
    pub propose_min: f64,
    /// The best candidate's log-likelihood must beat every alternative by this many nats.
    pub margin_nats: f64,
    /// Words of the user's workflow, as written (pairing folds them).
    pub noise_words: Vec<String>,
    /// Phrases stripped from titles before comparing.
    pub branding: Vec<String>,
}

impl Default for Pairing {
    fn default() -> Self {
        Pairing {
            auto_accept: 0.90,
            propose_min: 0.50,
            margin_nats: 3.0,
            noise_words: Vec::new(),
            branding: Vec::new(),
        }
    }
}

/// `[pairing]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPairing {
    auto_accept: Option<Number>,
    propose_min: Option<Number>,
    margin_nats: Option<Number>,
    #[serde(default)]
    noise_words: Vec<String>,
    #[serde(default)]
    branding: Vec<String>,
}

/// A TOML number: `4` means 4.0 here.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged, expecting = "expected a number")]
enum Number {
    Float(f64),
    Integer(i64),
}

impl Number {
    fn get(self) -> f64 {
        match self {
            Number::Float(f) => f,
            Number::Integer(i) => i as f64,
        }
    }
}

/// Checks the values; each problem comes back with the key it is about.
pub(super) fn check(raw: RawPairing) -> (Pairing, Vec<(&'static str, String)>) {
    let mut out = Pairing::default();
    let mut problems = Vec::new();
    for (key, given, slot) in [
        ("auto_accept", raw.auto_accept, &mut out.auto_accept),
        ("propose_min", raw.propose_min, &mut out.propose_min),
    ] {
        let Some(v) = given.map(Number::get) else {
            continue;
        };
        if (0.0..=1.0).contains(&v) {
            *slot = v;
        } else {
            problems.push((
                key,
                format!("[pairing] {key}: {v} is not a score between 0 and 1"),
            ));
        }
    }
    if let Some(v) = raw.margin_nats.map(Number::get) {
        if (0.0..=50.0).contains(&v) {
            out.margin_nats = v;
        } else {
            problems.push((
                "margin_nats",
                format!("[pairing] margin_nats: {v} is not between 0 and 50"),
            ));
        }
    }
    if out.propose_min > out.auto_accept {
        problems.push((
            "propose_min",
            format!(
                "[pairing] propose_min: {} is above auto_accept ({})",
                out.propose_min, out.auto_accept
            ),
        ));
    }
    out.noise_words = raw.noise_words;
    out.branding = raw.branding;
    (out, problems)
}

/// What `mspod pair` and `mspod new` read from `mspod.toml` ([`super::read_show_basics`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShowBasics {
    /// `[show] title`, a branding phrase in article and video titles.
    pub title: String,
    /// `[show] author`, another.
    pub author: String,
    /// `[show] link`: article URLs are built under it when a page names none.
    pub link: String,
    pub pairing: Pairing,
}

#[cfg(test)]
mod tests {
    use super::super::config::parse_basics;
    use super::*;
    use std::path::Path;

    const SHOW: &str = "[show]\ntitle = \"Calm Hour\"\ndescription = \"d\"\nlink = \"https://example.org/blog/\"\nfeed_url = \"https://example.org/podcast.xml\"\nlanguage = \"en\"\nauthor = \"Calm Hour Counseling\"\nowner = { name = \"n\", email = \"a@example.org\" }\nimage = \"missing-cover.jpg\"\ncategories = [\"Health & Fitness\"]\nmedia_base_url = \"https://example.org/media/\"\n";

    fn parse(pairing: &str) -> crate::error::Result<ShowBasics> {
        parse_basics(&format!("{SHOW}{pairing}"), Path::new("mspod.toml"))
    }

    #[test]
    fn defaults_without_a_table_and_values_when_given() {
        let basics = parse("").expect("a missing cover does not stop pairing");
        assert_eq!(basics.pairing, Pairing::default());
        assert_eq!(
            (
                basics.title.as_str(),
                basics.author.as_str(),
                basics.link.as_str()
            ),
            (
                "Calm Hour",
                "Calm Hour Counseling",
                "https://example.org/blog/"
            )
        );
        let p = parse(
            "[pairing]\nauto_accept = 0.95\nmargin_nats = 4\nnoise_words = [\"Bounce\"]\nbranding = [\"Calm Hour\"]\n",
        )
        .expect("ok")
        .pairing;
        assert_eq!(p.auto_accept, 0.95);
        assert_eq!(p.margin_nats, 4.0, "an integer is a number too");
        assert_eq!(p.noise_words, ["Bounce"]);
        assert_eq!(p.branding, ["Calm Hour"]);
    }

    #[test]
    fn bad_values_name_the_file_line_and_key() {
        for (text, needle) in [
            (
                "[pairing]\nauto_accept = 1.5\n",
                "mspod.toml:13: [pairing] auto_accept: 1.5 is not a score",
            ),
            (
                "[pairing]\nmargin_nats = 90\n",
                "mspod.toml:13: [pairing] margin_nats: 90 is not between 0 and 50",
            ),
            (
                "[pairing]\nthreshold = 1\n",
                "mspod.toml:13: column 1: unknown field `threshold`, expected one of `auto_accept`",
            ),
            (
                "[pairing]\nnoise_words = \"x\"\n",
                "mspod.toml:13: column 15: invalid type: string \"x\", expected a sequence",
            ),
            (
                "[pairing]\nauto_accept = \"high\"\n",
                "mspod.toml:13: column 15: expected a number",
            ),
            (
                "[pairing]\npropose_min = 0.95\n",
                "[pairing] propose_min: 0.95 is above auto_accept (0.9)",
            ),
        ] {
            let e = parse(text).expect_err(text).to_string();
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn the_show_link_must_be_a_url_articles_can_live_under() {
        let text = SHOW.replace("https://example.org/blog/", "example.org/blog");
        let e = parse_basics(&text, Path::new("mspod.toml"))
            .expect_err("not a URL")
            .to_string();
        assert!(e.contains("mspod.toml:4: `link`:"), "{e}");
    }
}
