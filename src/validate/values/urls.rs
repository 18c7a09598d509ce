//! URL forms: absolute http(s), any absolute URL, a path's extension, relative links.

/// An absolute http or https URL with a host.
pub fn is_http_url(s: &str) -> bool {
    match url::Url::parse(s.trim()) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// Any absolute URL (a scheme and something after it).
pub fn is_absolute_url(s: &str) -> bool {
    url::Url::parse(s.trim()).is_ok()
}

/// The lower-case file extension of a URL's path, if any.
pub fn url_extension(u: &str) -> Option<String> {
    let parsed = url::Url::parse(u.trim()).ok()?;
    let last = parsed.path_segments()?.next_back()?.to_string();
    let (_, ext) = last.rsplit_once('.')?;
    if ext.is_empty() || ext.len() > 5 {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// A link an app cannot resolve: no scheme, not protocol-relative, not a fragment.
pub fn is_relative_link(link: &str) -> bool {
    let l = link.trim();
    if l.is_empty() || l.starts_with('#') || l.starts_with("//") {
        return false;
    }
    let scheme_end = l.find(':');
    match scheme_end {
        Some(i) if i > 0 => {
            let scheme = &l[..i];
            !(scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)))
        }
        _ => true,
    }
}
