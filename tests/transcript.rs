//! Transcripts: readers, checks (file:line), the three outputs, feed tags, the
//! notes page, and chapters derived from the transcript and the article,
//! measured against fixtures whose timing truth is known
//! (scripts/make-transcript-fixtures.sh).

mod support;

use mspod::article::{self, SectionRules};
use mspod::model::{self, ChapterSource};
use mspod::transcript::{self, Format, Transcript, write};
use std::path::Path;
use support::{Show, fixture, repo};

fn parse(text: &str, format: Format, duration: f64) -> Result<Transcript, String> {
    transcript::from_str(text, format, Path::new("t"), duration).map_err(|e| e.to_string())
}

fn ok(text: &str, format: Format) -> Transcript {
    parse(text, format, 36000.0).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn webvtt_with_bom_crlf_notes_styles_settings_and_voices() {
    let text = "\u{feff}WEBVTT - a header\r\n\r\nSTYLE\r\n::cue { color: yellow }\r\n\r\nNOTE made by hand\r\nstill the note\r\n\r\nintro\r\n00:01.000 --> 00:04.500 line:90% align:center\r\n<v.host Dr. Lee>Hello &amp; <i>welcome</i>\r\nto the show.</v>\r\n\r\n01:00:04.500 --> 01:00:06.000\r\nStill Dr. Lee.\r\n";
    let t = ok(text, Format::Vtt);
    assert_eq!(t.cues.len(), 2);
    let c = &t.cues[0];
    assert_eq!((c.start, c.end), (1.0, 4.5));
    assert_eq!(c.speaker.as_deref(), Some("Dr. Lee"));
    assert_eq!(c.text, "Hello & welcome to the show.");
    assert_eq!(c.line, 10, "the timing line of the cue");
    assert_eq!(t.cues[1].start, 3604.5);
    assert_eq!(
        t.cues[1].speaker.as_deref(),
        Some("Dr. Lee"),
        "no voice span: the speaker continues"
    );
}

#[test]
fn srt_with_numbering_comma_decimals_and_speaker_turns() {
    let text = "1\r\n00:00:01,000 --> 00:00:02,500\r\nAna: Hi, I'm Ana.\r\n\r\n2\r\n00:00:02,500 --> 00:00:04,000\r\n<i>Still Ana.</i>\r\n\r\n7\r\n00:00:04.000 --> 00:00:05,000\r\nBen: And Ben.\r\n";
    let t = ok(text, Format::Srt);
    let got: Vec<(f64, Option<&str>, &str)> = t
        .cues
        .iter()
        .map(|c| (c.start, c.speaker.as_deref(), c.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1.0, Some("Ana"), "Hi, I'm Ana."),
            (2.5, Some("Ana"), "Still Ana."),
            (4.0, Some("Ben"), "And Ben."),
        ]
    );
}

#[test]
fn podcasting_json_segments() {
    let text = r#"{"version":"1.0.0","segments":[
  {"speaker":"Ana","startTime":0.5,"endTime":2.25,"body":"Hi."},
  {"speaker":"Ben","startTime":2.25,"body":"Hello \"startTime\" there."},
  {"startTime":4,"body":"Bye now."}
]}"#;
    let t = ok(text, Format::Json);
    assert_eq!(t.cues.len(), 3);
    assert_eq!(t.cues[1].end, 4.0, "no endTime: until the next segment");
    assert_eq!(t.cues[1].text, "Hello \"startTime\" there.");
    assert_eq!(
        t.cues.iter().map(|c| c.line).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert_eq!(t.speakers(), vec!["Ana", "Ben"]);
}

#[test]
fn every_problem_is_reported_together_with_its_line() {
    let text = "WEBVTT\n\n00:01.000 --> 00:03.000\nOne.\n\n00:02.000 --> 00:04.000\nOverlaps.\n\n00:05.000 --> 00:04.000\nBackwards.\n\n00:06.000 --> 00:07.000\n\n\n00:07.5 --> 00:08.000\nBad time.\n\n00:09.000 --> 00:09.500\n   \n";
    let err = parse(text, Format::Vtt, 60.0).expect_err("bad transcript");
    for expected in [
        "t:6: the cue starts at 0:00:02.000, while the previous cue (line 3) runs until 0:00:03.000",
        "t:9: the cue ends (0:00:04.000) before or when it starts (0:00:05.000)",
        "t:15: `00:07.5` is not a valid cue time",
        "t:18: empty cue",
    ] {
        assert!(err.contains(expected), "{expected:?} missing from:\n{err}");
    }
    // A cue id line with nothing after it is a cue without a timing line.
    assert!(
        err.contains("t:12:") || err.contains("t:12 "),
        "the text-less cue at line 12: {err}"
    );
}

