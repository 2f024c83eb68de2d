//! `cargo xtask corpus [--check]`: every Promise of the upstream corpus
//! (`../shared/upstream/corpus`) imported into the `promise-corpus` crate (`tests/corpus`),
//! where review sees the generated code, CI compiles it once, and a test renders each
//! Promise back and compares it with its file. `--check` writes nothing and fails when the
//! committed modules are stale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use crate::{module, rustfmt};

/// Where the crate's sources live, relative to the workspace root.
pub const CRATE_SRC: &str = "tests/corpus/src";

/// Runs `cargo xtask corpus [--check]` from the workspace `root`.
pub fn run(root: &Path, check: bool) -> ExitCode {
    let Some(corpus) = corpus_dir(root) else {
        eprintln!("error: ../shared/upstream/corpus is missing beside the workspace");
        return ExitCode::FAILURE;
    };
    let files = match generate(&corpus) {
        Ok(files) => files,
        Err(errors) => {
            for error in errors {
                eprintln!("error: {error}");
            }
            eprintln!("nothing written");
            return ExitCode::FAILURE;
        }
    };
    let src = root.join(CRATE_SRC);
    if check {
        let stale = stale(&src, &files);
        if stale.is_empty() {
            println!("{} is up to date ({} files)", src.display(), files.len());
            return ExitCode::SUCCESS;
        }
        for line in stale {
            eprintln!("{line}");
        }
        eprintln!("run `cargo xtask corpus` and commit the result");
        return ExitCode::FAILURE;
    }
    for (path, content) in &files {
        let path = src.join(path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, content));
        if let Err(e) = written {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!("wrote {} files under {}", files.len(), src.display());
    ExitCode::SUCCESS
}

/// `../shared/upstream/corpus` beside the workspace.
pub fn corpus_dir(root: &Path) -> Option<PathBuf> {
    let dir = root.join("../shared/upstream/corpus");
    dir.is_dir().then_some(dir)
}

/// Every file of the crate's `src/`, by path relative to it.
pub fn generate(corpus: &Path) -> Result<BTreeMap<String, String>, Vec<String>> {
    let mut sources = Vec::new();
    walk(corpus, &mut sources);
    sources.sort();
    let mut files = BTreeMap::new();
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for path in sources {
        let relative = path
            .strip_prefix(corpus)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let promises = match crate::read(&path, true) {
            Ok(promises) => promises,
            Err(e) => {
                errors.extend(e.into_iter().map(|e| format!("{relative}: {e}")));
                continue;
            }
        };
        let stem = relative
            .trim_end_matches(".yaml")
            .replace(['/', '-', '.'], "_");
        for read in &promises {
            let name = read.promise.metadata.name.clone().unwrap_or_default();
            let module_name = if promises.len() == 1 {
                stem.clone()
            } else {
                format!("{stem}_{}", name.replace('-', "_"))
            };
            if let Err(e) = crate::module_name(&module_name) {
                errors.push(format!("{relative}: {}", e.at("the module it becomes")));
                continue;
            }
            match module(&read.promise, &relative) {
                Ok(module) => {
                    for (file, content) in module.files {
                        let content = if file.ends_with(".rs") {
                            rustfmt(&content)
                        } else {
                            content
                        };
                        files.insert(format!("{module_name}/{file}"), content);
                    }
                    let typed = files.contains_key(&format!("{module_name}/api.rs"));
                    entries.push((relative.clone(), module_name, typed));
                }
                Err(e) => errors.extend(e.into_iter().map(|e| format!("{relative}: {e}"))),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    files.insert("lib.rs".into(), rustfmt(&lib(&entries)));
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn lib(entries: &[(String, String, bool)]) -> String {
    let mut text = String::from(
        "//! Every Promise of the upstream corpus (`../shared/upstream/corpus`), imported by\n\
         //! `cargo xtask corpus`: regenerate with it, never edit by hand; `cargo xtask corpus\n\
         //! --check` fails when these files are stale.\n\n\
         use promise_core::catalog::PromiseDefinition;\n\
         use promise_core::pipeline::{PromiseRequest, StepError};\n\n",
    );
    for (_, module, _) in entries {
        text.push_str(&format!("pub mod {module};\n"));
    }
    text.push_str(
        "\n/// Each imported Promise, with the corpus file it came from (relative to the corpus).\n\
         pub fn promises() -> Vec<(&'static str, PromiseDefinition)> {\nvec![\n",
    );
    for (source, module, _) in entries {
        text.push_str(&format!("({source:?}, {module}::promise()),\n"));
    }
    text.push_str("]\n}\n");
    text.push_str(
        "\n/// What reads an untyped request's spec into an imported API's types and back.\n\
         pub type SpecRoundTrip = fn(&PromiseRequest) -> Result<serde_json::Value, StepError>;\n\n\
         /// The corpus files whose API got typed spec structs, each with its round trip.\n\
         pub fn typed_specs() -> Vec<(&'static str, SpecRoundTrip)> {\nvec![\n",
    );
    for (source, module, typed) in entries {
        if *typed {
            text.push_str(&format!(
                "({source:?}, |request| {module}::api::spec(request).and_then(|spec| serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string())))),\n"
            ));
        }
    }
    text.push_str("]\n}\n");
    text
}

/// Differences between the generated files and `src`: missing, changed (Rust compared as
/// tokens, so formatting alone is no drift where rustfmt is not installed) and extra files.
pub fn stale(src: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut lines = Vec::new();
    for (path, content) in files {
        match std::fs::read_to_string(src.join(path)) {
            Err(_) => lines.push(format!("missing: {path}")),
            Ok(committed) if committed == *content => {}
            Ok(committed) if path.ends_with(".rs") && same_tokens(&committed, content) => {}
            Ok(_) => lines.push(format!("changed: {path}")),
        }
    }
    let mut present = Vec::new();
    walk_all(src, &mut present);
    for path in present {
        let relative = path
            .strip_prefix(src)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !files.contains_key(&relative) {
            lines.push(format!("not generated (remove it): {relative}"));
        }
    }
    lines
}

fn walk_all(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk_all(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn same_tokens(a: &str, b: &str) -> bool {
    match (
        proc_macro2::TokenStream::from_str(a),
        proc_macro2::TokenStream::from_str(b),
    ) {
        (Ok(a), Ok(b)) => a.to_string() == b.to_string(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed corpus crate is what `cargo xtask corpus` writes.
    #[test]
    #[cfg_attr(
        upstream_missing,
        ignore = "needs ../shared/upstream beside the workspace"
    )]
    fn the_corpus_crate_is_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let corpus = corpus_dir(&root).expect("../shared/upstream/corpus");
        let files = generate(&corpus).unwrap_or_else(|e| panic!("{e:#?}"));
        let stale = stale(&root.join(CRATE_SRC), &files);
        assert!(
            stale.is_empty(),
            "run `cargo xtask corpus`:\n{}",
            stale.join("\n")
        );
    }
}
