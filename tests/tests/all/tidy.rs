//! Repository rules, as tests (rust-analyzer's "tidy"): every module says what it is for, no
//! crate reaches into another's sources with `#[path]`, no file grows past 600 lines, no
//! public signature has a `String` error, doctests and unit-test harnesses are off only in
//! crates with no examples (or whose examples `promise-doctests` runs) and no unit tests, and
//! no workspace member is a Rust dylib. Generated code (the kopium provider types, the
//! imported corpus, the doc examples' tests) and the trybuild cases are exempt from the first
//! four.

use std::path::{Path, PathBuf};

/// The longest a hand-written source file may be.
const MAX_LINES: usize = 600;

/// Hand-written Rust sources of the workspace, relative to its root.
fn sources() -> Vec<(String, String)> {
    let root = promise_tests::workspace_root();
    let mut files = Vec::new();
    for top in [
        "promise-core",
        "promise-derive",
        "promises",
        "xtask",
        "tests",
    ] {
        walk(&root, &root.join(top), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(root.join(&path)).expect("read");
            (path, text)
        })
        .collect()
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path: PathBuf = entry.path();
        let relative = path
            .strip_prefix(root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let generated = [
            "promises/providers/src",
            "tests/corpus/src",
            "tests/doctests/src/examples.rs",
            "promise-derive/tests/ui",
        ];
        if relative.ends_with("/target") || generated.contains(&relative.as_str()) {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out);
        } else if relative.ends_with(".rs") {
            out.push(relative);
        }
    }
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let missing: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| !text.starts_with("//!"))
        .map(|(path, _)| path)
        .collect();
    assert!(missing.is_empty(), "no `//!` first line: {missing:#?}");
}

#[test]
fn no_crate_includes_another_crates_sources() {
    let reaching: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| {
            text.lines()
                .any(|l| l.trim_start().starts_with("#[path") && l.contains(".."))
        })
        .map(|(path, _)| path)
        .collect();
    assert!(
        reaching.is_empty(),
        "`#[path]` across crates: {reaching:#?}"
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES)
        .map(|(path, text)| format!("{path}: {} lines", text.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "split by idea (at most {MAX_LINES} lines): {long:#?}"
    );
}

/// `(file, item)` for every public signature with a `String` error: a `pub fn` or a method of
/// a `pub trait` returning `Result<_, String>`, and a trait implementation whose error type
/// (`type Err`, `type Error`) is `String`.
fn string_errors() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in sources() {
        for (at, _) in text.match_indices("pub fn ") {
            if let Some(name) = string_result(&text[at + "pub fn ".len()..]) {
                found.push((path.clone(), name));
            }
        }
        for (at, _) in text.match_indices("pub trait ") {
            for (name, body) in trait_methods(&text[at..]) {
                if let Some(method) = string_result(body) {
                    found.push((path.clone(), format!("{name}::{method}")));
                }
            }
        }
        for line in text.lines().map(str::trim) {
            if line == "type Err = String;" || line == "type Error = String;" {
                found.push((path.clone(), line.to_string()));
            }
        }
    }
    found
}

/// The name of the function whose signature starts `signature` (after `fn `) when it returns
/// `Result<_, String>`.
fn string_result(signature: &str) -> Option<String> {
    let end = signature.find(['{', ';']).unwrap_or(signature.len());
    let signature: String = signature[..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let returns = signature.rsplit_once("->").map(|(_, r)| r.trim())?;
    (returns.starts_with("Result<") && returns.ends_with(", String>")).then(|| {
        signature
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    })
}

/// The trait's name and the text after each `fn ` in its body (`trait_item` starts at
/// `pub trait`).
fn trait_methods(trait_item: &str) -> Vec<(String, &str)> {
    let name: String = trait_item["pub trait ".len()..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let Some(open) = trait_item.find('{') else {
        return Vec::new();
    };
    let mut depth = 0;
    let mut close = trait_item.len();
    for (i, c) in trait_item[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i;
                    break;
                }
            }
            _ => {}
        }
    }
    let body = &trait_item[open..close];
    body.match_indices("fn ")
        .map(|(at, _)| (name.clone(), &body[at + "fn ".len()..]))
        .collect()
}

#[test]
fn string_errors_are_found_in_functions_trait_methods_and_error_types() {
    assert_eq!(
        string_result("parse(text: &str) -> Result<u8, String> {"),
        Some("parse".into())
    );
    assert_eq!(
        string_result("parse(text: &str) -> Result<u8, Diagnostic> {"),
        None
    );
    // Split so that this file holds no such trait itself.
    let text = ["pub", " trait Composed: Serialize {\n    /// Schema.\n    fn schema() -> Result<Schema, String>;\n    fn name() -> &'static str { \"x\" }\n}\nfn after() -> Result<(), String> {}"].concat();
    let methods = trait_methods(&text);
    assert_eq!(methods.len(), 2, "{methods:?}");
    assert_eq!(string_result(methods[0].1), Some("schema".into()));
    assert_eq!(methods[0].0, "Composed");
    assert_eq!(string_result(methods[1].1), None);
}

