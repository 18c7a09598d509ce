//! An independent oracle for the media stage: a real decoder. src/media/ computes durations from
//! container and frame headers without decoding; here symphonia 0.6 decodes every packet of each
//! good fixture (and of the sample show's episodes) and counts the frames (samples per channel) it
//! outputs, after its gapless trimming. `mspod::media::probe` must agree with that count to
//! within one codec frame.
//!
//! Skipped, and why:
//! - `bad-*`: damaged on purpose; their expected outcome (warning or error) is tested in media.rs.
//! - `opus.opus`: symphonia 0.6 has no Opus decoder (its Ogg demuxer maps Opus, but nothing decodes it).
//!
//! One known disagreement, pinned exactly rather than hidden by a looser bound: see
//! [`NO_EDIT_LIST`].
//!
//! symphonia 0.6 has no `FormatOptions::enable_gapless` (that was 0.5): demuxers always put the
//! encoder delay and padding they know about into `Packet::trim_start`/`trim_end`, and decoders
//! drop those frames when `AudioDecoderOptions::gapless` is on (its default; set explicitly below).

use mspod::media;
use std::fs::File;
use std::path::{Path, PathBuf};
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

/// Files where symphonia 0.6 is known to decode more than the playable audio, with the exact
/// excess in samples. Its MP4 demuxer ignores edit lists (symphonia-format-isomp4 0.6.1,
/// demuxer.rs: "Since edits are not currently supported ... TODO: Support edits"), so AAC in
/// MP4 decodes every coded frame, encoder priming and end padding included. Both files (made by
/// ffmpeg's AAC encoder) have 66 frames × 1024 = 67584 samples and one edit-list entry
/// media_time 1024, segment 3.000 s = 66150 samples at 22050 Hz, which is what mspod reports;
/// the excess is 1024 priming + 410 end padding = 1434. Cross-checked with ffmpeg 5.1:
/// `ffmpeg -ignore_editlist 1 -i FILE -ac 1 -f s16le -` also yields 67584 samples.
/// If symphonia learns edit lists the excess drops to 0 and the test asks for the entry's removal.
const NO_EDIT_LIST: &[(&str, i64)] = &[
    ("tests/fixtures/audio/m4a-aac-chapters-cover.m4a", 1434),
    ("tests/fixtures/audio/m4a-aac-faststart.m4a", 1434),
];

/// What a full symphonia decode of one file yields.
struct Decoded {
    /// Frames (samples per channel) output by the decoder after gapless trimming.
    frames: u64,
    rate: u32,
}

/// Decodes every packet of the default audio track and counts the output frames.
fn decode(path: &Path) -> Decoded {
    let name = path.display();
    let file = File::open(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: symphonia probe: {e}"));
    let track = format
        .default_track(TrackType::Audio)
        .unwrap_or_else(|| panic!("{name}: no audio track"));
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .unwrap_or_else(|| panic!("{name}: no audio codec parameters"))
        .clone();
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default().gapless(true))
        .unwrap_or_else(|e| panic!("{name}: no decoder: {e}"));

    let mut frames = 0u64;
    let mut rate = params.sample_rate;
    while let Some(packet) = format
        .next_packet()
        .unwrap_or_else(|e| panic!("{name}: demux: {e}"))
    {
        if packet.track_id != track_id {
            continue;
        }
        // A good file must decode cleanly: any decode error fails the test rather than
        // silently dropping a packet's frames from the count.
        let buf = decoder
            .decode(&packet)
            .unwrap_or_else(|e| panic!("{name}: decode: {e}"));
        frames += buf.frames() as u64;
        rate = Some(buf.spec().rate());
    }
    Decoded {
        frames,
        rate: rate.unwrap_or_else(|| panic!("{name}: no sample rate")),
    }
}

/// One codec frame in samples: the largest error a header-only duration may have. FLAC blocks
/// vary per encoder, so 4608 (the largest common block size) is used as a generous bound.
/// ALAC: 4096 (the default frames per packet); Vorbis: 2048 (its long block); PCM: one sample.
fn frame_samples(path: &Path, codec: &str) -> u64 {
    match codec {
        c if c.contains("mp3") => 1152,
        c if c.contains("aac") => 1024,
        c if c.contains("alac") => 4096,
        c if c.contains("vorbis") => 2048,
        c if c.contains("flac") => 4608,
        c if c.contains("pcm") || c.ends_with("law") => 1,
        _ => panic!(
            "{}: no frame size known for codec {codec:?}",
            path.display()
        ),
    }
}

/// The files to cross-check: good audio fixtures and the sample show's episode audio.
fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let audio = root.join("tests/fixtures/audio");
    for entry in std::fs::read_dir(&audio).expect("tests/fixtures/audio") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let audio_ext = matches!(ext, "mp3" | "m4a" | "ogg" | "flac" | "wav" | "opus");
        // See the module comment for why these are skipped.
        if !audio_ext || name.starts_with("bad-") || ext == "opus" {
            continue;
        }
        out.push(path);
    }
    for entry in std::fs::read_dir(root.join("episodes")).expect("episodes/") {
        let path = entry.expect("dir entry").path().join("audio.mp3");
        if path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn header_durations_agree_with_a_full_decode_to_within_one_frame() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = files();
    assert!(
        files.len() >= 20,
        "expected the fixture set, found {files:?}"
    );
    let mut report = vec![format!(
        "{:<52} {:>12} {:>12} {:>8} {:>6}",
        "file", "mspod s", "decoded s", "diff", "frame"
    )];
    let mut failures = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        let info = media::probe(path).unwrap_or_else(|e| panic!("{rel}: mspod: {e}"));
        let decoded = decode(path);
        let rate = f64::from(decoded.rate);
        let decoded_secs = decoded.frames as f64 / rate;
        // Difference in samples at the decoded rate (positive: symphonia decodes more).
        let diff = ((decoded_secs - info.duration) * rate).round() as i64;
        let frame = frame_samples(path, &info.codec.to_ascii_lowercase());
        report.push(format!(
            "{rel:<52} {:>12.6} {decoded_secs:>12.6} {diff:>8} {frame:>6}",
            info.duration
        ));
        if let Some(&(_, excess)) = NO_EDIT_LIST.iter().find(|(f, _)| *f == rel) {
            if diff != excess {
                failures.push(format!(
                    "{rel}: expected symphonia to decode exactly {excess} samples more than                      mspod (it ignores MP4 edit lists), got {diff}; if symphonia now applies                      edit lists, remove the file from NO_EDIT_LIST"
                ));
            }
        } else if diff.unsigned_abs() > frame {
            failures.push(format!(
                "{rel}: mspod {:.6} s, symphonia {} frames at {} Hz = {decoded_secs:.6} s, \
                 off by {diff} samples (> {frame})",
                info.duration, decoded.frames, decoded.rate
            ));
        }
    }
    // Printed with `--nocapture`; the table is the cross-check's record.
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
