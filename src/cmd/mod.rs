//! One thin file per subcommand: turn arguments into calls to the stages.

pub mod completions;
pub mod deploy;
pub mod diff;
pub mod import;
pub mod init;
pub mod inspect;
pub mod new;
pub mod pair;
pub mod publish;
pub mod validate;
