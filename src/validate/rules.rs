//! The rules catalogue: every check `mspod validate` can report, with a stable id, its
//! severity, a one-line summary, the catalogue entry it implements (ids of
//! `shared/spec/feed-rules.md`) and the public source the rule comes from.
//!
//! Ids never change once published: CI configurations and the JSON output refer to them.

use Severity::{Error as E, Info as I, Warning as W};
use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A directory or app rejects or mis-reads the feed.
    Error,
    /// Accepted, but degraded (lost features, wrong display).
    Warning,
    /// Advice.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// When a rule can fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Reading the feed alone.
    Offline,
    /// Only with `--online` (HTTP requests).
    Online,
    /// Only with `--media DIR` (local audio files).
    Media,
    /// Only with `--links` (the links in the published notes).
    Links,
}

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub mode: Mode,
    pub summary: &'static str,
    /// Ids in the feed-rules catalogue (shared/spec/feed-rules.md) this rule implements.
    pub catalogue: &'static str,
    /// Where the requirement comes from (source keys of the catalogue, §0).
    pub source: &'static str,
}

const fn r(
    id: &'static str,
    severity: Severity,
    mode: Mode,
    summary: &'static str,
    catalogue: &'static str,
    source: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        mode,
        summary,
        catalogue,
        source,
    }
}

use Mode::{Links as L, Media as M, Offline as O, Online as N};

