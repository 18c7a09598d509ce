//! Test support: run the real `mspod` binary on a content folder in a temp dir.
#![allow(dead_code)]
// Shared by many test binaries, each using a part: `pub` is how they reach it.
#![allow(unreachable_pub)]

use std::path::{Path, PathBuf};

mod snapshot;
#[allow(unused_imports)] // each test binary uses a different part
pub use snapshot::{assert_snapshot, compare, redact, transcript};
use std::process::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What of the repository is not the sample show: code, build output, documents, the
/// scripts, benchmarks' output and publish's caches.
const NOT_THE_SHOW: &[&str] = &[
    ".git",
    ".ci",
    ".mspod",
    "target",
    "src",
    "tests",
    "docs",
    "fuzz",
    "benches",
    "scripts",
    "bench-out",
];

/// A test fixture path.
pub fn fixture(path: &str) -> PathBuf {
    repo().join("tests/fixtures").join(path)
}

/// What a run of mspod printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing the output when it is wrong.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    /// Standard output parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs mspod with `args` in `dir`, no terminal, no colour.
pub fn mspod(dir: &Path, args: &[&str]) -> Run {
    mspod_env(dir, args, &[])
}

/// Runs mspod with extra environment variables. YouTube is always pointed at a
/// closed local port unless a test overrides it: tests never reach the network.
pub fn mspod_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mspod"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("MSPOD_YOUTUBE_OEMBED_URL", "http://127.0.0.1:9/oembed")
        .env("MSPOD_HTTP_BACKOFF_MS", "50")
        .env("MSPOD_HTTP_TIMEOUT_MS", "2000");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the mspod binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A content folder in a temp dir, removed when dropped.
pub struct Show {
    pub dir: tempfile::TempDir,
}

impl Show {
    /// An empty temp dir.
    pub fn empty() -> Show {
        Show {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// What `mspod init` creates: the smallest show that publishes.
    pub fn init() -> Show {
        let show = Show::empty();
        mspod(show.path(), &["init", "."]).expect_code(0);
        show
    }

    /// The sample show at the repository root as committed: its content, `mspod.lock`
    /// and `feeds/` (no caches).
    pub fn sample_published() -> Show {
        Show::copy_of(&repo(), NOT_THE_SHOW)
    }

    /// The sample show without `feeds/`: the lock still holds every episode's identity.
    pub fn sample_locked() -> Show {
        Show::copy_of(&repo(), &[NOT_THE_SHOW, &["feeds"]].concat())
    }

    /// The sample show never published: no `feeds/`, no `mspod.lock`.
    pub fn sample_unpublished() -> Show {
        Show::copy_of(&repo(), &[NOT_THE_SHOW, &["feeds", "mspod.lock"]].concat())
    }

    /// A copy of a folder, without the entries named in `skip` at its top.
    pub fn copy_of(src: &Path, skip: &[&str]) -> Show {
        let show = Show::empty();
        copy_dir(src, show.path(), skip);
        show
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.file(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
        self
    }

    /// Rewrites one file through `f`.
    pub fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) -> &Self {
        let text = self.read(rel);
        self.write(rel, &f(text))
    }

    /// Replaces the line that starts with `key` in a TOML file.
    pub fn set(&self, rel: &str, key: &str, line: &str) -> &Self {
        self.edit(rel, |text| {
            let mut found = false;
            let out: Vec<String> = text
                .lines()
                .map(|l| {
                    if !found
                        && l.trim_start().starts_with(key)
                        && l[l.find(key).unwrap_or(0) + key.len()..]
                            .trim_start()
                            .starts_with('=')
                    {
                        found = true;
                        line.to_string()
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            assert!(found, "no `{key} =` line in {rel}");
            out.join("\n") + "\n"
        })
    }

    pub fn publish(&self, extra: &[&str]) -> Run {
        let mut args = vec!["publish"];
        args.extend_from_slice(extra);
        mspod(self.path(), &args)
    }
}

pub fn copy_dir(src: &Path, dst: &Path, skip: &[&str]) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("read_dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let from = entry.path();
        let to = dst.join(&name);
        if from.is_dir() {
            copy_dir(&from, &to, &[]);
        } else {
            std::fs::copy(&from, &to).expect("copy");
        }
    }
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
