//! MIME types: their syntax, essence, and the types that fit a media file extension.

/// `type/subtype` with optional parameters, per RFC 6838 token characters.
pub fn is_mime(s: &str) -> bool {
    let essence = s.split(';').next().unwrap_or("").trim();
    let Some((t, sub)) = essence.split_once('/') else {
        return false;
    };
    let token = |x: &str| {
        !x.is_empty()
            && x.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    token(t) && token(sub)
}

/// The MIME essence in lower case, without parameters.
pub fn mime_essence(s: &str) -> String {
    s.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// MIME types that fit a media file extension.
pub fn types_for_extension(ext: &str) -> Option<&'static [&'static str]> {
    Some(match ext {
        "mp3" => &[
            "audio/mpeg",
            "audio/mp3",
            "audio/mpeg3",
            "audio/x-mpeg",
            "audio/x-mp3",
        ],
        "m4a" => &[
            "audio/x-m4a",
            "audio/mp4",
            "audio/m4a",
            "audio/aac",
            "audio/x-aac",
        ],
        "mp4" => &["video/mp4", "audio/mp4", "audio/x-m4a"],
        "m4v" => &["video/x-m4v", "video/mp4"],
        "mov" => &["video/quicktime"],
        "pdf" => &["application/pdf"],
        "ogg" | "oga" => &["audio/ogg", "audio/vorbis", "audio/opus", "application/ogg"],
        "opus" => &["audio/opus", "audio/ogg"],
        "aac" => &["audio/aac", "audio/x-aac", "audio/aacp"],
        "wav" => &["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"],
        "flac" => &["audio/flac", "audio/x-flac"],
        "webm" => &["video/webm", "audio/webm"],
        _ => return None,
    })
}