/// Every rule, grouped by namespace, in a stable order.
#[rustfmt::skip]
pub static RULES: &[Rule] = &[
    // XML layer
    r("xml/well-formed", E, O, "The feed is well-formed XML 1.0: one root, matched and closed tags, quoted attributes.", "XML-WELLFORMED", "XML §2.1; FV SAXError"),
    r("xml/invalid-char", E, O, "Only characters allowed by XML 1.0 (no C0 controls other than tab, LF, CR; no U+FFFE/U+FFFF).", "XML-CHARS", "XML §2.2"),
    r("xml/c1-char", W, O, "No C1 control characters (U+0080-U+009F): they betray text mis-decoded from Windows-1252.", "XML-C1-CHARS", "FV BadCharacters"),
    r("xml/encoding", E, O, "The bytes are UTF-8 and the XML declaration says UTF-8.", "XML-ENCODING-UTF8", "APL-REQ; APL-GUIDE; FV NotUTF8"),
    r("xml/entity", E, O, "Only the five predefined entities and numeric character references; HTML entities such as &nbsp; are undefined in XML.", "XML-ENTITIES", "XML §4.6; FV UndefinedNamedEntity"),
    r("xml/doctype", W, O, "No DOCTYPE: feeds need none, and its entities are never expanded by mspod or by most apps.", "XML-ENTITIES", "XML §2.8; RSSP"),
    r("xml/undeclared-prefix", E, O, "Every namespace prefix used is declared with xmlns:prefix.", "XML-NS-DECLARED", "XML Namespaces §5; APL-GUIDE"),
    r("xml/edge-space", W, O, "No leading or trailing whitespace in values (titles, URLs, enumerated values).", "XML-NO-EDGE-SPACE", "APL-GUIDE"),
    r("xml/empty-value", W, O, "Elements that carry a value are not empty.", "XML-NO-EDGE-SPACE", "APL-GUIDE; FV NotBlank"),
    // RSS 2.0
    r("rss/root", E, O, "The root is <rss version=\"2.0\"> with exactly one <channel>.", "RSS-ROOT", "RSS; FV InvalidRSSVersion"),
    r("rss/channel-title", E, O, "The channel has a non-empty <title>.", "RSS-CH-TITLE", "RSS"),
    r("rss/channel-link", E, O, "The channel has a <link> with an absolute http(s) URL.", "RSS-CH-LINK", "RSS; RSSCRATE"),
    r("rss/channel-description", E, O, "The channel has a non-empty <description>.", "RSS-CH-DESC", "RSS"),
    r("rss/language", E, O, "<language> is an ISO 639 language code, optionally with a region (en, en-us).", "RSS-CH-LANG", "RSS; FV InvalidLanguage"),
    r("rss/date", E, O, "pubDate and lastBuildDate are RFC 2822 dates (Wed, 02 Oct 2002 13:00:00 GMT).", "RSS-DATE-RFC822; RSS-CH-DATES; APPLE-PUBDATE", "RSS; RFC822; FV InvalidRFC2822Date"),
    r("rss/date-weekday", E, O, "The weekday of a date matches the date.", "RSS-DATE-DOW", "FV IncorrectDOW"),
    r("rss/date-form", W, O, "Dates use the conventional form: numeric zone (+0000) or GMT, 4-digit year, a space after the comma, no comments; other legal forms parse unevenly.", "RSS-DATE-ZONE", "FV ProblematicalRFC822Date"),
    r("rss/date-plausible", W, O, "Dates are plausible: not before 1995, not in the future (apps hide future episodes).", "RSS-DATE-PLAUSIBLE", "FV ImplausibleDate"),
    r("rss/ttl", I, O, "<ttl> is a non-negative integer number of minutes.", "RSS-CH-TTL", "RSS"),
    r("rss/image", W, O, "<image> has url, title and link; width <= 144, height <= 400.", "RSS-CH-IMAGE", "RSS"),
    r("rss/atom-self", W, O, "The channel has <atom:link rel=\"self\" type=\"application/rss+xml\" href=\"feed URL\"/>.", "RSS-CH-SELF", "RSSP; FV MissingAtomSelfLink"),
    r("rss/email", I, O, "managingEditor and webMaster are 'address (Name)'.", "RSS-CH-EMAIL", "RSS; FV MissingRealName"),
    r("rss/item-title-or-description", E, O, "Every item has a <title> or a <description>.", "RSS-ITEM-TITLE-OR-DESC", "RSS; FV ItemMustContainTitleOrDescription"),
    r("rss/duplicate-element", E, O, "Elements that may appear once per channel or item (title, guid, pubDate, itunes:explicit…) are not repeated with different values.", "RSS-ROOT; APPLE-CASE", "RSS; FV DuplicateElement"),
    r("rss/duplicate-element-same", W, O, "A single-use element is not repeated, even with the same value.", "RSS-ROOT", "RSS; FV DuplicateElement"),
    r("rss/link-url", W, O, "Item and image <link> values are absolute http(s) URLs.", "RSS-CH-LINK", "RSS; FV InvalidURLElement"),
    r("rss/enclosure-attributes", E, O, "<enclosure> has url, length and type attributes.", "RSS-ENC-ATTRS; APPLE-ITEM-ENCLOSURE; SPOT-ENC", "RSS; FV MissingAttribute; SPOT-ENC"),
    r("rss/enclosure-url", E, O, "The enclosure url is an absolute http(s) URL.", "RSS-ENC-URL", "RSS; FV InvalidURLAttribute"),
    r("rss/enclosure-length", E, O, "The enclosure length is a whole number of bytes (digits only).", "RSS-ENC-LENGTH-INT", "RSS; FV InvalidIntegerAttribute"),
    r("rss/enclosure-length-zero", W, O, "The enclosure length is the real size, not 0.", "RSS-ENC-LENGTH-NONZERO; SPOT-ENC", "RSSP; SPOT-ENC; RSSCRATE"),
    r("rss/enclosure-type", E, O, "The enclosure type is a MIME type (type/subtype).", "RSS-ENC-TYPE", "RSS; FV InvalidMIMEAttribute"),
    r("rss/enclosure-type-extension", W, O, "The enclosure type agrees with the file extension of its URL.", "APPLE-ENC-FORMAT", "APL-GUIDE"),
    r("rss/enclosure-single", W, O, "At most one <enclosure> per item; others belong in podcast:alternateEnclosure.", "RSS-ENC-SINGLE", "RSSP; FV DuplicateEnclosure; PI-AGG"),
    r("rss/item-no-enclosure", W, O, "Every item has an enclosure; apps and Podcast Index skip items without one.", "PRAC-ITEM-NO-ENC", "PI-AGG partytime.js"),
    r("rss/guid-missing", W, O, "Every item has a <guid>.", "RSS-GUID-PRESENT", "RSS; FV MissingGuid"),
    r("rss/guid-ispermalink", E, O, "isPermaLink is exactly true or false.", "RSS-GUID-ISPERMALINK", "RSS; FV InvalidBooleanAttribute"),
    r("rss/guid-permalink-url", E, O, "A guid without isPermaLink=\"false\" is a permalink and must be an absolute URL.", "RSS-GUID-PERMALINK-URL", "RSS; FV InvalidPermalink"),
    r("rss/guid-unique", E, O, "No two items share a guid.", "RSS-GUID-UNIQUE", "FV DuplicateValue"),
    r("rss/guid-numeric", W, O, "A guid made only of digits is read as a number by some parsers (long ones lose digits) and collides across feeds.", "RSS-GUID-NOT-SMALLINT", "FV NotSufficientlyUnique"),
    r("rss/guid-length", W, O, "guid values are at most 738 characters (Podcast Index truncates longer ones).", "PRAC-GUID-LEN", "PI-AGG partytime.js"),
    r("rss/html-in-text", W, O, "No HTML markup in plain-text elements (title, itunes:title, itunes:author).", "RSS-HTML-WHERE", "RSSP; FV ContainsHTML"),
    r("rss/relative-url-in-html", W, O, "Links and images in HTML descriptions use absolute URLs.", "RSS-NO-RELATIVE-URL", "RSSP; FV ContainsRelRef"),
    r("rss/html-unsafe", W, O, "No <script>, <iframe>, event handlers or style attributes in HTML descriptions.", "RSS-HTML-SAFE", "FV SecurityRisk"),
    r("rss/double-escaped", W, O, "HTML in descriptions is escaped once, not twice (&amp;lt;p&amp;gt;).", "PRAC-DESC-ESCAPE", "APL-GUIDE; PC-REC"),
    r("rss/content-without-description", I, O, "An item with content:encoded also has a <description>.", "RSS-CONTENT-WITH-DESC", "FV NeedDescriptionBeforeContent"),
    r("rss/content-namespace", E, O, "content:encoded uses the namespace http://purl.org/rss/1.0/modules/content/.", "XML-NS-CONTENT", "APL-REQ; LW"),
    r("rss/feed-size", W, O, "The feed is under 5 MB (the W3C validator and some proxies refuse larger ones).", "PRAC-FEED-SIZE", "FV-NET MAXDATALENGTH; PI-AGG"),
    // Apple Podcasts
    r("apple/namespace", E, O, "The itunes prefix is bound to exactly http://www.itunes.com/dtds/podcast-1.0.dtd.", "APPLE-NS", "APL-GUIDE; LW"),
    r("apple/at-least-one-item", E, O, "The feed has at least one episode (an item with an enclosure).", "APPLE-AT-LEAST-ONE-ITEM", "APL-REQ; PRX"),
    r("apple/language", E, O, "The channel has a <language>.", "RSS-CH-LANG", "APL-REQ"),
    r("apple/description-length", E, O, "The show description is at most 4000 bytes.", "APPLE-CH-DESC-LEN", "APL-GUIDE"),
    r("apple/item-description-length", W, O, "An episode description is at most 4000 bytes.", "APPLE-ITEM-DESC-LEN", "APL-GUIDE"),
    r("apple/description-html", I, O, "Apple renders only <p>, <ol>, <ul>, <li>, <a> in descriptions.", "APPLE-DESC-HTML", "APL-GUIDE"),
    r("apple/image", E, O, "The channel has <itunes:image href=\"...\"/> with an absolute http(s) URL.", "APPLE-IMG-PRESENT", "APL-GUIDE; FV-IT"),
    r("apple/image-extension", W, O, "The artwork URL ends in .jpg, .jpeg or .png.", "APPLE-IMG-FORMAT", "APL-GUIDE"),
    r("apple/category", E, O, "The channel has an <itunes:category text=\"...\">.", "APPLE-CAT", "APL-GUIDE; APL-CAT"),
    r("apple/category-name", E, O, "Categories and subcategories are from Apple's list, spelled exactly.", "APPLE-CAT; APPLE-CASE", "APL-CAT; FV-IT"),
    r("apple/category-obsolete", W, O, "Categories are from Apple's current list, not the one replaced in 2019.", "APPLE-CAT", "APL-CAT; FV ObsoleteItunesCategory"),
    r("apple/explicit", E, O, "The channel has <itunes:explicit>.", "APPLE-EXPLICIT-PRESENT", "APL-GUIDE; FV MissingItunesElement"),
    r("apple/explicit-value", E, O, "<itunes:explicit> is true or false.", "APPLE-EXPLICIT-VALUE", "APL-GUIDE; FV-IT truefalse"),
    r("apple/explicit-legacy", W, O, "<itunes:explicit> uses true/false rather than the legacy yes/no/clean.", "APPLE-EXPLICIT-VALUE", "APL-GUIDE; FV InvalidTrueFalse"),
    r("apple/author", W, O, "The channel has <itunes:author>.", "APPLE-AUTHOR", "APL-GUIDE"),
    r("apple/owner", W, O, "<itunes:owner> has <itunes:name> and a valid <itunes:email>.", "APPLE-OWNER", "FV MissingItunesEmail"),
    r("apple/type", E, O, "<itunes:type> is episodic or serial.", "APPLE-TYPE", "APL-GUIDE; FV InvalidItunesChannelType"),
    r("apple/serial-episode-number", E, O, "In a serial show every full episode has <itunes:episode>.", "APPLE-SERIAL-EPNUM", "APL-GUIDE"),
    r("apple/new-feed-url", W, O, "<itunes:new-feed-url> is an absolute http(s) URL.", "APPLE-NEWFEEDURL", "APL-GUIDE"),
    r("apple/block", I, O, "<itunes:block> has an effect only with the value Yes.", "APPLE-BLOCK", "APL-GUIDE"),
    r("apple/complete", I, O, "<itunes:complete> has an effect only with the value Yes.", "APPLE-COMPLETE", "APL-GUIDE"),
    r("apple/length-255", W, O, "itunes:author, itunes:name, itunes:subtitle and itunes:keywords are at most 255 characters.", "APPLE-LEN-255", "APL-GUIDE; FV TooLong"),
    r("apple/deprecated", I, O, "itunes:summary, itunes:subtitle and itunes:keywords are no longer read by Apple.", "APPLE-SUMMARY; APPLE-DEPRECATED", "PC-REC; APL-GUIDE"),
    r("apple/item-title", E, O, "Every episode has a non-empty <title>.", "APPLE-ITEM-TITLE", "APL-GUIDE"),
    r("apple/enclosure-format", E, O, "The enclosure type is one Apple plays: audio/mpeg, audio/x-m4a, video/mp4, video/quicktime, video/x-m4v, application/pdf.", "APPLE-ENC-FORMAT", "APL-GUIDE; FV UnsupportedItunesFormat"),
    r("apple/enclosure-type-alias", W, O, "MP3 enclosures use the registered type audio/mpeg, not audio/mp3.", "APPLE-ENC-FORMAT; RSS-ENC-TYPE", "APL-GUIDE; RFC 3003"),
    r("apple/enclosure-unique-url", E, O, "No two episodes share an enclosure URL (Apple ignores duplicates).", "APPLE-ENC-UNIQUE-URL", "APL-REQ"),
    r("apple/enclosure-ascii", W, O, "Enclosure URLs use ASCII only, without spaces.", "APPLE-ENC-ASCII", "APL-REQ"),
    r("apple/guid", E, O, "Every episode has a non-empty <guid>.", "APPLE-GUID; RSS-GUID-PRESENT", "APL-REQ; APL-GUIDE"),
    r("apple/pubdate", E, O, "Every episode has a <pubDate>.", "APPLE-PUBDATE", "APL-REQ"),
    r("apple/duration", W, O, "<itunes:duration> is present and is seconds, MM:SS or H:MM:SS.", "APPLE-DURATION", "APL-GUIDE; FV InvalidDuration"),
    r("apple/duration-ambiguous", W, O, "<itunes:duration> in whole seconds or H:MM:SS: parsers read MM:SS and fractions differently.", "APPLE-DURATION", "APL-GUIDE; §3.3"),
    r("apple/duration-in-channel", W, O, "itunes:duration belongs in items, not the channel.", "APPLE-DURATION-CHANNEL", "FV duration_in_channel"),
    r("apple/episode", E, O, "<itunes:episode> is a positive whole number.", "APPLE-EPISODE-INT", "APL-GUIDE; FV InvalidPositiveInteger"),
    r("apple/season", E, O, "<itunes:season> is a positive whole number.", "APPLE-SEASON-INT", "APL-GUIDE; FV InvalidPositiveInteger"),
    r("apple/episode-type", E, O, "<itunes:episodeType> is full, trailer or bonus.", "APPLE-EPTYPE", "APL-GUIDE; FV InvalidItunesEpisodeType"),
    r("apple/item-image", W, O, "An episode <itunes:image> has an absolute http(s) href.", "APPLE-ITEM-IMG", "APL-GUIDE"),
    r("apple/image-size", E, N, "The artwork is square, 1400x1400 to 3000x3000 pixels.", "APPLE-IMG-SIZE; SPOT-ART", "APL-GUIDE; PODBASE; CFV"),
    r("apple/image-format", E, N, "The artwork is a JPEG or PNG file (checked from its bytes).", "APPLE-IMG-FORMAT", "APL-GUIDE"),
    r("apple/image-rgb", E, N, "The artwork uses RGB colour (no CMYK, no greyscale).", "APPLE-IMG-RGB", "APL-GUIDE"),
    r("apple/byte-range", E, N, "The media host answers a ranged GET with 206 Partial Content.", "APPLE-ENC-HEAD-RANGE", "APL-REQ; SO-RANGE; PODBASE"),
    // Spotify
    r("spotify/namespace", E, O, "The spotify prefix is bound to exactly http://www.spotify.com/ns/rss.", "SPOT-NS", "SPOT-NS"),
    r("spotify/limit", W, O, "<spotify:limit recentCount=\"N\"/> has a positive whole number.", "SPOT-NS", "SPOT-NS"),
    r("spotify/country-of-origin", W, O, "<spotify:countryOfOrigin> lists ISO 3166-1 alpha-2 codes separated by spaces.", "SPOT-NS", "SPOT-NS"),
    // Podcasting 2.0
    r("spotify/chapters", I, N, "Spotify shows chapters only when there are at least three and the first starts at 0.", "SPOT-CHAPTERS", "https://hilfe.podigee.com/article/233-kapitelmarken (secondary)"),
    r("podcast/namespace", E, O, "The podcast prefix is bound to https://podcastindex.org/namespace/1.0.", "PC20-NS", "PC 1.0.md; LW"),
    r("podcast/unknown-element", W, O, "Elements of the podcast namespace are ones the namespace defines (spelled and cased exactly).", "PC20-NS", "PC 1.0.md"),
    r("podcast/https", W, O, "URLs in podcast-namespace attributes use https.", "PC20-HTTPS", "PC 1.0.md"),
    r("podcast/count", W, O, "Single-count podcast tags appear at most once per parent.", "PC20-COUNT", "PC tag docs"),
    r("podcast/required-attribute", W, O, "Podcast-namespace tags carry their required attributes.", "PC20-*", "PC tag docs"),
    r("podcast/guid", W, O, "<podcast:guid> is a UUID version 5.", "PC20-GUID-FORMAT", "PC guid.md; LW"),
    r("podcast/guid-derivation", I, O, "<podcast:guid> is the UUIDv5 of the feed URL (differs legitimately after a move).", "PC20-GUID-DERIVE", "PC guid.md"),
    r("podcast/locked", W, O, "<podcast:locked> is yes or no; owner is an email address.", "PC20-LOCKED", "PC locked.md"),
    r("podcast/funding", W, O, "<podcast:funding> has a url and a text of at most 128 characters.", "PC20-FUNDING", "PC funding.md"),
    r("podcast/transcript", W, O, "<podcast:transcript> type is text/plain, text/html, text/vtt, application/json or application/x-subrip; rel is captions.", "PC20-TRANSCRIPT", "PC transcript.md"),
    r("podcast/transcript-duplicate", W, O, "An item has at most one <podcast:transcript> per type and language.", "PC20-TRANSCRIPT", "PC transcript.md"),
    r("podcast/chapters", W, O, "<podcast:chapters> type is application/json+chapters.", "PC20-CHAPTERS", "PC chapters.md"),
    r("podcast/soundbite", W, O, "<podcast:soundbite> startTime and duration are seconds; title at most 128 characters.", "PC20-SOUNDBITE", "PC soundbite.md"),
    r("podcast/person", W, O, "<podcast:person> has a name of at most 128 characters; role and group come from the taxonomy.", "PC20-PERSON", "PC person.md; taxonomy.json"),
    r("podcast/location", W, O, "<podcast:location> text at most 128 characters; geo is geo:lat,lon; osm is N/W/R and an id; country is ISO 3166-1 alpha-2.", "PC20-LOCATION", "PC location.md"),
    r("podcast/season", W, O, "<podcast:season> is a whole number; name at most 128 characters.", "PC20-SEASON", "PC season.md"),
    r("podcast/episode", W, O, "<podcast:episode> is a number; display at most 32 characters.", "PC20-EPISODE", "PC episode.md"),
    r("podcast/trailer", W, O, "<podcast:trailer> has url and an RFC 2822 pubdate; length and season are whole numbers.", "PC20-TRAILER", "PC trailer.md"),
    r("podcast/license", W, O, "<podcast:license> is a license identifier, or a custom name with a url.", "PC20-LICENSE", "PC license.md"),
    r("podcast/alternate-enclosure", W, O, "<podcast:alternateEnclosure> has a type and at least one <podcast:source uri>; numeric attributes are numbers.", "PC20-ALTENC; PC20-SOURCE", "PC alternate-enclosure.md; source.md"),
    r("podcast/integrity", W, O, "<podcast:integrity> type is sri or pgp-signature and has a value; an SRI value is shaNNN- and the base64 digest.", "PC20-INTEGRITY", "PC integrity.md"),
    r("podcast/value", W, O, "<podcast:value> has type and method and at least one valueRecipient with type, address and a numeric split.", "PC20-VALUE; PC20-VTS", "PC value.md; value-recipient.md"),
    r("podcast/medium", W, O, "<podcast:medium> is one of the defined mediums.", "PC20-MEDIUM", "PC medium.md"),
    r("podcast/live-item", W, O, "<podcast:liveItem> has status pending/live/ended and an ISO 8601 start.", "PC20-LIVEITEM", "PC live-item.md"),
    r("podcast/content-link", W, O, "<podcast:contentLink> has an absolute href.", "PC20-CONTENTLINK", "PC content-link.md"),
    r("podcast/social-interact", W, O, "<podcast:socialInteract> has a known protocol and a uri.", "PC20-SOCIAL", "PC social-interact.md"),
    r("podcast/block", W, O, "<podcast:block> is yes or no.", "PC20-BLOCK", "PC block.md"),
    r("podcast/txt", W, O, "<podcast:txt> is at most 4000 characters; purpose at most 128.", "PC20-TXT", "PC txt.md"),
    r("podcast/remote-item", W, O, "<podcast:remoteItem> has a feedGuid.", "PC20-REMOTEITEM", "PC remote-item.md"),
    r("podcast/podroll", W, O, "<podcast:podroll> contains at least one <podcast:remoteItem>.", "PC20-PODROLL", "PC podroll.md"),
    r("podcast/update-frequency", W, O, "<podcast:updateFrequency> text at most 128 characters; complete is a boolean; rrule is an RFC 5545 rule with FREQ.", "PC20-UPDATEFREQ", "PC update-frequency.md"),
    r("podcast/chat", W, O, "<podcast:chat> has server and a protocol of irc, xmpp, nostr, matrix.", "PC20-CHAT", "PC chat.md"),
    r("podcast/image", W, O, "<podcast:image> has an absolute href; width and height are whole numbers; aspect-ratio is W/H; purpose tokens are defined.", "PC20-IMAGE", "PC image.md"),
    r("podcast/itunes-agree", W, O, "<podcast:season>/<podcast:episode> agree with <itunes:season>/<itunes:episode> in the same item.", "PC20-SEASON; PC20-EPISODE", "PC season.md; episode.md; APL-GUIDE"),
    r("podcast/images-deprecated", I, O, "<podcast:images> is deprecated; use <podcast:image>.", "PC20-IMAGES-DEPRECATED", "PC images-(deprecated).md"),
    r("psc/chapters", W, O, "<psc:chapter> has a start in Normal Play Time and a title; chapters are in order.", "PSC-SINGLE; PSC-ATTRS; PSC-ORDER", "PSC"),
    // --online
    r("net/feed-content-type", W, N, "A feed fetched from a URL is served as application/rss+xml, application/xml or text/xml.", "NET-FEED-CTYPE", "FV UnexpectedContentType"),
    r("net/enclosure-reachable", E, N, "Each enclosure URL answers 2xx (after at most 10 redirects).", "NET-ENC-REACH", "APL-REQ"),
    r("net/redirects", W, N, "Redirect chains are short (at most 5) and never go from https to http.", "NET-HTTPS; NET-FEED-REDIRECT", "PODBASE; FV-NET"),
    r("net/enclosure-length", W, N, "The served Content-Length equals the enclosure length.", "NET-ENC-LENGTH", "SPOT-ENC; RSS"),
    r("net/enclosure-type", W, N, "The served Content-Type agrees with the enclosure type.", "NET-ENC-CTYPE", "APL-GUIDE"),
    r("net/head-refused", I, N, "The media host answers HEAD requests.", "APPLE-ENC-HEAD-RANGE", "APL-REQ; PODBASE"),
    r("net/image-reachable", E, N, "The artwork URL answers 2xx.", "APPLE-IMG-PRESENT", "APL-GUIDE"),
    r("net/chapters-file", W, N, "The chapters URL answers 2xx with JSON chapters: version, chapters[] with ascending numeric startTime.", "PC20-CHAPTERS-FILE; CHAP-JSON-ROOT; CHAP-STARTTIME", "PC-CHAP"),
    r("net/transcript-file", W, N, "The transcript URL answers 2xx with a body of the declared type.", "PC20-TRANSCRIPT-FILE; TRANS-VTT; TRANS-SRT; TRANS-JSON", "PC-TRANS"),
    // --media
    r("media/missing-file", W, M, "The enclosure's audio file is found under the media folder.", "NET-ENC-LENGTH", "mspod"),
    r("media/length", E, M, "The enclosure length equals the audio file's size in bytes.", "NET-ENC-LENGTH; RSS-ENC-LENGTH-NONZERO", "RSS; SPOT-ENC"),
    r("media/type", E, M, "The enclosure type equals the type sniffed from the audio file.", "NET-ENC-CTYPE; APPLE-ENC-FORMAT", "APL-GUIDE"),
    r("media/duration", W, M, "<itunes:duration> is within 2 seconds of the audio file's duration.", "NET-ENC-DURATION", "APL-GUIDE"),
    r("media/alternate-enclosure", E, M, "A <podcast:alternateEnclosure>'s length and SRI <podcast:integrity> match its file under the media folder.", "PC20-ALTENC; PC20-INTEGRITY", "PC alternate-enclosure.md; integrity.md; W3C SRI"),
    r("media/probe-failed", W, M, "The audio file can be read.", "APPLE-AUDIO-CODEC", "APL-AUDIO"),
    r("media/transcript-type", W, M, "A transcript file found under the media folder has the format its <podcast:transcript type> declares.", "PC20-TRANSCRIPT-FILE; TRANS-VTT; TRANS-SRT; TRANS-JSON", "PC-TRANS"),
    // --links
    r("links/broken", E, L, "Every http(s) link in the published notes (description, content:encoded, the show-notes page, chapter urls) answers 2xx after at most 10 redirects.", "NOTES-LINKS", "mspod; HTML §7.4.6.4"),
    r("links/fragment", W, L, "A link's #fragment names an element (id, or <a name>) on the page it points to; otherwise the reader lands at the top.", "NOTES-LINKS", "HTML §7.4.6.4 (scroll to the fragment)"),
];

