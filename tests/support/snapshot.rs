//! Whole-output comparisons: a run's exit status, stdout and stderr in full,
//! against a file under `tests/snapshots/`, with the paths that change from run
//! to run (the temp folder, the repository) replaced by `[ROOT]` and `[REPO]`.
//!
//! A missing or outdated snapshot fails the test and shows the whole output;
//! `MSPOD_SNAPSHOTS=overwrite cargo test --test NAME` writes what the runs
//! printed instead, for review in `git diff`.

use super::{Run, mspod, repo};
use std::path::Path;

impl Run {
    /// The run as one text: `exit: N`, then stdout and stderr, each in full.
    /// `roots` are replaced by their placeholders (longest first, and each also as
    /// the OS resolves it, e.g. /tmp behind a symlink); the repository is `[REPO]`.
    pub fn transcript(&self, roots: &[(&Path, &str)]) -> String {
        let text = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code,
            ended(&self.stdout),
            ended(&self.stderr)
        );
        redact(&text, roots)
    }
}

/// `mspod ARGS` run in `dir`, as one text: the command line, then the run's
/// [`Run::transcript`], with `dir` shown as `[ROOT]`.
pub fn transcript(dir: &Path, args: &[&str]) -> String {
    let run = mspod(dir, args);
    let text = format!("$ mspod {}\n{}", args.join(" "), run.transcript(&[]));
    redact(&text, &[(dir, "[ROOT]")])
}

/// Ends non-empty output with a newline, so the sections stay apart.
fn ended(s: &str) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n[no newline at end]\n")
    }
}

/// `text` with every path in `roots` (and the repository) replaced by its placeholder.
pub fn redact(text: &str, roots: &[(&Path, &str)]) -> String {
    let repo = repo();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (path, name) in roots.iter().copied().chain([(repo.as_path(), "[REPO]")]) {
        pairs.push((path.display().to_string(), name.to_string()));
        if let Ok(real) = path.canonicalize() {
            pairs.push((real.display().to_string(), name.to_string()));
        }
    }
    // The temp folder may sit inside the repository's target/: replace longer paths first.
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let mut out = text.to_string();
    for (from, to) in pairs {
        if !from.is_empty() {
            out = out.replace(&from, &to);
        }
    }
    out
}

/// Compares `actual` with `tests/snapshots/<name>.txt`, in full.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(format!("{name}.txt"));
    if std::env::var("MSPOD_SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir snapshots");
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "{}: {e}\nthe run printed:\n{actual}\n(MSPOD_SNAPSHOTS=overwrite writes it)",
            path.display()
        ),
    };
    if let Err(why) = compare(&expected, actual) {
        panic!(
            "{} differs from the run {why}\n--- the whole run:\n{actual}\n\
             (MSPOD_SNAPSHOTS=overwrite writes it; review with git diff)",
            path.display()
        );
    }
}

/// `Err` names the first line where `actual` differs from `expected`.
pub fn compare(expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    let want: Vec<&str> = expected.split('\n').collect();
    let got: Vec<&str> = actual.split('\n').collect();
    let at = (0..want.len().max(got.len()))
        .find(|&i| want.get(i) != got.get(i))
        .unwrap_or(0);
    Err(format!(
        "at line {}:\n  expected: {:?}\n  actual:   {:?}",
        at + 1,
        want.get(at).copied().unwrap_or("<end>"),
        got.get(at).copied().unwrap_or("<end>")
    ))
}
