use clap::Parser;
use mspod::cli::{Cli, Command};
use mspod::ui::Ui;

// A publish builds many small strings per episode on several threads. glibc's
// allocator keeps a heap per thread and holds on to what was freed in each, which
// added a third to the peak memory of a 10,000-episode publish; jemalloc returns it
// (within a second: the option is built in from .cargo/config.toml).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let cli = Cli::parse();
    let ui = Ui::new(cli.quiet, cli.verbose);
    let result = match &cli.command {
        Command::Publish(args) => mspod::cmd::publish::run(args, &ui),
        Command::Init(args) => mspod::cmd::init::run(args, &ui),
        Command::Inspect(args) => mspod::cmd::inspect::run(args, &ui),
        Command::Validate(args) => mspod::cmd::validate::run(args, &ui),
        Command::Import(args) => mspod::cmd::import::run(args, &ui),
        Command::Pair(args) => mspod::cmd::pair::run(args, &ui),
        Command::New(args) => mspod::cmd::new::run(args, &ui),
        Command::Deploy(args) => mspod::cmd::deploy::run(args, &ui),
        Command::Diff(args) => mspod::cmd::diff::run(args, &ui),
        Command::Completions(args) => mspod::cmd::completions::completions(args),
        Command::Man => mspod::cmd::completions::man(),
    };
    let code = match result {
        Ok(code) => code,
        // `mspod … | head`: the reader has what it wanted; no message, no failure.
        Err(err) if mspod::ui::closed_pipe(&err) => 0,
        Err(err) => {
            for e in err.flatten() {
                eprintln!("error: {}", mspod::ui::terminal(&e.to_string()));
            }
            err.exit_code()
        }
    };
    std::process::exit(code);
}
