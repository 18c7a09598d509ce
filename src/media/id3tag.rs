//! ID3v2 (2.2, 2.3, 2.4) and ID3v1 tags: where the tag ends (so the audio can be found
//! even behind a corrupt size field or a multi-megabyte cover), and what it says
//! (tags, CHAP/CTOC chapters, APIC cover art). Frame decoding is the `id3` crate's;
//! finding the boundaries is ours, because that is what a broken tag gets wrong.

use super::source::{Source, be32};
use super::{Cover, MediaChapter, MediaInfo, put_tag};
use id3::TagLike;

/// An ID3v2 tag at the start of the file.
pub(super) struct Id3v2 {
    /// 10 + size (+10 with a footer), as the header says. May be past the end of the file.
    pub declared_end: u64,
    /// Where the last well-formed frame ends: the real end of the tag data when the
    /// declared size is wrong. The audio starts at or after this.
    pub frames_end: u64,
    pub tag: Option<id3::Tag>,
    pub warnings: Vec<String>,
}

fn syncsafe(b: &[u8]) -> u32 {
    b.iter()
        .take(4)
        .fold(0u32, |acc, &x| (acc << 7) | u32::from(x & 0x7f))
}

fn is_frame_id(id: &[u8]) -> bool {
    !id.is_empty()
        && id
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Walks the frame headers to find where the frames really end (ignoring the declared size).
fn frames_end(data: &[u8], major: u8) -> usize {
    let mut pos = 10usize;
    let flags = data.get(5).copied().unwrap_or(0);
    if major >= 3 && flags & 0x40 != 0 {
        // Extended header: its size excludes itself in 2.3 (+4), includes itself in 2.4.
        let n = be32(data, 10) as usize;
        pos += if major == 3 {
            n + 4
        } else {
            syncsafe(data.get(10..14).unwrap_or(&[])) as usize
        };
    }
    let (id_len, hdr_len) = if major == 2 { (3, 6) } else { (4, 10) };
    while pos + hdr_len <= data.len() {
        let id = &data[pos..pos + id_len];
        if !is_frame_id(id) {
            break;
        }
        let size = match major {
            2 => {
                (u32::from(data[pos + 3]) << 16)
                    | (u32::from(data[pos + 4]) << 8)
                    | u32::from(data[pos + 5])
            }
            3 => be32(data, pos + 4),
            _ => {
                let raw = &data[pos + 4..pos + 8];
                // Some writers put plain (non-syncsafe) sizes into 2.4 tags.
                if raw.iter().any(|b| b & 0x80 != 0) {
                    be32(data, pos + 4)
                } else {
                    syncsafe(raw)
                }
            }
        } as usize;
        let next = pos.saturating_add(hdr_len).saturating_add(size);
        if next > data.len() {
            break;
        }
        pos = next;
    }
    pos.min(data.len())
}

/// Reads the ID3v2 tag at offset 0 (the caller checked the `ID3` magic).
pub(super) fn read_v2(src: &mut Source) -> Result<Id3v2, String> {
    let header = src.read_exact_at(0, 10, "ID3v2 header")?;
    let major = header[3];
    let flags = header[5];
    let size = u64::from(syncsafe(&header[6..10]));
    let footer = if major >= 4 && flags & 0x10 != 0 {
        10
    } else {
        0
    };
    let declared_end = 10 + size + footer;
    let mut warnings = Vec::new();
    if !(2..=4).contains(&major) {
        warnings.push(format!("unknown ID3v2 version 2.{major}: tag ignored"));
        return Ok(Id3v2 {
            declared_end: declared_end.min(src.len),
            frames_end: 10,
            tag: None,
            warnings,
        });
    }
    let mut data = src
        .read_at(0, declared_end)
        .map_err(|e| super::source::io_message(&e))?;
    let fend = frames_end(&data, major) as u64;
    if declared_end > src.len {
        warnings.push(format!(
            "ID3v2 tag size is wrong: it claims {declared_end} bytes but the file has {}; audio searched after its last frame",
            src.len
        ));
        // Let the tag reader see the frames that are really there.
        let body = (fend - 10) as u32;
        let ss = [
            (body >> 21) as u8 & 0x7f,
            (body >> 14) as u8 & 0x7f,
            (body >> 7) as u8 & 0x7f,
            body as u8 & 0x7f,
        ];
        data.truncate(fend as usize);
        data[6..10].copy_from_slice(&ss);
        data[5] &= !0x10;
    }
    let tag = match id3::no_tag_ok(id3::partial_tag_ok(id3::Tag::read_from2(
        std::io::Cursor::new(&data),
    ))) {
        Ok(t) => t,
        Err(e) => {
            warnings.push(format!("ID3v2 tag unreadable: {e}"));
            None
        }
    };
    Ok(Id3v2 {
        declared_end,
        frames_end: fend,
        tag,
        warnings,
    })
}

/// Copies tags, chapters and the cover from an ID3v2 tag.
pub(super) fn apply_v2(tag: &id3::Tag, info: &mut MediaInfo) {
    let t = &mut info.tags;
    if let Some(v) = tag.title() {
        put_tag(t, "title", v);
    }
    if let Some(v) = tag.artist() {
        put_tag(t, "artist", v);
    }
    if let Some(v) = tag.album() {
        put_tag(t, "album", v);
    }
    if let Some(v) = tag.album_artist() {
        put_tag(t, "album_artist", v);
    }
    if let Some(v) = tag.genre() {
        put_tag(t, "genre", v);
    }
    if let Some(y) = tag.year() {
        put_tag(t, "year", &y.to_string());
    } else if let Some(d) = tag.date_recorded().or_else(|| tag.date_released()) {
        put_tag(t, "year", &d.year.to_string());
    }
    // Prefer the comment without a description (the "main" one).
    let mut comments: Vec<&id3::frame::Comment> = tag.comments().collect();
    comments.sort_by_key(|c| !c.description.is_empty());
    if let Some(c) = comments.first() {
        put_tag(t, "comment", &c.text);
    }
    if let Some(l) = tag.extended_links().next() {
        put_tag(t, "url", &l.link);
    }
    for id in ["TLEN", "TPUB", "TCOP", "TSSE", "TENC"] {
        if let Some(v) = tag.get(id).and_then(|f| f.content().text()) {
            let key = match id {
                "TLEN" => "tlen",
                "TPUB" => "publisher",
                "TCOP" => "copyright",
                "TSSE" => "encoder_settings",
                _ => "encoded_by",
            };
            put_tag(t, key, v);
        }
    }
    if info.cover.is_none() {
        let mut pics: Vec<&id3::frame::Picture> = tag.pictures().collect();
        // The front cover (type 3) wins over other pictures.
        pics.sort_by_key(|p| p.picture_type != id3::frame::PictureType::CoverFront);
        if let Some(p) = pics.first() {
            info.cover = Some(Cover::from_image(&p.mime_type, &p.data));
        }
    }
    if info.chapters.is_empty() {
        for ch in tag.chapters() {
            let mut title = String::new();
            let mut url = None;
            let mut image = None;
            for f in &ch.frames {
                let c = f.content();
                if f.id() == "TIT2" {
                    if let Some(s) = c.text() {
                        title = s.trim_matches('\0').to_string();
                    }
                } else if let Some(l) = c.extended_link() {
                    url.get_or_insert_with(|| clean(&l.link));
                } else if let Some(l) = c.link() {
                    url.get_or_insert_with(|| clean(l));
                } else if let Some(p) = c.picture() {
                    image.get_or_insert_with(|| Cover::from_image(&p.mime_type, &p.data));
                }
            }
            let end = (ch.end_time > ch.start_time && ch.end_time != u32::MAX)
                .then(|| f64::from(ch.end_time) / 1000.0);
            info.chapters.push(MediaChapter {
                start: f64::from(ch.start_time) / 1000.0,
                end,
                title,
                url,
                image,
            });
        }
    }
}

/// Text without the NULs and blanks some writers leave around it.
fn clean(s: &str) -> String {
    s.trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_string()
}

/// The 128-byte ID3v1 tag at the end of the file, if there is one.
pub(super) fn v1_at_end(src: &mut Source) -> Option<Vec<u8>> {
    if src.len < 128 {
        return None;
    }
    let b = src.read_at(src.len - 128, 128).ok()?;
    (b.len() == 128 && b.starts_with(b"TAG")).then_some(b)
}

fn latin1(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    b[..end]
        .iter()
        .map(|&c| char::from(c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Copies ID3v1 fields into tags not already set by ID3v2.
pub(super) fn apply_v1(b: &[u8], info: &mut MediaInfo) {
    if b.len() < 128 {
        return;
    }
    let t = &mut info.tags;
    put_tag(t, "title", &latin1(&b[3..33]));
    put_tag(t, "artist", &latin1(&b[33..63]));
    put_tag(t, "album", &latin1(&b[63..93]));
    put_tag(t, "year", &latin1(&b[93..97]));
    // ID3v1.1: a zero byte at 125 means 126 holds the track number.
    let comment = if b[125] == 0 {
        &b[97..125]
    } else {
        &b[97..127]
    };
    put_tag(t, "comment", &latin1(comment));
}
