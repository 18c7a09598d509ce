//! XML namespace URIs of podcast feeds: one place for the writer (`render::feed`) and the
//! validator, which matches elements by these URIs (never by prefix).

pub const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
pub const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
/// The podcast namespace's original URI; its spec tells clients to accept it too.
pub const PODCAST_OLD: &str =
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md";
pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const ATOM: &str = "http://www.w3.org/2005/Atom";
pub const SPOTIFY: &str = "http://www.spotify.com/ns/rss";
pub const PSC: &str = "http://podlove.org/simple-chapters";
pub const GOOGLEPLAY: &str = "http://www.google.com/schemas/play-podcasts/1.0";

/// The declarations mspod's writer puts on `<rss>`, in order (prefix, URI): an item the
/// writer produced is checked on its own with exactly these in scope.
pub const WRITER: &[(&str, &str)] = &[
    ("itunes", ITUNES),
    ("podcast", PODCAST),
    ("content", CONTENT),
    ("atom", ATOM),
];
