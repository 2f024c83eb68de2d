//! The examples in our doc comments, run as this crate's unit tests; this library writes
//! them (`cargo xtask doctests [--check]`, and a drift test).
//!
//! rustdoc compiles and links a crate's examples again on every `cargo test`, whether or not
//! the crate changed: for `promise-core` and `promise-local` that was 1.8-2.7 s of each edit of
//! a promise. Written out as the tests of a crate that does not depend on the promises, cargo
//! builds them when a documented crate changes and otherwise only runs them. The documented
//! crates say `doctest = false`, so each example runs once. What rustdoc does with a code
//! block is done here the same way, and anything else is refused by name:
//! - a fence with no language or `rust` is Rust; another language (`yaml`, `text`) is not;
//! - `# ` hides a line from the docs but not from the test, and `##` is a literal `#`;
//! - the code is the body of the test function, so `use` and items work as in rustdoc's
//!   `fn main`; code ending in `Ok::<(), E>(())` returns a `Result`;
//! - `ignore` shows as ignored, `no_run` is compiled and not run, `should_panic` must panic;
//! - `compile_fail`, `test_harness`, editions, crate attributes and an own `fn main` are
//!   refused: they need a crate of their own (compile errors are trybuild cases).
//!
//! A test is named after what its example documents (`crossplane::path::resolve_path`), not
//! its line, so editing a file above an example leaves the generated file unchanged.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::process::ExitCode;

use promise_import::generated::{Generated, files_under, relative};

use doc_comment::examples_in;

mod doc_comment;
#[cfg(test)]
mod examples;
mod item_name;
mod test_file;

/// The crates whose examples run here, by directory from the workspace root, with the name
/// their code uses. Each says `doctest = false` (tidy checks that no other crate with
/// doctests off has examples).
pub const CRATES: &[(&str, &str)] = &[
    ("promise-core", "promise_core"),
    ("promise-core/local", "promise_local"),
];

/// Where the generated file goes, relative to the workspace root, beside this library.
pub const DIR: &str = "tests/doctests/src";

/// The generated file's name in [`DIR`].
pub const FILE: &str = "examples.rs";

/// The command that writes [`FILE`].
pub const COMMAND: &str = "cargo xtask doctests";

/// A code block the generator will not turn into a test, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The source file, relative to the workspace root.
    pub file: String,
    /// The line of its opening fence, from 1.
    pub line: usize,
    /// The rule it breaks.
    pub rule: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.rule)
    }
}

impl std::error::Error for Unsupported {}

/// One Rust code block of a doc comment, ready to become a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Example {
    /// The module path of the file it is in (`["crossplane", "path"]`).
    pub(crate) module: Vec<String>,
    /// What it documents: the item's name, or `module` for a `//!` comment.
    pub(crate) item: String,
    /// How it runs.
    pub(crate) mode: Mode,
    /// The code, hidden lines included, without their `# `.
    pub(crate) code: String,
}

/// rustdoc's `ignore`, `no_run` and `should_panic`, or none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Run,
    Ignore,
    NoRun,
    ShouldPanic,
}

/// Runs `cargo xtask doctests [--check]` for the workspace at `root`: writes the examples'
/// tests or, with `check`, fails when the committed file is stale. A refused code block
/// writes nothing.
pub fn run(root: &Path, check: bool) -> ExitCode {
    match generated(root) {
        Ok(files) => target(root, &files).check_or_write(check),
        Err(refused) => {
            for why in refused {
                eprintln!("error: {why}");
            }
            eprintln!("nothing written");
            ExitCode::FAILURE
        }
    }
}

/// What differs between the committed file and what [`COMMAND`] would write (nothing when it
/// is up to date), or every code block refused.
pub fn stale(root: &Path) -> Result<Vec<String>, Vec<Unsupported>> {
    Ok(target(root, &generated(root)?).stale())
}

/// `files` as they go into [`DIR`] beside this library's hand-written modules.
fn target<'a>(root: &Path, files: &'a BTreeMap<String, String>) -> Generated<'a> {
    Generated {
        dir: root.join(DIR),
        files,
        owns_dir: false,
        command: COMMAND,
    }
}

/// The generated file, formatted, by its name in [`DIR`], or every code block refused.
fn generated(root: &Path) -> Result<BTreeMap<String, String>, Vec<Unsupported>> {
    let mut files = BTreeMap::from([(FILE.to_owned(), generate(root)?)]);
    promise_import::rustfmt_all(&mut files);
    Ok(files)
}

/// The generated file's text, before rustfmt, for the workspace at `root`, or every code
/// block it refuses.
fn generate(root: &Path) -> Result<String, Vec<Unsupported>> {
    let mut crates = BTreeMap::new();
    let mut refused = Vec::new();
    for (dir, name) in CRATES {
        let src = root.join(dir).join("src");
        let mut examples = Vec::new();
        for path in files_under(&src, |p| p.extension().is_some_and(|e| e == "rs")) {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => {
                    refused.push(Unsupported {
                        file: relative(root, &path),
                        line: 0,
                        rule: format!("cannot be read: {e}"),
                    });
                    continue;
                }
            };
            let below_src = relative(&src, &path);
            let file = format!("{dir}/src/{below_src}");
            match examples_in(&text, &module_of(&below_src), &file) {
                Ok(found) => examples.extend(found),
                Err(errors) => refused.extend(errors),
            }
        }
        crates.insert(*name, examples);
    }
    if refused.is_empty() {
        Ok(test_file::render(&crates))
    } else {
        Err(refused)
    }
}

/// The module path of a file below `src/` (`catalog/mod.rs` is `["catalog"]`).
fn module_of(relative: &str) -> Vec<String> {
    let stem = relative.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_owned).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("lib" | "main" | "mod")
    ) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_follow_the_files() {
        assert_eq!(module_of("lib.rs"), Vec::<String>::new());
        assert_eq!(module_of("catalog/mod.rs"), vec!["catalog"]);
        assert_eq!(module_of("crossplane/path.rs"), vec!["crossplane", "path"]);
    }

    #[test]
    fn every_documented_crate_has_examples_here() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = generate(&root).expect("every code block is supported");
        for (_, name) in CRATES {
            assert!(
                text.contains(&format!("mod {name} {{\n")),
                "{name}: no examples found"
            );
        }
    }
}
