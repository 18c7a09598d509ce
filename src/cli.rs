//! Command-line interface: clap types only, no logic.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Publish a podcast feed and cross-linked show notes from articles, audio files and YouTube videos.
#[derive(Debug, Parser)]
#[command(name = "mspod", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what each stage does.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 success; 1 content or feed errors (or a stale feed with --check); 2 usage, I/O or network failure.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build feeds/ (the RSS feed and per-episode show notes) from the content folder.
    Publish(PublishArgs),
    /// Scaffold a new content folder: a commented mspod.toml and one example episode.
    Init(InitArgs),
    /// Print audio metadata: exact duration (with the method), size, type, tags, chapters, cover.
    Inspect(InspectArgs),
    /// Check feeds (files, URLs or `-` for stdin) against RSS 2.0, Apple, Spotify and Podcasting 2.0 rules.
    Validate(ValidateArgs),
    /// Adopt an existing podcast: record its GUIDs, pubDates and enclosure URLs in mspod.lock.
    Import(ImportArgs),
    /// Pair articles with their audio files and YouTube videos, and write episodes/<slug>/episode.toml.
    #[command(after_help = PAIR_EXIT_CODES)]
    Pair(PairArgs),
    /// Scaffold one episode from an article (file or URL), an audio file and a YouTube URL.
    New(NewArgs),
    /// Upload feeds/ and the audio to the [deploy] targets (feed last), verify the public URLs, notify.
    Deploy(DeployArgs),
    /// What listeners will see change between two versions of the feed.
    Diff(DiffArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The content folder: holds mspod.toml and episodes/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Where to write the outputs (relative paths are relative to --root).
    #[arg(long, default_value = "feeds", value_name = "DIR")]
    pub out: PathBuf,
    /// Write nothing; exit 1 if the outputs in --out are not what publish would write.
    #[arg(long)]
    pub check: bool,
    /// Probe every audio file again instead of using the metadata cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Worker threads for probing and parsing (default: one per core).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Allow a published episode's enclosure URL to change (apps may download it again).
    #[arg(long)]
    pub allow_enclosure_change: bool,
    /// Allow an episode recorded in mspod.lock to leave the feed.
    #[arg(long)]
    pub allow_removal: bool,
    /// Let a published episode's first pubDate change to its `published` date.
    #[arg(long)]
    pub allow_date_change: bool,
    /// Accept `published` dates more than a day in the future (scheduled episodes).
    #[arg(long)]
    pub allow_future: bool,
    /// `github`: also print errors and warnings as GitHub Actions annotations (on stdout),
    /// on the file and line they are about.
    #[arg(long, value_enum, default_value_t = PublishFormat::Text)]
    pub format: PublishFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PublishFormat {
    Text,
    Github,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (or fill, if it is empty).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Only write the built-in page theme to <DIR>/theme/ (for `[site] theme = "theme/"`),
    /// in a new or an existing show; existing theme files are kept.
    #[arg(long)]
    pub theme: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// One JSON object per file per line.
    #[arg(long)]
    pub json: bool,
    /// Audio files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The show's current feed: a file, an http(s) URL or `-` for stdin.
    #[arg(value_name = "FEED")]
    pub feed: String,
    /// The content folder: holds mspod.toml, episodes/ and mspod.lock.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Show what would be recorded; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Feeds to check: files, http(s) URLs, or `-` for standard input.
    #[arg(value_name = "FEED", required_unless_present = "rules")]
    pub feeds: Vec<String>,
    /// List the rules and exit.
    #[arg(long)]
    pub rules: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    pub strict: bool,
    /// Also fetch enclosures, the cover image, chapters and transcripts.
    #[arg(long)]
    pub online: bool,
    /// Cross-check each item's length, duration and type against the audio files in DIR.
    #[arg(long, value_name = "DIR")]
    pub media: Option<PathBuf>,
    /// Seconds allowed for each HTTP request (feed URLs and --online checks).
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub timeout: u64,
    /// Seconds allowed for all --online checks of one feed together.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub budget: u64,
    /// Also check every link in the published notes (feed descriptions, show-notes pages,
    /// chapter urls) and that their #fragments exist; pages beside a local feed are read from disk.
    #[arg(long)]
    pub links: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Github,
}

const PAIR_EXIT_CODES: &str = "Exit codes: 0 everything paired; 1 something is ambiguous or unpaired (listed); 2 usage, I/O or network failure that prevented pairing.";

#[derive(Debug, Args)]
pub struct PairArgs {
    /// The content folder: holds mspod.toml; episodes are written to its episodes/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// A folder of articles (.html, .md), or a text file listing article URLs (one per line).
    #[arg(long, value_name = "DIR")]
    pub articles: PathBuf,
    /// A folder of audio files.
    #[arg(long, value_name = "DIR")]
    pub audio: PathBuf,
    /// A channel or playlist Atom feed (file or URL), a file listing video URLs, or a video URL. Repeatable.
    #[arg(long, value_name = "FILE_OR_URL")]
    pub videos: Vec<String>,
    /// Show the plan; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Confirm the proposed pairing of this article slug (a close call or a conflict). Repeatable.
    #[arg(long, value_name = "SLUG")]
    pub accept: Vec<String>,
    /// Use no network: cached feeds, oEmbed answers and article pages only.
    #[arg(long)]
    pub offline: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PairFormat::Text)]
    pub format: PairFormat,
    /// Print every signal for this article and its best candidates, and the decision; write nothing.
    #[arg(long, value_name = "SLUG")]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PairFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The episode's slug (its folder name under episodes/).
    pub slug: String,
    /// The content folder: holds mspod.toml and episodes/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The article: a local .html / .md file, or its URL (downloaded and saved beside the manifest).
    #[arg(long, value_name = "URL|FILE")]
    pub article: String,
    /// The audio file (copied into the episode folder).
    #[arg(long, value_name = "FILE")]
    pub audio: PathBuf,
    /// The YouTube video, in any URL form or as an 11-character id.
    #[arg(long, value_name = "URL")]
    pub youtube: Option<String>,
    /// Publication date (RFC 3339) when the article has none.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The content folder: holds mspod.toml ([deploy]), mspod.lock and episodes/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The published folder to deploy (relative paths are relative to --root).
    #[arg(long, default_value = "feeds", value_name = "DIR")]
    pub out: PathBuf,
    /// Print the plan (upload / skip / delete per object, with the reason); change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Delete objects under the targets that are no longer published.
    #[arg(long)]
    pub prune: bool,
    /// With --prune: also delete audio that mspod.lock no longer lists.
    #[arg(long, requires = "prune")]
    pub allow_removal: bool,
    /// Do not check the public URLs after uploading (this also skips notifications).
    #[arg(long)]
    pub no_verify: bool,
    /// Do not send the [notify] notifications.
    #[arg(long)]
    pub no_notify: bool,
    /// Uploads in flight at once (default: [deploy] jobs, else 4).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PairFormat::Text)]
    pub format: PairFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The content folder whose published feed is the new version.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The published folder holding the new feed (relative to --root).
    #[arg(long, default_value = "feeds", value_name = "DIR")]
    pub out: PathBuf,
    /// The old version: a git ref (its committed feed), a folder or feed file, or an http(s) URL (the deployed feed).
    #[arg(long, default_value = "HEAD", value_name = "REF_OR_DIR")]
    pub base: String,
    /// Output format (markdown fits a pull-request comment or $GITHUB_STEP_SUMMARY).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
