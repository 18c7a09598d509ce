//! The Podcasting 2.0 / Apple item tags of an episode (people, artwork, soundbites,
//! location, video) and the show's update frequency, resolved from the manifests,
//! `[[people]]`, the articles and the probed video. No I/O.

use crate::error::Error;
use crate::load::tags::{Location, Person, Soundbite, UpdateFrequency};
use crate::load::{EpisodeType, Manifest, ShowConfig};
use crate::media::VideoInfo;
use chrono::{DateTime, Datelike, FixedOffset};

/// Item-level tags of one episode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemTags {
    /// `podcast:person` per item (replaces the channel's list in apps).
    pub people: Vec<Person>,
    /// `itunes:image` + `podcast:image`.
    pub image: Option<Image>,
    /// `itunes:block Yes`.
    pub block: bool,
    pub soundbites: Vec<Soundbite>,
    pub location: Vec<Location>,
    /// `podcast:alternateEnclosure`.
    pub video: Option<Video>,
}

/// Artwork with its public URL and real size.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
}

/// An MP4 video beside the audio.
#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    pub url: String,
    pub length: u64,
    pub bitrate: Option<u32>,
    pub width: u32,
    pub height: u32,
    pub duration: f64,
    /// `sha384-…` (Subresource Integrity).
    pub sri: String,
}

/// `podcast:updateFrequency`.
#[derive(Debug, Clone, PartialEq)]
pub struct Frequency {
    pub text: String,
    pub rrule: Option<String>,
    /// ISO 8601 start of the schedule (the first regular episode).
    pub dtstart: Option<String>,
    pub complete: bool,
}

/// Artwork under `episodes/` is published like the audio: `media_base_url` + its path there.
pub fn image_url(show: &ShowConfig, m: &Manifest, path: &std::path::Path) -> String {
    let inside = path.strip_prefix(&m.dir).unwrap_or(path);
    let rel = std::iter::once(m.slug.clone())
        .chain(inside.components().filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        }))
        .collect::<Vec<_>>()
        .join("/");
    format!("{}{rel}", show.media_base_url)
}

/// Compares names ignoring case, punctuation and credentials after a comma
/// ("Dana Whitfield, LCSW" is "dana whitfield").
fn name_key(name: &str) -> String {
    super::normalise(name.split(',').next().unwrap_or(name))
}