#[test]
fn a_transcript_longer_than_the_audio_belongs_to_another_cut() {
    let text = "WEBVTT\n\n00:01.000 --> 00:20.000\nFits.\n\n00:20.000 --> 00:26.000\nWithin the tolerance.\n\n00:26.000 --> 00:40.000\nToo late.\n\n00:40.000 --> 00:50.000\nAlso too late, reported once.\n";
    let err = parse(text, Format::Vtt, 21.0).expect_err("too long");
    assert!(
        err.contains("t:9: the cue ends at 0:00:40.000, 19.0 s after the audio ends (0:00:21.000)"),
        "{err}"
    );
    assert_eq!(err.matches("after the audio ends").count(), 1, "{err}");
    assert!(parse(text, Format::Vtt, 46.0).is_ok());
}

#[test]
fn a_voice_needs_a_name() {
    let err = parse(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v >Hi\n",
        Format::Vtt,
        10.0,
    )
    .expect_err("nameless voice");
    assert!(
        err.contains("t:3: a voice or speaker without a name"),
        "{err}"
    );
}

#[test]
fn bad_headers_and_garbage_are_errors_not_panics() {
    assert!(
        parse("WEBVTTX\n", Format::Vtt, 10.0)
            .expect_err("an error")
            .contains("t:1:")
    );
    assert!(
        parse("", Format::Srt, 10.0)
            .expect_err("an error")
            .contains("no cues")
    );
    assert!(
        parse("{\"segments\": 5}", Format::Json, 10.0)
            .expect_err("an error")
            .contains("t:1:")
    );
    assert!(
        parse("hello\nworld", Format::Srt, 10.0)
            .expect_err("an error")
            .contains("t:1:")
    );
}

#[test]
fn the_three_outputs_round_trip_through_the_readers() {
    let vtt = std::fs::read_to_string(fixture(
        "transcripts/relationship-conversation/transcript.vtt",
    ))
    .expect("fixture");
    let t = ok(&vtt, Format::Vtt);
    assert_eq!(t.speakers(), vec!["Ana", "Ben"]);
    let out_vtt = write::vtt(&t);
    let out_srt = write::srt(&t);
    let out_json = write::json(&t);
    assert!(out_vtt.starts_with("WEBVTT\n\n00:00:00.000 --> "));
    assert!(out_vtt.contains("<v Ana>Welcome back. I'm Ana."));
    assert!(out_srt.starts_with("1\r\n00:00:00,000 --> "));
    assert!(out_srt.contains("Ana: Welcome back."));
    assert!(out_srt.lines().all(|l| l.trim_end().chars().count() <= 40));
    let json: serde_json::Value = serde_json::from_str(&out_json).expect("JSON");
    assert_eq!(json["version"], "1.0.0");
    assert_eq!(json["segments"][1]["speaker"], "Ben");
    for (text, format) in [
        (&out_vtt, Format::Vtt),
        (&out_srt, Format::Srt),
        (&out_json, Format::Json),
    ] {
        let back = ok(text, format);
        assert_eq!(back.cues.len(), t.cues.len());
        for (a, b) in back.cues.iter().zip(&t.cues) {
            assert_eq!((a.start, a.end), (b.start, b.end), "{format:?}");
            assert_eq!(a.speaker, b.speaker, "{format:?}");
            assert_eq!(a.text, b.text, "{format:?}");
        }
    }
    assert_eq!(write::vtt(&t), out_vtt, "deterministic");
}

/// Section → start (s) from a fixture's truth.tsv.
fn truth(name: &str) -> Vec<(String, f64)> {
    std::fs::read_to_string(fixture(&format!("transcripts/{name}/truth.tsv")))
        .expect("truth")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(t, s)| (t.to_string(), s.parse().expect("seconds")))
        .collect()
}

