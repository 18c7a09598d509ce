//! mspod: publish a podcast feed and cross-linked show notes from a content folder.
//!
//! Data flows through one stage per module:
//!
//! 1. [`load`]: `mspod.toml` and `episodes/<slug>/episode.toml` → typed config and manifests.
//! 2. [`media`]: audio file → [`media::MediaInfo`] (exact duration, size, type, tags, chapters).
//! 3. [`article`]: HTML / Markdown page → [`article::Article`] (sections with roles).
//! 4. [`model`]: manifest + media + article + YouTube id → [`model::Show`], the one typed model.
//! 5. [`render`]: `Show` → the output files (feed XML, show notes, YouTube text, chapters JSON).
//! 6. [`publish`]: writes the outputs atomically, or checks they are current.
//! 7. [`validate`]: checks any feed against the rules catalogue.

pub(crate) mod apple;
pub mod article;
pub mod cli;
pub mod cmd;
pub(crate) mod deploy;
pub(crate) mod diff;
pub mod error;
pub(crate) mod fs;
pub(crate) mod guid;
pub mod http;
pub(crate) mod import;
pub(crate) mod incremental;
pub mod load;
pub(crate) mod lock;
pub mod media;
pub mod model;
pub(crate) mod notify;
pub mod ns;
pub(crate) mod pair;
pub(crate) mod pipeline;
pub(crate) mod publish;
pub(crate) mod render;
pub(crate) mod store;
pub(crate) mod text;
pub mod transcript;
pub mod ui;
pub mod validate;
pub mod videos;
pub mod youtube;
