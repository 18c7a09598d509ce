//! Article bytes to text, the way a browser decides: a byte order mark, then
//! the charset the server sent (for downloaded pages), then UTF-8 if the bytes
//! are valid UTF-8, then what the document declares — `<meta charset>` (or
//! `http-equiv="Content-Type"`) in HTML, a `charset:`/`encoding:` key in
//! Markdown front matter. Bytes that fit none of these, or that decode to
//! binary data, are an error naming the byte offset.

use encoding_rs::{Encoding, UTF_8};

/// How far into a document its encoding declaration is looked for (HTML's
/// prescan reads 1024 bytes; front matter can be longer).
const PRESCAN: usize = 4096;

/// Decodes an article. `http_charset` is the `charset` a server sent with it.
pub fn decode(bytes: &[u8], markdown: bool, http_charset: Option<&str>) -> Result<String, String> {
    let (encoding, body, why) = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom..], "its byte order mark")
    } else if let Some(enc) = http_charset.and_then(label) {
        (enc, bytes, "the server's Content-Type")
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, bytes, "")
    } else if let Some(enc) = declared(bytes, markdown) {
        (
            enc,
            bytes,
            if markdown {
                "its front matter"
            } else {
                "its <meta charset>"
            },
        )
    } else {
        let at = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let byte = bytes.get(at).copied().unwrap_or(0);
        return Err(format!(
            "not UTF-8 text: byte {at} is 0x{byte:02X}, and no encoding is declared; save it as UTF-8, or declare its encoding ({})",
            if markdown {
                "`charset: windows-1252` in the front matter"
            } else {
                "<meta charset=\"windows-1252\">"
            }
        ));
    };
    let text = decode_strict(encoding, body).map_err(|at| {
        let at = at + (bytes.len() - body.len());
        let byte = bytes.get(at).copied().unwrap_or(0);
        if why.is_empty() {
            format!("not UTF-8 text: byte {at} is 0x{byte:02X}")
        } else {
            format!(
                "not {} text as {why} says: byte {at} is 0x{byte:02X}",
                encoding.name()
            )
        }
    })?;
    // Text has no NUL: one means a binary file (or a UTF-16 file without a BOM).
    if let Some(at) = text.find('\0') {
        let at = byte_offset(encoding, body, &text, at) + (bytes.len() - body.len());
        return Err(format!(
            "not text: a NUL at byte {at} (a binary file, or UTF-16 without a byte order mark?)"
        ));
    }
    Ok(text)
}

/// An encoding from a charset label; UTF-16 labels inside a document mean UTF-8
/// (the document could not have been read to find them otherwise).
fn label(name: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(name.trim().trim_matches(['"', '\'']).as_bytes())?;
    Some(enc.output_encoding())
}

/// Decodes without replacement; `Err` is the offset of the first malformed byte.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            Err(read.saturating_sub(bad as usize + extra as usize))
        }
        // Cannot happen with a buffer of the maximum length; treat as malformed at the end.
        encoding_rs::DecoderResult::OutputFull => Err(read),
    }
}

/// The byte offset in `bytes` of the character at `char_at` (a byte index into `text`).
fn byte_offset(encoding: &'static Encoding, bytes: &[u8], text: &str, char_at: usize) -> usize {
    if encoding == UTF_8 {
        return char_at;
    }
    let (prefix, _, _) = encoding.encode(&text[..char_at]);
    prefix.len().min(bytes.len())
}

/// The encoding a document declares in its first bytes.
fn declared(bytes: &[u8], markdown: bool) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    // Declarations are ASCII: reading the head as Latin-1 keeps every byte's offset.
    let head: String = head.iter().map(|&b| b as char).collect();
    let lower = head.to_ascii_lowercase();
    if markdown {
        return front_matter_charset(&lower);
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("<meta") {
        let tag = &rest[at..];
        let end = tag.find('>').unwrap_or(tag.len());
        let tag = &tag[..end];
        if let Some(enc) = charset_in(tag) {
            return Some(enc);
        }
        rest = &rest[at + 5..];
    }
    None
}

/// `charset=X` inside a `<meta …>` tag (either `charset="X"` or
/// `content="text/html; charset=X"`).
fn charset_in(tag: &str) -> Option<&'static Encoding> {
    let at = tag.find("charset")?;
    let value = tag[at + "charset".len()..].trim_start().strip_prefix('=')?;
    let value = value.trim_start().trim_start_matches(['"', '\'']);
    let end = value
        .find(|c: char| matches!(c, '"' | '\'' | ';' | '>' | '/') || c.is_whitespace())
        .unwrap_or(value.len());
    label(&value[..end])
}

/// `charset: X` or `encoding = "X"` in `---`/`+++` front matter.
fn front_matter_charset(lower: &str) -> Option<&'static Encoding> {
    let fence = ["---", "+++"].into_iter().find(|f| lower.starts_with(f))?;
    for line in lower.lines().skip(1) {
        if line.trim_end() == fence {
            break;
        }
        let Some((key, value)) = line.split_once([':', '=']) else {
            continue;
        };
        if matches!(key.trim(), "charset" | "encoding") {
            return label(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_read_when_declared() {
        let html = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title>";
        assert!(decode(html, false, None).is_ok_and(|t| t.contains("Café")));
        let http_equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">\x93q\x94";
        assert!(decode(http_equiv, false, None).is_ok_and(|t| t.ends_with("\u{201C}q\u{201D}")));
        let md = b"---\ntitle: Caf\xe9\ncharset: latin1\n---\n# Caf\xe9\n";
        assert!(decode(md, true, None).is_ok_and(|t| t.contains("# Café")));
        assert!(decode(b"caf\xe9", false, Some("iso-8859-1")).is_ok_and(|t| t == "café"));
    }

    #[test]
    fn a_byte_order_mark_wins() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Hé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&utf16, false, Some("windows-1252")).as_deref(),
            Ok("Hé")
        );
        assert_eq!(decode(b"\xEF\xBB\xBFok", true, None).as_deref(), Ok("ok"));
    }

    #[test]
    fn undeclared_or_binary_bytes_are_an_error_with_the_offset() {
        let err = |bytes: &[u8], md| decode(bytes, md, None).err().unwrap_or_default();
        let e = err(b"<p>caf\xe9</p>", false);
        assert!(e.contains("byte 6 is 0xE9"), "{e}");
        let e = err(b"<meta charset=utf-8><p>caf\xe9", false);
        assert!(e.contains("byte 26"), "{e}");
        let e = err(b"abc\0def", true);
        assert!(e.contains("NUL at byte 3"), "{e}");
    }
}