fn derive(
    article_file: &Path,
    transcript_file: &Path,
) -> (Vec<model::Chapter>, ChapterSource, Vec<String>) {
    let a = article::parse_file(article_file, &SectionRules::default()).expect("article");
    let t = transcript::read(transcript_file, 3600.0).expect("transcript");
    let mut warnings = Vec::new();
    let (chapters, source) = model::derive_chapters(
        "https://example.org/a/",
        &a,
        mspod::load::AnchorScheme::Github,
        &t,
        &mut warnings,
    );
    (chapters, source, warnings)
}

/// Every truth section gets a chapter with its title, within 3 s; returns the worst error.
fn assert_aligned(name: &str, article: &str, transcript_name: &str) -> f64 {
    let dir = fixture(&format!("transcripts/{name}"));
    let (chapters, source, warnings) = derive(&dir.join(article), &dir.join(transcript_name));
    let ChapterSource::Derived {
        confidence,
        match_score,
    } = &source
    else {
        panic!("{name}: no derived chapters: {warnings:?}");
    };
    // The numbers the README reports.
    eprintln!(
        "{name} ({transcript_name}): match {match_score:.2}, boundary confidence {confidence:.2?}"
    );
    let truth = truth(name);
    assert_eq!(chapters.len(), truth.len(), "{chapters:#?}");
    let mut worst: f64 = 0.0;
    for (c, (title, start)) in chapters.iter().zip(&truth) {
        assert_eq!(&c.title, title);
        let error = (c.start - start).abs();
        assert!(
            error <= 3.0,
            "{title}: derived {} s, truth {start} s",
            c.start
        );
        worst = worst.max(error);
    }
    assert_eq!(chapters[0].start, 0.0);
    assert_eq!(
        chapters[1].url.as_deref(),
        Some("https://example.org/a/#quick-answer")
    );
    worst
}

#[test]
fn derived_chapters_start_within_3_s_of_each_section_monologue() {
    let worst = assert_aligned("panic-monologue", "article.md", "transcript.vtt");
    eprintln!("panic-monologue: worst chapter start error {worst:.3} s");
}

#[test]
fn derived_chapters_start_within_3_s_of_each_section_conversation() {
    // The SRT gives the same cues as the VTT, speakers from "Name: " turns.
    let a = assert_aligned(
        "relationship-conversation",
        "article.html",
        "transcript.vtt",
    );
    let b = assert_aligned(
        "relationship-conversation",
        "article.html",
        "transcript.srt",
    );
    eprintln!(
        "relationship-conversation: worst chapter start error {a:.3} s (VTT), {b:.3} s (SRT)"
    );
}

#[test]
fn a_transcript_of_another_episode_yields_no_chapters_and_says_why() {
    for (article, transcript) in [
        (
            "relationship-conversation/article.html",
            "panic-monologue/transcript.vtt",
        ),
        (
            "panic-monologue/article.md",
            "relationship-conversation/transcript.vtt",
        ),
    ] {
        let (chapters, source, warnings) = derive(
            &fixture(&format!("transcripts/{article}")),
            &fixture(&format!("transcripts/{transcript}")),
        );
        assert!(
            chapters.is_empty(),
            "{article} + {transcript}: {source:?} {chapters:#?}"
        );
        assert_eq!(source, ChapterSource::None);
        assert!(
            warnings.iter().any(|w| w.contains("no chapters derived")),
            "{warnings:?}"
        );
    }
}

