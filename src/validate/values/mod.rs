//! Pure value checks shared by the rule files (and by `load`): each takes a string and
//! says what is wrong with it. No XML nodes, no diagnostics: the leaves of `validate`.

pub mod dates;
pub mod duration;
pub mod html;
pub mod mime;
pub mod podcast;
pub mod text;
pub mod transcript;
pub mod urls;

pub use dates::{DateCheck, check_date};
pub use duration::{DurationCheck, check_duration};
pub use html::{
    HtmlScan, HtmlTag, html_links, html_scan, html_tags, literal_entity, looks_like_html,
};
pub use mime::{is_mime, mime_essence, types_for_extension};
pub use text::short;
pub use urls::{is_absolute_url, is_http_url, is_relative_link, url_extension};