#[test]
fn no_public_function_returns_a_string_error() {
    let found = string_errors();
    assert!(
        found.is_empty(),
        "return a typed error (a Diagnostic, Problems, an io::Error, ...) instead of String: {found:#?}"
    );
}

/// The workspace's crates whose manifest holds `setting` (`doctest = false`) on a line.
fn crates_whose_manifest_says(setting: &str) -> Vec<PathBuf> {
    let root = promise_tests::workspace_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("read");
    let members = manifest
        .lines()
        .find_map(|l| l.strip_prefix("members = "))
        .expect("a members line");
    members
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|member| root.join(member))
        .filter(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .expect("read")
                .lines()
                .any(|l| l.trim() == setting)
        })
        .collect()
}

/// The Rust sources under `dir/src` with a line that `matches`.
fn sources_with(dir: &Path, matches: impl Fn(&str) -> bool) -> Vec<String> {
    promise_import::generated::files_under(&dir.join("src"), |path| {
        path.extension().is_some_and(|e| e == "rs")
    })
    .into_iter()
    .filter(|path| {
        std::fs::read_to_string(path)
            .expect("read")
            .lines()
            .any(|line| matches(line.trim_start()))
    })
    .map(|path| path.display().to_string())
    .collect()
}

/// The sources with a line that `matches`, in the crates whose manifest says `setting`; the
/// promises crate must be one of them, so that the rule is known to be in force.
fn offenders(setting: &str, matches: impl Fn(&str) -> bool) -> Vec<String> {
    let crates = crates_whose_manifest_says(setting);
    assert!(
        crates.iter().any(|dir| dir.ends_with("promises")),
        "the promises crate says `{setting}`: {crates:#?}"
    );
    crates
        .iter()
        .flat_map(|dir| sources_with(dir, &matches))
        .collect()
}

/// Doctests are off only where there is nothing to run, or where `promise-doctests` runs the
/// examples instead: a code block in a doc comment of another such crate would never be
/// compiled, so an example could rot unnoticed.
#[test]
fn a_crate_without_doctests_has_no_examples() {
    let root = promise_tests::workspace_root();
    let run_elsewhere: Vec<PathBuf> = promise_doctests::CRATES
        .iter()
        .map(|(dir, _)| root.join(dir))
        .collect();
    let examples: Vec<String> = offenders("doctest = false", |line| {
        ["///", "//!"].iter().any(|doc| {
            line.strip_prefix(doc)
                .is_some_and(|rest| rest.trim_start().starts_with("```"))
        })
    })
    .into_iter()
    .filter(|file| {
        !run_elsewhere
            .iter()
            .any(|dir| Path::new(file).starts_with(dir.join("src")))
    })
    .collect();
    assert!(
        examples.is_empty(),
        "examples rustdoc never runs (`doctest = false` in their crate): {examples:#?}"
    );
    // And those crates have rustdoc's run off, or each example would run twice.
    let off = crates_whose_manifest_says("doctest = false");
    for dir in &run_elsewhere {
        assert!(
            off.contains(dir),
            "{} runs its examples in promise-doctests: say `doctest = false`",
            dir.display()
        );
    }
}

/// A Rust dylib is never a workspace member: `cargo build --workspace` would build it as a
/// root, which cargo does without `-C prefer-dynamic`, so it would carry its own std and the
/// binary linking it could not be linked ("`std` only shows up once"). As a dependency it
/// gets that flag. Asks cargo, as path dependencies under the root join by themselves.
#[test]
fn no_workspace_member_is_a_rust_dylib() {
    let root = promise_tests::workspace_root();
    let members = rust_dylibs(&root.join("Cargo.toml"));
    assert!(
        members.is_empty(),
        "Rust dylibs among the workspace members (list them in `exclude`): {members:?}"
    );
    // The rule has a subject: the dylib there is, the root of a workspace of its own.
    let excluded = rust_dylibs(&root.join("xtask/dylib/Cargo.toml"));
    assert_eq!(excluded, ["xtask-dylib"], "the dylib this rule is about");
}

/// The packages of `manifest`'s workspace (by `cargo metadata`) with a Rust dylib target.
fn rust_dylibs(manifest: &Path) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .output()
        .expect("run cargo metadata");
    assert!(output.status.success(), "cargo metadata: {output:?}");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let is_dylib = |target: &serde_json::Value| {
        target["crate_types"]
            .as_array()
            .is_some_and(|types| types.iter().any(|t| t == "dylib"))
    };
    metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|package| {
            package["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .any(is_dylib)
        })
        .filter_map(|package| package["name"].as_str().map(String::from))
        .collect()
}

/// Unit-test harnesses are off only where there are no unit tests: a `#[test]` in such a
/// crate would never run.
#[test]
fn a_target_without_tests_has_none() {
    let tests = offenders("test = false", |line| {
        line.starts_with("#[test]") || line.starts_with("#[cfg(test)]")
    });
    assert!(
        tests.is_empty(),
        "unit tests that never run (`test = false` in their crate): {tests:#?}"
    );
}
