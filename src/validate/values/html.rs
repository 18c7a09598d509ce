//! HTML fragments as a browser's tokenizer reads them: tags, attributes, text, links
//! and entities left in decoded text.

/// Tag names used in an HTML fragment, lower case, in order of first use.
pub fn html_tags(html: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(pos) = html[i..].find('<') {
        let start = i + pos + 1;
        let mut j = start;
        if j < bytes.len() && bytes[j] == b'/' {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j > name_start && bytes[name_start].is_ascii_alphabetic() {
            let name = html[name_start..j].to_ascii_lowercase();
            if !tags.contains(&name) {
                tags.push(name);
            }
        }
        i = start;
        if i >= html.len() {
            break;
        }
    }
    tags
}

/// True if the text contains what looks like an HTML tag.
pub fn looks_like_html(text: &str) -> bool {
    // Only real HTML tag names count: "Nice <gorilla>" is text.
    const TAGS: &[&str] = &[
        "a",
        "abbr",
        "b",
        "big",
        "blockquote",
        "br",
        "center",
        "cite",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "iframe",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "script",
        "small",
        "span",
        "strike",
        "strong",
        "style",
        "sub",
        "sup",
        "table",
        "td",
        "th",
        "tr",
        "tt",
        "u",
        "ul",
    ];
    html_tags(text)
        .iter()
        .any(|t| TAGS.contains(&t.as_str()) && text.contains('>'))
}

/// An entity reference left in decoded text (`&#239;`, `&eacute;`): the text was escaped
/// twice, and apps show the reference literally.
pub fn literal_entity(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let tail = &rest[at + 1..];
        let name_len = tail
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '#')
            .count();
        if name_len > 0 && name_len <= 10 && tail[name_len..].starts_with(';') {
            let name = &tail[..name_len];
            let numeric = name.strip_prefix('#').is_some_and(|n| {
                n.strip_prefix(['x', 'X']).map_or(
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
                    |h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()),
                )
            });
            if numeric || name.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Some(&rest[at..at + name_len + 2]);
            }
        }
        rest = &rest[at + 1..];
    }
    None
}

/// One start tag of an HTML fragment: its lower-case name and attributes
/// (names lower-cased, values as written, without quotes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlTag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

/// An HTML fragment split the way a browser's tokenizer splits it: start tags with
/// their attributes (quoted values kept whole, so `href="a onclick=b"` is one
/// value) and the text between tags (entities not decoded). Comments, end tags and
/// `<!…>`/`<?…>` are skipped; a `<` that starts no tag is text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlScan {
    pub tags: Vec<HtmlTag>,
    pub text: String,
}

pub fn html_scan(html: &str) -> HtmlScan {
    let b = html.as_bytes();
    let mut scan = HtmlScan::default();
    let mut i = 0;
    let mut text_from = 0;
    // The byte after the next `>` at or after `from` (or the end).
    let past = |from: usize, what: &str| {
        html[from..]
            .find(what)
            .map_or(html.len(), |p| from + p + what.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied();
        let after = match next {
            Some(b'!') if html[i..].starts_with("<!--") => past(i + 4, "-->"),
            Some(b'!' | b'?') => past(i + 2, ">"),
            Some(b'/') if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) => past(i + 2, ">"),
            Some(c) if c.is_ascii_alphabetic() => {
                let (tag, end) = start_tag(html, i + 1);
                scan.tags.push(tag);
                end
            }
            _ => {
                i += 1;
                continue;
            }
        };
        scan.text.push_str(&html[text_from..i]);
        i = after;
        text_from = after;
    }
    scan.text.push_str(&html[text_from.min(html.len())..]);
    scan
}

/// Reads a start tag whose name begins at `at`; returns it and the byte after its `>`.
fn start_tag(html: &str, at: usize) -> (HtmlTag, usize) {
    let b = html.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut j = at;
    while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let mut tag = HtmlTag {
        name: html[at..j].to_ascii_lowercase(),
        attrs: Vec::new(),
    };
    loop {
        while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
            j += 1;
        }
        if j >= b.len() {
            return (tag, b.len());
        }
        if b[j] == b'>' {
            return (tag, j + 1);
        }
        let name_start = j;
        // The first character may be `=` (it is then part of the name).
        j += 1;
        while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        let mut value = String::new();
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(html.len(), |p| j + 1 + p);
                    value = html[j + 1..end].to_string();
                    j = (end + 1).min(html.len());
                }
                _ => {
                    let start = j;
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[start..j].to_string();
                }
            }
        }
        tag.attrs.push((name, value));
    }
}

/// Values of `href=` and `src=` attributes in an HTML fragment.
pub fn html_links(html: &str) -> Vec<String> {
    html_scan(html)
        .tags
        .into_iter()
        .flat_map(|t| t.attrs)
        .filter(|(k, _)| k == "href" || k == "src")
        .map(|(_, v)| v)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::values::urls::is_relative_link;

    #[test]
    fn html_scan_keeps_quoted_values_whole_and_escaped_markup_as_text() {
        let scan = html_scan(
            r#"<p>a &lt;img src=x&gt;<!-- <b onclick=x> --><a href="u onclick=y" title='z'>t</a></p>"#,
        );
        let names: Vec<&str> = scan.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "a"]);
        assert_eq!(
            scan.tags[1].attrs,
            [
                ("href".to_string(), "u onclick=y".to_string()),
                ("title".to_string(), "z".to_string())
            ]
        );
        assert_eq!(scan.text, "a &lt;img src=x&gt;t");
        assert_eq!(html_scan("1 < 2 <3").text, "1 < 2 <3");
    }

    #[test]
    fn html_scans() {
        assert_eq!(html_tags("<p>a <b>b</b><br/></p>"), vec!["p", "b", "br"]);
        assert!(looks_like_html("a <i>b</i>"));
        assert!(!looks_like_html("Nice <gorilla> what's he weigh?"));
        assert_eq!(literal_entity("Lo&#239;c"), Some("&#239;"));
        assert_eq!(literal_entity("Q&A; more"), Some("&A;"));
        assert_eq!(literal_entity("Fish & Chips; tea"), None);
        assert!(!looks_like_html("I <3 cats > dogs"));
        assert_eq!(
            html_links(r#"<a href="/x">x</a> <img src='y.png'>"#),
            vec!["/x", "y.png"]
        );
        assert!(is_relative_link("/ep1"));
        assert!(!is_relative_link("https://x.org/"));
        assert!(!is_relative_link("mailto:a@b.c"));
    }
}
