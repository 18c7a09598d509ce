//! `mspod completions SHELL` and `mspod man`: generated from the clap definition,
//! so they never drift from the real flags.

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Result, exit};
use clap::CommandFactory;

pub fn completions(args: &CompletionsArgs) -> Result<i32> {
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics when it cannot write.
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "mspod", &mut out);
    crate::ui::print(&String::from_utf8_lossy(&out))?;
    Ok(exit::OK)
}

pub fn man() -> Result<i32> {
    let mut out = Vec::new();
    // Into memory first, then one write that a closed pipe ends quietly.
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(crate::ui::stdout_error)?;
    crate::ui::print(&String::from_utf8_lossy(&out))?;
    Ok(exit::OK)
}
