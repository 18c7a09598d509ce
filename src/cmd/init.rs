//! `mspod init`: scaffold a content folder that publishes as it is.

use crate::cli::InitArgs;
use crate::error::{Error, Result, exit};
use crate::load::{CONFIG_FILE, EPISODES_DIR, MANIFEST_FILE};
use crate::ui::Ui;

/// The files of a new content folder, relative to it.
const FILES: &[(&str, &[u8])] = &[
    (CONFIG_FILE, include_bytes!("init-template/mspod.toml")),
    (
        "episodes/cover.jpg",
        include_bytes!("init-template/cover.jpg"),
    ),
    (
        "episodes/welcome/episode.toml",
        include_bytes!("init-template/episode.toml"),
    ),
    (
        "episodes/welcome/article.md",
        include_bytes!("init-template/article.md"),
    ),
    (
        "episodes/welcome/audio.mp3",
        include_bytes!("init-template/audio.mp3"),
    ),
    (".gitignore", b"/.mspod/\n"),
];

pub fn run(args: &InitArgs, ui: &Ui) -> Result<i32> {
    let dir = &args.dir;
    if args.theme {
        return write_theme(dir, ui);
    }
    // Never overwrite someone's show.
    for existing in [CONFIG_FILE, EPISODES_DIR] {
        if dir.join(existing).exists() {
            return Err(Error::Usage(format!(
                "{} already exists: `mspod init` only fills a new or empty folder",
                dir.join(existing).display()
            )));
        }
    }
    for (path, bytes) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        if target.exists() {
            continue;
        }
        crate::fs::write_new(&target, bytes)?;
    }
    ui.info(format!(
        "created {}: edit {CONFIG_FILE} and {EPISODES_DIR}/welcome/{MANIFEST_FILE}, then run `mspod publish --root {}`",
        dir.display(),
        dir.display()
    ));
    Ok(exit::OK)
}

/// Writes the built-in theme to `<dir>/theme/`, never overwriting a file.
fn write_theme(dir: &std::path::Path, ui: &Ui) -> Result<i32> {
    let theme = dir.join("theme");
    crate::fs::create_dir_all(&theme)?;
    let mut kept = Vec::new();
    for (name, text) in crate::render::theme::BUILT_IN {
        let target = theme.join(name);
        if target.exists() {
            kept.push(name);
            continue;
        }
        crate::fs::write_new(&target, text)?;
    }
    if !kept.is_empty() {
        ui.warn(format!(
            "kept the existing {} in {}",
            kept.join(", "),
            theme.display()
        ));
    }
    ui.info(format!(
        "wrote the page theme to {}: add `[site]` with `theme = \"theme/\"` to {CONFIG_FILE}, edit, then publish (delete the files you do not change)",
        theme.display()
    ));
    Ok(exit::OK)
}
