//! `cargo xtask import FILE [--name NAME] [--out DIR]`: each Promise of a YAML file as a Rust
//! module of this library, registered in the `promises` catalog (or only written to DIR);
//! `cargo xtask import --check FILE` prints what its import would render differently.
//! `cargo xtask corpus [--check]` imports the whole upstream corpus into `tests/corpus`.

pub mod corpus;
mod literal;
mod module;
mod types;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::kratix::{ReadPromise, read_promise, read_promises};
use promise_core::render::render;
use serde_json::Value;

pub use module::module;

/// What `cargo xtask import` was asked.
#[derive(Debug)]
pub struct Args {
    pub file: PathBuf,
    pub name: Option<String>,
    pub out: Option<PathBuf>,
    pub check: bool,
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    match execute(root, args) {
        Ok(code) => code,
        Err(errors) => {
            for error in errors {
                eprintln!("{}: error: {error}", args.file.display());
            }
            eprintln!("nothing written");
            ExitCode::FAILURE
        }
    }
}

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

fn execute(root: &Path, args: &Args) -> Result<ExitCode, Vec<String>> {
    let promises = read(&args.file, false)?;
    if args.check {
        return check(&args.file, &promises);
    }
    if args.name.is_some() && promises.len() > 1 {
        return Err(vec![format!(
            "--name names one module, but the file holds {} Promises",
            promises.len()
        )]);
    }
    let source = args.file.display().to_string();
    let mut modules = Vec::new();
    for read in &promises {
        let promise_name = read.promise.metadata.name.clone().unwrap_or_default();
        let name = match &args.name {
            Some(name) => module_name(name).map_err(|e| vec![format!("--name {e}")])?,
            None => module_name(&promise_name.replace('-', "_"))
                .map_err(|e| vec![format!("the Promise's name {e}; give one with --name")])?,
        };
        let mut files = module(&read.promise, &source)?.files;
        for (file, content) in files.iter_mut() {
            if file.ends_with(".rs") {
                *content = rustfmt(content);
            }
        }
        modules.push((name, promise_name, files));
    }
    match &args.out {
        Some(dir) => {
            for (name, _, _) in &modules {
                refuse_existing(&dir.join(name))?;
            }
            for (name, _, files) in modules {
                write_module(&dir.join(&name), &files)?;
                println!("wrote {}", dir.join(&name).display());
            }
        }
        None => register(root, &modules)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the modules into `promises/src` and registers them in the catalog, after checking
/// that nothing is taken.
fn register(
    root: &Path,
    modules: &[(String, String, BTreeMap<String, String>)],
) -> Result<(), Vec<String>> {
    let catalog = promises::catalog();
    let lib_path = root.join("promises/src/lib.rs");
    let mut lib = std::fs::read_to_string(&lib_path)
        .map_err(|e| vec![format!("{}: {e}", lib_path.display())])?;
    for (module, promise, _) in modules {
        if catalog.promises().iter().any(|p| p.name() == promise) {
            return Err(vec![format!(
                "the catalog has a promise {promise:?} already"
            )]);
        }
        refuse_existing(&root.join("promises/src").join(module))?;
        refuse_existing(&root.join("promises/src").join(format!("{module}.rs")))?;
        lib = crate::new::registered(&lib, module).map_err(|e| vec![e])?;
    }
    for (module, _, files) in modules {
        let dir = root.join("promises/src").join(module);
        write_module(&dir, files)?;
        println!("wrote {} and registered it in the catalog", dir.display());
    }
    std::fs::write(&lib_path, lib).map_err(|e| vec![format!("{}: {e}", lib_path.display())])?;
    println!("next: `cargo xtask render` renders the imported promise(s) into rendered/");
    Ok(())
}

fn refuse_existing(path: &Path) -> Result<(), Vec<String>> {
    if path.exists() {
        Err(vec![format!(
            "{} exists already; nothing is overwritten",
            path.display()
        )])
    } else {
        Ok(())
    }
}

fn write_module(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), Vec<String>> {
    std::fs::create_dir_all(dir).map_err(|e| vec![format!("{}: {e}", dir.display())])?;
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::write(&path, content).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    }
    Ok(())
}

/// A module name: a lowercase Rust identifier that is not a keyword.
fn module_name(name: &str) -> Result<String, String> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    const KEYWORDS: [&str; 12] = [
        "mod", "fn", "type", "crate", "self", "super", "use", "impl", "match", "move", "ref", "as",
    ];
    if !valid || KEYWORDS.contains(&name) {
        return Err(format!(
            "{name:?} is not a module name: lowercase letters, digits and `_`, starting with a letter, not a keyword"
        ));
    }
    Ok(name.to_string())
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

/// Renders each Promise back from its definition and prints where it differs from FILE as
/// Kratix reads both; exit 1 on a difference.
fn check(file: &Path, promises: &[ReadPromise]) -> Result<ExitCode, Vec<String>> {
    let source = file.display().to_string();
    let mut code = ExitCode::SUCCESS;
    for read in promises {
        // The module must be writable at all.
        module(&read.promise, &source)?;
        let back = render_back(&read.promise).map_err(|e| vec![e])?;
        let original = serde_json::to_value(&read.promise).map_err(|e| vec![e.to_string()])?;
        let name = read.promise.metadata.name.clone().unwrap_or_default();
        let differences = differences(&original, &back);
        if differences.is_empty() {
            println!("{source}: Promise {name:?} renders back unchanged");
        } else {
            code = ExitCode::FAILURE;
            println!("{source}: Promise {name:?} renders back differently:");
            for line in differences {
                println!("  {line}");
            }
        }
    }
    Ok(code)
}

/// What the import of `promise` renders, read back as Kratix reads it.
pub fn render_back(promise: &promise_core::kratix::Promise) -> Result<Value, String> {
    let definition = PromiseDefinition::from_promise(promise);
    let name = definition.name().to_string();
    let rendered = render(&Catalog::new().with(definition)).map_err(|p| p.to_string())?;
    let text = rendered
        .files
        .get(&format!("{name}/promise.yaml"))
        .ok_or("rendering wrote no promise.yaml")?;
    let value: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let back = read_promise(value).map_err(|p| format!("{p:?}"))?;
    serde_json::to_value(&back.promise).map_err(|e| e.to_string())
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