#[test]
fn publish_writes_three_formats_tags_notes_and_derived_chapters() {
    let show = Show::sample_locked();
    show.publish(&["-v"])
        .expect_code(0)
        .stderr_has("grounding-techniques-for-panic: 5 chapters (derived from the transcript")
        .stderr_has("relationship-as-medicine: 6 chapters (audio)");
    let slug = "grounding-techniques-for-panic";
    for name in ["transcript.vtt", "transcript.srt", "transcript.json"] {
        assert!(
            show.file(&format!("feeds/{slug}/{name}")).is_file(),
            "{name}"
        );
    }
    let feed = show.read("feeds/podcast.xml");
    let vtt = format!(
        "<podcast:transcript url=\"https://example.org/podcast/{slug}/transcript.vtt\" type=\"text/vtt\" language=\"en-us\" rel=\"captions\"/>"
    );
    let srt = format!(
        "<podcast:transcript url=\"https://example.org/podcast/{slug}/transcript.srt\" type=\"application/x-subrip\" language=\"en-us\" rel=\"captions\"/>"
    );
    let json = format!(
        "<podcast:transcript url=\"https://example.org/podcast/{slug}/transcript.json\" type=\"application/json\" language=\"en-us\"/>"
    );
    let (v, s, j) = (feed.find(&vtt), feed.find(&srt), feed.find(&json));
    assert!(v.is_some() && s.is_some() && j.is_some(), "{feed}");
    assert!(v < s && s < j, "VTT first");
    let chapters: serde_json::Value =
        serde_json::from_str(&show.read(&format!("feeds/{slug}/chapters.json"))).expect("json");
    assert_eq!(chapters["mspodSource"], "derived");
    assert_eq!(chapters["chapters"][1]["title"], "Quick answer");
    let notes = show.read(&format!("feeds/{slug}/show-notes.html"));
    assert!(
        notes
            .contains("<h2 id=\"transcript\">Transcript</h2>\n<details class=\"transcript\" open>")
    );
    assert!(
        notes.contains("data-start=\"7.778\">0:07</a>"),
        "timestamps seek the player"
    );
    assert!(notes.contains("<span class=\"who\">Narrator</span>"));
    // Derived chapters reach the Markdown notes and content:encoded like any
    // others; both link the transcript on the notes page.
    let md = show.read(&format!("feeds/{slug}/show-notes.md"));
    assert!(
        md.contains(
            "- 0:07 [Quick answer](https://example.org/blog/grounding-techniques-for-panic/)"
        ),
        "{md}"
    );
    assert!(md.contains(&format!(
        "- Read the transcript: <https://example.org/podcast/{slug}/show-notes.html#transcript>"
    )));
    assert!(feed.contains("<p>0:07 Quick answer</p>"));
    assert!(feed.contains(&format!(
        "<br>Transcript: <a href=\"https://example.org/podcast/{slug}/show-notes.html#transcript\">"
    )));
    // The episode without a transcript has no transcript tags or files.
    assert!(
        !show
            .file("feeds/welcome-to-mentalspace/transcript.vtt")
            .exists()
    );
}

#[test]
fn transcript_errors_stop_publish_and_name_file_and_line() {
    let show = Show::sample_locked();
    let slug = "first-therapy-session";
    show.edit(&format!("episodes/{slug}/transcript.vtt"), |t| {
        t.replacen("00:00:00.000 --> ", "00:00:09.000 --> ", 1)
            + "\n00:09:00.000 --> 00:09:10.000\nFrom a longer cut.\n"
    });
    let run = show.publish(&[]);
    run.expect_code(1)
        .stderr_has(&format!(
            "episodes/{slug}/transcript.vtt:6: the cue ends (0:00:0"
        ))
        .stderr_has("after the audio ends");
    // The manifest key names another file; a missing one is an error at its line.
    show.write(&format!("episodes/{slug}/transcript.vtt"), "");
    show.edit(&format!("episodes/{slug}/episode.toml"), |t| {
        t + "transcript = \"missing.srt\"\n"
    });
    show.publish(&[])
        .expect_code(1)
        .stderr_has("`transcript`:")
        .stderr_has("missing.srt not found");
}

#[test]
fn the_sample_shows_derived_chapters_match_its_spoken_sections() {
    // The committed feeds/ against the sample audio's piece starts (exact sample counts).
    for slug in ["grounding-techniques-for-panic", "first-therapy-session"] {
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join(format!("feeds/{slug}/chapters.json")))
                .expect("chapters.json"),
        )
        .expect("JSON");
        assert_eq!(json["mspodSource"], "derived");
        let chapters = json["chapters"].as_array().expect("chapters");
        let truth = truth(&format!("sample-{slug}"));
        assert_eq!(chapters.len(), truth.len(), "{slug}");
        for (c, (title, start)) in chapters.iter().zip(&truth) {
            assert_eq!(c["title"].as_str(), Some(title.as_str()));
            let got = c["startTime"].as_f64().expect("startTime");
            assert!(
                (got - start).abs() <= 3.0,
                "{slug} {title}: {got} vs {start}"
            );
        }
    }
}

