//! The import direction between top-level modules: no cycles.
//!
//! Every file under `src/` belongs to a top-level module (`src/name.rs` or
//! `src/name/…`). A file that names `crate::other` (in a `use` line, a
//! `use crate::{…}` group or an inline path) makes its module depend on `other`.
//! Those dependencies must form no cycle, so plumbing stays at the bottom
//! (`fs`, `text`, `guid`, `http`) and stages import only the stages before them.
//! Unit tests (`#[cfg(test)] mod tests { … }` at a file's end) may look anywhere.
//! `/work/shared/tools/module-cycles src` applies the same reading from a shell.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The top-level module names a source text refers to through `crate::`.
fn referenced_modules(text: &str) -> BTreeSet<String> {
    referenced_after(text, "crate::")
}

/// The first path segments after each `prefix` (`crate::`, `super::`) in a source text.
fn referenced_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find(prefix) {
        let start = from + at;
        from = start + prefix.len();
        // `$crate::` or `my_crate::` are not this crate's paths.
        if start > 0 && (is_ident(bytes[start - 1]) || bytes[start - 1] == b'$') {
            continue;
        }
        let rest = &text[from..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::B, c, d::{e, f}}`: the first segment of each top-level item.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.insert(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            names.insert(first_segment(&item));
        } else {
            names.insert(first_segment(rest));
        }
    }
    names.remove("");
    names
}

fn first_segment(path: &str) -> String {
    path.trim_start()
        .bytes()
        .take_while(|b| is_ident(*b))
        .map(char::from)
        .collect()
}

/// The module a file under `dir` belongs to: its first path component, without `.rs`.
fn top_module(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).expect("a file under the folder");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// Which module depends on which, and through which files.
fn graph(src: &Path) -> Graph {
    modules_graph(
        src,
        |m| m != "main" && m != "lib",
        |_, text, _| referenced_modules(text).into_iter().collect(),
    )
}

/// The import graph of the modules under `dir` (first path component of each `.rs` file,
/// those `keep` accepts): `references` names the modules a file's code (tests cut off)
/// refers to, given the file and the known modules; references to itself or to unknown
/// names are dropped.
fn modules_graph(
    dir: &Path,
    keep: impl Fn(&str) -> bool,
    references: impl Fn(&Path, &str, &BTreeSet<String>) -> Vec<String>,
) -> Graph {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| top_module(dir, f))
        .filter(|m| keep(m))
        .collect();
    let mut graph: Graph = modules
        .iter()
        .map(|m| (m.clone(), BTreeMap::new()))
        .collect();
    for file in &files {
        let module = top_module(dir, file);
        if !modules.contains(&module) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        let text = match text.find("#[cfg(test)]\nmod tests {") {
            Some(at) => &text[..at],
            None => &text[..],
        };
        let rel = file
            .strip_prefix(dir)
            .expect("under the folder")
            .display()
            .to_string();
        for name in references(file, text, &modules) {
            if name != module && modules.contains(&name) {
                graph
                    .get_mut(&module)
                    .expect("known module")
                    .entry(name)
                    .or_default()
                    .insert(rel.clone());
            }
        }
    }
    graph
}

/// A path `from → … → from`, if `from` reaches itself.
fn cycle_through(graph: &Graph, from: &str) -> Option<Vec<String>> {
    // Breadth-first, so the cycle reported is a shortest one.
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(m) = queue.pop_front() {
        for next in graph[m].keys() {
            if next == from {
                let mut path = vec![from.to_string()];
                let mut at = m;
                while at != from {
                    path.push(at.to_string());
                    at = parent[at];
                }
                path.push(from.to_string());
                path.reverse();
                return Some(path);
            }
            if !parent.contains_key(next.as_str()) {
                parent.insert(next, m);
                queue.push_back(next);
            }
        }
    }
    None
}

#[test]
fn top_level_modules_import_each_other_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    assert!(
        graph.len() > 10,
        "found the modules under {}",
        src.display()
    );
    let mut report = String::new();
    let mut seen = BTreeSet::new();
    for module in graph.keys() {
        if seen.contains(module) {
            continue;
        }
        if let Some(cycle) = cycle_through(&graph, module) {
            seen.extend(cycle.iter().cloned());
            report.push_str(&format!("cycle: {}\n", cycle.join(" -> ")));
            for pair in cycle.windows(2) {
                let files: Vec<_> = graph[&pair[0]][&pair[1]].iter().cloned().collect();
                report.push_str(&format!(
                    "  {} -> {}: {}\n",
                    pair[0],
                    pair[1],
                    files.join(", ")
                ));
            }
        }
    }
    assert!(
        report.is_empty(),
        "imports must point down the layers (see ARCHITECTURE.md); move the shared piece \
         into a lower module instead:\n{report}"
    );
}

#[test]
fn the_reader_sees_use_lines_groups_and_inline_paths() {
    let text = "use crate::fs::{digest, Stamp};\n\
                use crate::{error::Result, load::{Content, Manifest}, text};\n\
                fn f() { crate::model::build(); $crate::nothing(); my_crate::nothing(); }\n";
    let names: Vec<_> = referenced_modules(text).into_iter().collect();
    assert_eq!(names, ["error", "fs", "load", "model", "text"]);
}

#[test]
fn a_cycle_is_found_and_named() {
    let mut g: Graph = BTreeMap::new();
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.into())
            .or_default()
            .entry(b.into())
            .or_default()
            .insert(format!("{a}.rs"));
        g.entry(b.into()).or_default();
    };
    edge(&mut g, "load", "fs");
    edge(&mut g, "model", "load");
    assert_eq!(cycle_through(&g, "load"), None);
    edge(&mut g, "load", "model");
    assert_eq!(
        cycle_through(&g, "load"),
        Some(vec!["load".into(), "model".into(), "load".into()])
    );
}

/// Inside `validate/`, the same rule one level down: the files (and `values/`) import
/// each other without cycles — leaves (`diag`, `values`, `xml`) at the bottom, then the
/// node helpers, the cross-item state, the rule files, and the dispatcher, which no rule
/// file imports.
#[test]
fn validate_files_import_each_other_without_cycles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/validate");
    let graph = modules_graph(
        &dir,
        |_| true,
        |file, text, modules| {
            // Doc links name modules without importing them.
            let code: String = text
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            let nested = file.parent() != Some(dir.as_path());
            // In `values/x.rs`, `super::` is `values` itself and `super::super::` is validate.
            let code = if nested {
                code.replace("super::super::", "VALIDATE::")
                    .replace("super::", "SIBLING::")
            } else {
                code.replace("super::", "VALIDATE::")
            };
            let mut names = referenced_after(&code, "VALIDATE::");
            names.extend(referenced_after(&code, "crate::validate::"));
            // Anything else (`super::Diags`) is a re-export of `mod.rs`, the root.
            names
                .into_iter()
                .map(|name| match modules.contains(&name) {
                    true => name,
                    false => "mod".to_string(),
                })
                .collect()
        },
    );
    assert!(graph.len() > 10, "found the files of {}", dir.display());
    let mut report = String::new();
    for module in graph.keys() {
        if let Some(cycle) = cycle_through(&graph, module) {
            report.push_str(&format!("cycle: {}\n", cycle.join(" -> ")));
        }
    }
    assert!(report.is_empty(), "validate/ must stay layered:\n{report}");
    for rules in ["rss", "apple", "podcast", "spotify", "state", "common"] {
        assert!(
            !graph[rules].contains_key("dispatch"),
            "{rules}.rs imports the dispatcher"
        );
    }
}
