//! Existing Promise YAML into this library: each Promise written as a Rust module (the
//! builder call, pipelines of third-party containers as k8s-openapi struct literals, the API
//! and dependencies as YAML beside it, the spec as Rust types), and rendered back to compare.
//! `cargo xtask import`, `cargo xtask corpus` and the bench use it; it does not depend on the
//! catalog, so an edit to a promise does not recompile it.

pub mod corpus;
pub mod generated;
mod literal;
mod module;
mod types;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use promise_core::Diagnostic;
use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::kratix::{ReadPromise, read_promise, read_promises};
use promise_core::render::render;
use promise_core::{Problem, Problems};
use serde_json::Value;

pub use literal::rust_field;
pub use module::{Module, module};
pub use types::upper_camel;

/// Reads FILE, printing its notes and warnings unless `quiet`.
pub fn read(file: &Path, quiet: bool) -> Result<Vec<ReadPromise>, Vec<String>> {
    let text = std::fs::read_to_string(file).map_err(|e| vec![format!("cannot read: {e}")])?;
    let read = read_promises(&text)
        .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    for notice in read.skipped.iter().filter(|_| !quiet) {
        println!("{}: note: {notice}", file.display());
    }
    for promise in read.promises.iter().filter(|_| !quiet) {
        for warning in &promise.warnings {
            println!("{}: warning: {warning}", file.display());
        }
    }
    if read.promises.is_empty() {
        return Err(vec!["no Promise in this file".into()]);
    }
    Ok(read.promises)
}

/// Refuses to write over anything: `Err` when `path` exists.
pub fn refuse_existing(path: &Path) -> Result<(), Vec<String>> {
    if path.exists() {
        Err(vec![format!(
            "{} exists already; nothing is overwritten",
            path.display()
        )])
    } else {
        Ok(())
    }
}

/// Writes a module's files into `dir`.
pub fn write_module(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), Vec<String>> {
    std::fs::create_dir_all(dir).map_err(|e| vec![format!("{}: {e}", dir.display())])?;
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::write(&path, content).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    }
    Ok(())
}

/// Rust's keywords in edition 2024, strict and reserved: none can name a module or a field
/// without `r#`.
pub const KEYWORDS: [&str; 52] = [
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A module name: a lowercase Rust identifier that is not a keyword.
pub fn module_name(name: &str) -> Result<String, Diagnostic> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid || KEYWORDS.contains(&name) {
        return Err(Diagnostic::value(
            name,
            "not a module name: lowercase letters, digits and `_`, starting with a letter, \
             not a keyword",
        ));
    }
    Ok(name.to_string())
}

/// Formats every Rust file of `files` (by relative path) with one rustfmt run over a copy of
/// the tree, when rustfmt is installed: a process per file cost the corpus check 1.7 s. If
/// the run fails, each file is formatted alone ([`rustfmt`]).
pub fn rustfmt_all(files: &mut BTreeMap<String, String>) {
    let rust: Vec<String> = files
        .keys()
        .filter(|p| p.ends_with(".rs"))
        .cloned()
        .collect();
    let formatted = tempfile::tempdir().ok().and_then(|dir| {
        for path in &rust {
            let target = dir.path().join(path);
            std::fs::create_dir_all(target.parent()?).ok()?;
            std::fs::write(&target, &files[path]).ok()?;
        }
        let status = Command::new("rustfmt")
            .args(["--edition", "2024", "--quiet"])
            .args(rust.iter().map(|path| dir.path().join(path)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        rust.iter()
            .map(|path| std::fs::read_to_string(dir.path().join(path)).ok())
            .collect::<Option<Vec<String>>>()
    });
    match formatted {
        Some(formatted) => {
            for (path, content) in rust.iter().zip(formatted) {
                files.insert(path.clone(), content);
            }
        }
        None => {
            for path in &rust {
                if let Some(content) = files.get_mut(path) {
                    *content = rustfmt(content);
                }
            }
        }
    }
}

/// Formats Rust source with rustfmt, when it is installed; unchanged otherwise.
pub fn rustfmt(source: &str) -> String {
    let child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return source.to_string();
    };
    if let Some(mut stdin) = child.stdin.take()
        && stdin.write_all(source.as_bytes()).is_err()
    {
        return source.to_string();
    }
    match child.wait_with_output() {
        Ok(output) if output.status.success() => {
            String::from_utf8(output.stdout).unwrap_or_else(|_| source.to_string())
        }
        _ => source.to_string(),
    }
}

/// What the import of `promise` renders, read back as Kratix reads it; `Err` holds every
/// problem of the render or of the read.
pub fn render_back(promise: &promise_core::kratix::Promise) -> Result<Value, Problems> {
    let definition = PromiseDefinition::from_promise(promise);
    let name = definition.name().to_string();
    let rendered = render(&Catalog::new().with(definition))?;
    let problem = |rule: String| Problems(vec![Problem::new(&name, "promise.yaml", None, rule)]);
    let text = rendered
        .files
        .get(&format!("{name}/promise.yaml"))
        .ok_or_else(|| problem("rendering wrote no promise.yaml".into()))?;
    let value: Value = serde_saphyr::from_str(text).map_err(|e| problem(e.to_string()))?;
    let back = read_promise(value).map_err(Problems)?;
    serde_json::to_value(&back.promise).map_err(|e| problem(e.to_string()))
}

/// `- path: was` / `+ path: now` lines where two values differ.
pub fn differences(was: &Value, now: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    diff(was, now, "", &mut lines);
    lines
}

fn diff(was: &Value, now: &Value, at: &str, lines: &mut Vec<String>) {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match (was, now) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let null = Value::Null;
                diff(
                    a.get(key).unwrap_or(&null),
                    b.get(key).unwrap_or(&null),
                    &join(key),
                    lines,
                );
            }
        }
        (a, b) if a == b => {}
        (a, b) => {
            let show = |v: &Value| {
                let text = v.to_string();
                if text.chars().count() > 120 {
                    format!("{}...", text.chars().take(117).collect::<String>())
                } else {
                    text
                }
            };
            if !a.is_null() {
                lines.push(format!("- {at}: {}", show(a)));
            }
            if !b.is_null() {
                lines.push(format!("+ {at}: {}", show(b)));
            }
        }
    }
}