#[test]
fn validate_media_reads_local_transcripts_as_their_declared_type() {
    let show = Show::copy_of(&repo().join("feeds"), &[]);
    let feed = show.file("podcast.xml");
    let feed = feed.to_str().expect("utf-8 path");
    let media = show.path().to_str().expect("utf-8 path");
    let clean = support::mspod(show.path(), &["validate", "--media", media, feed]);
    assert!(
        !clean.stdout.contains("media/transcript-type"),
        "{}",
        clean.stdout
    );
    // A VTT whose second cue goes backwards, and a JSON file that is not a transcript.
    show.edit("first-therapy-session/transcript.vtt", |t| {
        t.replacen("00:00:06.373 --> ", "00:00:01.000 --> ", 1)
    });
    show.write(
        "grounding-techniques-for-panic/transcript.json",
        "{\"nope\": 1}\n",
    );
    let run = support::mspod(show.path(), &["validate", "--media", media, feed]);
    run.stdout_has("[media/transcript-type] <podcast:transcript type=\"text/vtt\">")
        .stdout_has("line:")
        .stdout_has("JSON transcript without a \"segments\" array");
}

#[test]
fn the_manifest_key_names_a_json_transcript_and_every_format_converts_the_same() {
    let show = Show::sample_locked();
    let slug = "grounding-techniques-for-panic";
    let committed = |name: &str| {
        std::fs::read_to_string(repo().join(format!("feeds/{slug}/{name}"))).expect("committed")
    };
    std::fs::remove_file(show.file(&format!("episodes/{slug}/transcript.vtt"))).expect("rm");
    show.write(
        &format!("episodes/{slug}/talk.json"),
        &committed("transcript.json"),
    );
    show.edit(&format!("episodes/{slug}/episode.toml"), |t| {
        t + "transcript = \"talk.json\"\n"
    });
    show.publish(&[]).expect_code(0);
    for name in [
        "transcript.vtt",
        "transcript.srt",
        "transcript.json",
        "chapters.json",
    ] {
        assert_eq!(
            show.read(&format!("feeds/{slug}/{name}")),
            committed(name),
            "{name}"
        );
    }
    // Editing only the transcript re-renders the episode (incremental publish sees it).
    show.edit(&format!("episodes/{slug}/talk.json"), |t| {
        t.replacen(
            "Grounding Techniques for Panic Attacks.",
            "Grounding techniques, for panic attacks.",
            1,
        )
    });
    show.publish(&[]).expect_code(0);
    assert!(
        show.read(&format!("feeds/{slug}/transcript.vtt"))
            .contains("Grounding techniques, for panic attacks.")
    );
}

#[test]
fn validate_warns_about_two_transcripts_of_one_type_and_language() {
    let show = Show::copy_of(&repo().join("feeds"), &[]);
    // A second VTT transcript in the same language, next to the first.
    let vtt = "<podcast:transcript url=\"https://example.org/podcast/first-therapy-session/transcript.vtt\" type=\"text/vtt\" language=\"en-us\" rel=\"captions\"/>";
    show.edit("podcast.xml", |feed| {
        assert!(feed.contains(vtt));
        feed.replacen(
            vtt,
            &format!("{vtt}{}", vtt.replace("transcript.vtt", "other.vtt")),
            1,
        )
    });
    let run = support::mspod(show.path(), &["validate", "podcast.xml"]);
    run.stdout_has("[podcast/transcript-duplicate] a second <podcast:transcript type=\"text/vtt\" language=\"en-us\">");
    // The published feed has one per format.
    let clean = support::mspod(&repo(), &["validate", "--strict", "feeds/podcast.xml"]);
    clean.expect_code(0);
}

/// `seconds` of silent MP3: MPEG-1 Layer III, 32 kHz, 32 kbit/s, mono, CBR;
/// 144-byte frames of 1152 samples whose side information is all zero.
fn silent_mp3(seconds: u32) -> Vec<u8> {
    let frames = (seconds * 32_000).div_ceil(1152) as usize;
    let mut frame = [0u8; 144];
    frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x18, 0xC0]);
    frame.repeat(frames)
}

#[test]
fn long_episodes_show_their_transcript_collapsed() {
    let show = Show::sample_locked();
    // A new 16-minute episode that reuses an article and its transcript.
    support::copy_dir(
        &show.file("episodes/first-therapy-session"),
        &show.file("episodes/long-talk"),
        &[],
    );
    std::fs::write(
        show.file("episodes/long-talk/audio.mp3"),
        silent_mp3(16 * 60),
    )
    .expect("mp3");
    show.set(
        "episodes/long-talk/episode.toml",
        "article_url",
        "article_url = \"https://example.org/blog/long-talk/\"",
    );
    show.set("episodes/long-talk/episode.toml", "number", "number = 5");
    show.publish(&[]).expect_code(0);
    let notes = show.read("feeds/long-talk/show-notes.html");
    assert!(
        notes.contains("<details class=\"transcript\">\n<summary>"),
        "collapsed"
    );
    let short = show.read("feeds/first-therapy-session/show-notes.html");
    assert!(
        short.contains("<details class=\"transcript\" open>"),
        "open"
    );
}

