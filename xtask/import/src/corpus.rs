//! `cargo xtask corpus [--check]`: every Promise of the upstream corpus
//! (`../shared/upstream/corpus`) imported into the `promise-corpus` crate (`tests/corpus`),
//! where review sees the generated code, CI compiles it once, and a test renders each
//! Promise back and compares it with its file. `--check` writes nothing and fails when the
//! committed modules are stale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::generated::{self, Generated, files_under};
use crate::{module, rustfmt_all};

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
    Generated {
        dir: root.join(CRATE_SRC),
        files: &files,
        owns_dir: true,
        command: "cargo xtask corpus",
    }
    .check_or_write(check)
}

/// `../shared/upstream/corpus` beside the workspace.
pub fn corpus_dir(root: &Path) -> Option<PathBuf> {
    let dir = root.join("../shared/upstream/corpus");
    dir.is_dir().then_some(dir)
}

/// Every file of the crate's `src/`, by path relative to it.
pub fn generate(corpus: &Path) -> Result<BTreeMap<String, String>, Vec<String>> {
    let sources = files_under(corpus, |path| path.extension().is_some_and(|e| e == "yaml"));
    let mut files = BTreeMap::new();
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for path in sources {
        let relative = generated::relative(corpus, &path);
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
    files.insert("lib.rs".into(), lib(&entries));
    rustfmt_all(&mut files);
    Ok(files)
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
        let stale = Generated {
            dir: root.join(CRATE_SRC),
            files: &files,
            owns_dir: true,
            command: "cargo xtask corpus",
        }
        .stale();
        assert!(
            stale.is_empty(),
            "run `cargo xtask corpus`:\n{}",
            stale.join("\n")
        );
    }
}