/// Looks a rule up by id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every rule id the checks can emit is in the catalogue (a typo would otherwise
    /// only show up when that check first fires).
    #[test]
    fn every_rule_id_used_in_the_checks_is_catalogued() {
        let sources = [
            include_str!("xml.rs"),
            include_str!("common.rs"),
            include_str!("state.rs"),
            include_str!("incremental.rs"),
            include_str!("rss.rs"),
            include_str!("apple.rs"),
            include_str!("spotify.rs"),
            include_str!("podcast.rs"),
            include_str!("online.rs"),
            include_str!("media.rs"),
            include_str!("links.rs"),
        ];
        let prefixes = [
            "\"xml/",
            "\"rss/",
            "\"apple/",
            "\"spotify/",
            "\"podcast/",
            "\"psc/",
            "\"net/",
            "\"media/",
            "\"links/",
        ];
        let mut used = 0;
        for src in sources {
            for prefix in prefixes {
                for (at, _) in src.match_indices(prefix) {
                    let rest = &src[at + 1..];
                    let id: String = rest
                        .chars()
                        .take_while(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '/'
                        })
                        .collect();
                    if rest[id.len()..].starts_with('"') {
                        used += 1;
                        assert!(find(&id).is_some(), "rule {id} is used but not catalogued");
                    }
                }
            }
        }
        assert!(used > 100, "{used}");
    }

    #[test]
    fn ids_are_unique_and_namespaced() {
        let mut seen = BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            let (ns, name) = rule.id.split_once('/').expect("namespace/name");
            assert!(
                [
                    "xml", "rss", "apple", "spotify", "podcast", "psc", "net", "media", "links"
                ]
                .contains(&ns),
                "{}",
                rule.id
            );
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
    }
}