#[test]
fn mangled_transcripts_give_errors_never_panics() {
    // Deterministic mutations (a linear congruential generator) of real files.
    let inputs = [
        (
            fixture("transcripts/relationship-conversation/transcript.vtt"),
            Format::Vtt,
        ),
        (
            fixture("transcripts/relationship-conversation/transcript.srt"),
            Format::Srt,
        ),
        (
            repo().join("feeds/first-therapy-session/transcript.json"),
            Format::Json,
        ),
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) as usize
    };
    let alphabet = "<>v:.,-> \n\r0123456789&;\"{}[]é\u{feff}WEBVTT NOTE";
    let alphabet: Vec<char> = alphabet.chars().collect();
    for (path, format) in inputs {
        let original: Vec<char> = std::fs::read_to_string(&path)
            .expect("input")
            .chars()
            .collect();
        for _ in 0..300 {
            let mut text = original.clone();
            for _ in 0..1 + next() % 8 {
                let at = next() % text.len();
                match next() % 3 {
                    0 => text[at] = alphabet[next() % alphabet.len()],
                    1 => {
                        text.remove(at);
                    }
                    _ => text.insert(at, alphabet[next() % alphabet.len()]),
                }
            }
            let text: String = text.into_iter().collect();
            let _ = transcript::from_str(&text, format, Path::new("m"), 200.0);
        }
    }
}

#[test]
fn word_level_json_aligns_like_sentences() {
    // One JSON segment per word (allowed by the spec), times spread over each cue.
    let dir = fixture("transcripts/relationship-conversation");
    let t = transcript::read(&dir.join("transcript.vtt"), 3600.0).expect("transcript");
    let mut segments = Vec::new();
    for c in &t.cues {
        let words: Vec<&str> = c.text.split_whitespace().collect();
        let step = (c.end - c.start) / words.len() as f64;
        for (i, w) in words.iter().enumerate() {
            let start = ((c.start + step * i as f64) * 1000.0).round() / 1000.0;
            let end = ((c.start + step * (i + 1) as f64) * 1000.0).round() / 1000.0;
            segments.push(serde_json::json!({"speaker": c.speaker, "startTime": start, "endTime": end, "body": w}));
        }
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("words.json");
    let json = serde_json::json!({"version": "1.0.0", "segments": segments});
    std::fs::write(&file, json.to_string()).expect("write");
    let (chapters, source, warnings) = derive(&dir.join("article.html"), &file);
    eprintln!("word-level JSON: {source:.2?}");
    let truth = truth("relationship-conversation");
    assert_eq!(chapters.len(), truth.len(), "{warnings:?}");
    let mut worst: f64 = 0.0;
    for (c, (title, start)) in chapters.iter().zip(&truth) {
        assert_eq!(&c.title, title);
        assert!(
            (c.start - start).abs() <= 3.0,
            "{title}: {} vs {start}",
            c.start
        );
        worst = worst.max((c.start - start).abs());
    }
    eprintln!("word-level JSON: worst chapter start error {worst:.3} s");
}

#[test]
fn removing_a_transcript_removes_its_files_tags_and_derived_chapters() {
    let show = Show::sample_published();
    let slug = "grounding-techniques-for-panic";
    // A first publish records what it wrote (in .mspod/, which the copy leaves out).
    show.publish(&["--no-cache"]).expect_code(0);
    std::fs::remove_file(show.file(&format!("episodes/{slug}/transcript.vtt"))).expect("rm");
    show.publish(&[]).expect_code(0);
    for name in [
        "transcript.vtt",
        "transcript.srt",
        "transcript.json",
        "chapters.json",
    ] {
        assert!(
            !show.file(&format!("feeds/{slug}/{name}")).exists(),
            "{name} left behind"
        );
    }
    let feed = show.read("feeds/podcast.xml");
    assert!(!feed.contains(&format!("{slug}/transcript")));
    assert!(!feed.contains(&format!("{slug}/chapters.json")));
}