/// Resolves an episode's item tags; problems naming `episode.toml` go to `errors`.
pub fn item_tags(
    show: &ShowConfig,
    m: &Manifest,
    author: Option<&str>,
    duration: f64,
    video: Option<&VideoInfo>,
    warnings: &mut Vec<String>,
    errors: &mut Vec<Error>,
) -> ItemTags {
    let t = &m.tags;
    let mut people = Vec::new();
    for id in &t.people {
        match show.people.iter().find(|p| p.id == *id) {
            Some(p) => people.push(p.clone()),
            None => errors.push(Error::content(
                &m.file,
                format!(
                    "`people`: `{id}` is not an id of [[people]] in mspod.toml (known: {})",
                    show.people
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    if t.people.is_empty()
        && !show.people.is_empty()
        && let Some(author) = author.filter(|a| !a.trim().is_empty())
    {
        let key = name_key(author);
        match show.people.iter().find(|p| name_key(&p.name) == key) {
            Some(p) => people.push(p.clone()),
            // Never invent a person: an unmatched author gets no podcast:person.
            None => warnings.push(format!(
                "{}: the article's author \"{author}\" matches no [[people]] name; add `people = [\"…\"]` to name who speaks",
                m.file.display()
            )),
        }
    }

    let image = t.image.as_ref().map(|a| {
        if a.bytes > crate::load::tags::ARTWORK_WARN_BYTES {
            warnings.push(format!(
                "{}: artwork is {} KB; apps other than Apple load it faster under 512 KB",
                a.path.display(),
                a.bytes / 1024
            ));
        }
        Image {
            url: image_url(show, m, &a.path),
            width: a.width,
            height: a.height,
            mime: a.mime,
        }
    });

    for b in &t.soundbites {
        if b.start + b.duration > duration + 1.0 {
            errors.push(Error::content(
                &m.file,
                format!(
                    "`[[soundbite]]` \"{}\" ends at {:.0} s, after the audio ({:.0} s)",
                    b.title,
                    b.start + b.duration,
                    duration
                ),
            ));
        }
    }

    let video = match (&t.video, video) {
        (Some(file), Some(info)) => {
            if (info.track.duration - duration).abs() > duration.max(1.0) * 0.05 + 2.0 {
                warnings.push(format!(
                    "{}: the video lasts {:.0} s but the audio {:.0} s; is it the same episode?",
                    file.path.display(),
                    info.track.duration,
                    duration
                ));
            }
            Some(Video {
                url: file
                    .url
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", show.media_base_url, file.public_path)),
                length: info.bytes,
                bitrate: info.bitrate,
                width: info.track.width,
                height: info.track.height,
                duration: info.track.duration,
                sri: info.sri.clone(),
            })
        }
        _ => None,
    };

    ItemTags {
        people,
        image,
        block: t.block,
        soundbites: t.soundbites.clone(),
        location: t.location.clone(),
        video,
    }
}

/// `podcast:updateFrequency` from `update_frequency` and `complete`. `"auto"` reads the
/// schedule from the regular (full) episodes' dates: the most common gap between
/// consecutive episodes, and their weekday when they share one.
pub fn frequency(
    show: &ShowConfig,
    episodes: &[(DateTime<FixedOffset>, EpisodeType)],
) -> Option<Frequency> {
    let complete = show.tags.complete;
    let explicit = match &show.tags.update_frequency {
        None => None,
        Some(UpdateFrequency::Rule { rrule, text }) => Some((Some(rrule.clone()), text.clone())),
        Some(UpdateFrequency::Auto) => {
            auto_rule(episodes).map(|r| (Some(r.clone()), crate::load::tags::rrule_text(&r)))
        }
    };
    match explicit {
        Some((rrule, text)) => Some(Frequency {
            text,
            rrule,
            dtstart: first_regular(episodes).map(|d| d.to_rfc3339()),
            complete,
        }),
        None if complete => Some(Frequency {
            text: "Complete".into(),
            rrule: None,
            dtstart: None,
            complete: true,
        }),
        None => None,
    }
}

fn regular(episodes: &[(DateTime<FixedOffset>, EpisodeType)]) -> Vec<DateTime<FixedOffset>> {
    let mut dates: Vec<_> = episodes
        .iter()
        .filter(|(_, k)| *k == EpisodeType::Full)
        .map(|(d, _)| *d)
        .collect();
    dates.sort();
    dates
}

fn first_regular(
    episodes: &[(DateTime<FixedOffset>, EpisodeType)],
) -> Option<DateTime<FixedOffset>> {
    regular(episodes).first().copied()
}

/// The rule the dates follow; `None` with fewer than three regular episodes.
pub fn auto_rule(episodes: &[(DateTime<FixedOffset>, EpisodeType)]) -> Option<String> {
    let dates = regular(episodes);
    if dates.len() < 3 {
        return None;
    }
    let mut gaps: Vec<i64> = dates
        .windows(2)
        .map(|w| ((w[1] - w[0]).num_hours() as f64 / 24.0).round() as i64)
        .filter(|d| *d > 0)
        .collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    // The most common gap (the smallest on ties), so one late episode does not change it.
    let mut best = (0usize, gaps[0]);
    for g in &gaps {
        let n = gaps.iter().filter(|x| *x == g).count();
        if n > best.0 {
            best = (n, *g);
        }
    }
    let gap = best.1;
    let weekdays: Vec<_> = dates.iter().map(|d| d.weekday()).collect();
    let same_day = weekdays.windows(2).all(|w| w[0] == w[1]);
    let byday = |rule: String| {
        if same_day {
            let day = weekdays[0].to_string().to_ascii_uppercase();
            format!("{rule};BYDAY={}", &day[..2])
        } else {
            rule
        }
    };
    Some(match gap {
        1 => "FREQ=DAILY".to_string(),
        g if g % 7 == 0 && g < 28 => {
            let weeks = g / 7;
            byday(if weeks == 1 {
                "FREQ=WEEKLY".to_string()
            } else {
                format!("FREQ=WEEKLY;INTERVAL={weeks}")
            })
        }
        28..=31 => "FREQ=MONTHLY".to_string(),
        g => format!("FREQ=DAILY;INTERVAL={g}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(list: &[&str]) -> Vec<(DateTime<FixedOffset>, EpisodeType)> {
        list.iter()
            .filter_map(|d| DateTime::parse_from_rfc3339(d).ok())
            .map(|d| (d, EpisodeType::Full))
            .collect()
    }

    #[test]
    fn weekly_on_the_same_day_names_the_day() {
        let d = dates(&[
            "2026-05-06T09:00:00-04:00",
            "2026-05-13T09:00:00-04:00",
            "2026-05-20T09:00:00-04:00",
        ]);
        assert_eq!(auto_rule(&d).as_deref(), Some("FREQ=WEEKLY;BYDAY=WE"));
    }

    #[test]
    fn fortnightly_with_one_late_episode_stays_fortnightly() {
        let d = dates(&[
            "2026-01-01T09:00:00Z",
            "2026-01-15T09:00:00Z",
            "2026-01-29T09:00:00Z",
            "2026-02-13T09:00:00Z",
        ]);
        assert_eq!(auto_rule(&d).as_deref(), Some("FREQ=WEEKLY;INTERVAL=2"));
    }

    #[test]
    fn monthly_and_too_few_episodes() {
        let d = dates(&[
            "2026-01-05T09:00:00Z",
            "2026-02-05T09:00:00Z",
            "2026-03-05T09:00:00Z",
        ]);
        assert_eq!(auto_rule(&d).as_deref(), Some("FREQ=MONTHLY"));
        assert_eq!(auto_rule(&d[..2]), None);
    }

    #[test]
    fn names_match_without_credentials_or_case() {
        assert_eq!(
            name_key("Dana Whitfield, LCSW"),
            name_key("dana  whitfield")
        );
        assert_ne!(name_key("Dana Whitfield"), name_key("Dan Whitfield"));
    }
}
