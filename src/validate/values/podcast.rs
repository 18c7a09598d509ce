//! Values of the podcast namespace, shared with `load` (which checks `mspod.toml` with
//! the same rules): mediums, the person taxonomy, locations, RRULEs, numbers and dates
//! as the tags write them, subresource integrity.

use super::text::short;

const MEDIUMS: &[&str] = &[
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
];

/// A `podcast:medium` value: a medium, its `…L` list form, or `mixed`.
pub fn is_medium(v: &str) -> bool {
    let base = v.strip_suffix('L').unwrap_or(v);
    MEDIUMS.contains(&base) || v == "mixed"
}

/// The person taxonomy (taxonomy.json): groups and their roles, lower case. The file
/// spells "Translater"; both spellings are accepted. A role listed in two groups
/// ("editor") defaults to the first.
const TAXONOMY: &[(&str, &[&str])] = &[
    (
        "creative direction",
        &[
            "director",
            "assistant director",
            "executive producer",
            "senior producer",
            "producer",
            "associate producer",
            "development producer",
            "creative director",
        ],
    ),
    (
        "cast",
        &[
            "host",
            "co-host",
            "guest host",
            "guest",
            "voice actor",
            "narrator",
            "announcer",
            "reporter",
        ],
    ),
    (
        "writing",
        &[
            "author",
            "editorial director",
            "co-writer",
            "writer",
            "songwriter",
            "guest writer",
            "story editor",
            "managing editor",
            "script editor",
            "script coordinator",
            "researcher",
            "editor",
            "fact checker",
            "translater",
            "translator",
            "transcriber",
            "logger",
        ],
    ),
    (
        "audio production",
        &[
            "studio coordinator",
            "technical director",
            "technical manager",
            "audio engineer",
            "remote recording engineer",
            "post production engineer",
        ],
    ),
    (
        "audio post-production",
        &[
            "audio editor",
            "sound designer",
            "foley artist",
            "composer",
            "theme music",
            "music production",
            "music contributor",
        ],
    ),
    (
        "administration",
        &[
            "production coordinator",
            "booking coordinator",
            "production assistant",
            "content manager",
            "marketing manager",
            "sales representative",
            "sales manager",
        ],
    ),
    ("visuals", &["graphic designer", "cover art designer"]),
    ("community", &["social media manager"]),
    ("misc.", &["consultant", "intern"]),
    (
        "video production",
        &[
            "camera operator",
            "lighting designer",
            "camera grip",
            "assistant camera",
        ],
    ),
    ("video post-production", &["editor", "assistant editor"]),
];

/// A role of the person taxonomy (case-insensitive).
pub fn is_person_role(role: &str) -> bool {
    person_default_group(role).is_some()
}

/// A group of the person taxonomy (case-insensitive).
pub fn is_person_group(group: &str) -> bool {
    let g = group.trim().to_ascii_lowercase();
    TAXONOMY.iter().any(|(name, _)| *name == g)
}

/// The group a role belongs to (the first, for roles in two groups).
pub fn person_default_group(role: &str) -> Option<&'static str> {
    let r = role.trim().to_ascii_lowercase();
    TAXONOMY
        .iter()
        .find(|(_, roles)| roles.contains(&r.as_str()))
        .map(|(g, _)| *g)
}

pub fn is_number(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && v.parse::<f64>().is_ok_and(|x| x.is_finite() && x >= 0.0)
        && !v.contains(['e', 'E'])
}

pub fn is_whole(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())
}

pub fn is_iso8601(v: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(v.trim()).is_ok()
        || chrono::NaiveDateTime::parse_from_str(v.trim(), "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").is_ok()
}

/// `sha256-`, `sha384-` or `sha512-` and standard base64 decoding to that digest's length.
pub fn is_sri(v: &str) -> bool {
    let Some((alg, b64)) = v.trim().split_once('-') else {
        return false;
    };
    let want = match alg {
        "sha256" => 32,
        "sha384" => 48,
        "sha512" => 64,
        _ => return false,
    };
    let body = b64.trim_end_matches('=');
    let pad = b64.len() - body.len();
    b64.len() % 4 == 0
        && pad <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && b64.len() / 4 * 3 - pad == want
}

/// What is wrong with a location's attributes, each message starting `attr="value">`
/// (the loader checks `mspod.toml` with the same rules).
pub fn location_problems(
    geo: Option<&str>,
    osm: Option<&str>,
    country: Option<&str>,
    rel: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(rel) = rel
        && rel != "subject"
        && rel != "creator"
    {
        out.push(format!("rel=\"{}\">: write subject or creator", short(rel)));
    }
    if let Some(geo) = geo {
        let ok = geo
            .strip_prefix("geo:")
            .map(|rest| rest.split(';').next().unwrap_or(""))
            .is_some_and(|coords| {
                let nums: Vec<&str> = coords.split(',').collect();
                (2..=3).contains(&nums.len())
                    && nums.iter().all(|n| n.trim().parse::<f64>().is_ok())
            });
        if !ok {
            out.push(format!(
                "geo=\"{}\">: write an RFC 5870 geo URI, e.g. geo:52.52,13.405",
                short(geo)
            ));
        }
    }
    if let Some(osm) = osm {
        let mut chars = osm.chars();
        let ok = matches!(chars.next(), Some('N' | 'W' | 'R'))
            && osm[1..]
                .split('#')
                .next()
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            out.push(format!(
                "osm=\"{}\">: write N, W or R and the OpenStreetMap id, e.g. R113314",
                short(osm)
            ));
        }
    }
    if let Some(c) = country
        && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        out.push(format!(
            "country=\"{}\">: write an ISO 3166-1 alpha-2 code, e.g. de",
            short(c)
        ));
    }
    out
}

/// What is wrong with an RFC 5545 recurrence rule as `podcast:updateFrequency rrule`
/// uses it: `NAME=VALUE` parts separated by `;`, with a known FREQ.
pub fn rrule_problem(rrule: &str) -> Option<String> {
    const FREQS: &[&str] = &[
        "SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY",
    ];
    let mut freq = None;
    for part in rrule.split(';') {
        let Some((name, value)) = part.split_once('=') else {
            return Some(format!("`{part}` is not NAME=VALUE"));
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_uppercase()) || value.is_empty() {
            return Some(format!("`{part}` is not NAME=VALUE in upper case"));
        }
        match name {
            "FREQ" => freq = Some(value),
            "INTERVAL" | "COUNT" if !is_whole(value) || value == "0" => {
                return Some(format!("{name} must be a positive whole number"));
            }
            _ => {}
        }
    }
    match freq {
        None => Some("no FREQ (e.g. FREQ=WEEKLY)".into()),
        Some(f) if !FREQS.contains(&f) => Some(format!("FREQ={f} is not a frequency")),
        Some(_) => None,
    }
}

/// Seconds of a Normal Play Time value: `S`, `M:SS`, `H:MM:SS`, each with optional `.mmm`.
pub fn npt_seconds(v: &str) -> Option<f64> {
    let v = v.trim();
    let (whole, frac) = match v.split_once('.') {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            (w, format!("0.{f}"))
        }
        Some(_) => return None,
        None => (v, "0".to_string()),
    };
    let mut total = 0.0;
    for part in whole.split(':') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        total = total * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(total + frac.parse::<f64>().ok()?)
}
