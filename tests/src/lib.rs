//! Cross-crate tests live in `tests/all/` (one test binary, so one link); the macro error
//! cases live with the macros (`promise-derive/tests/ui`). This library holds what the tests
//! share with `cargo xtask`: the upstream data they read, the Go [`oracles`] and the
//! [`differential`] admission check.

use std::path::{Path, PathBuf};

/// The pipeline image the tests' own catalogs name (a catalog's typed steps need one).
pub const TEST_IMAGE: &str = "registry.example.com/promise-pipeline:test";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// `../shared/upstream` beside the workspace root, holding the verbatim upstream CRDs.
///
/// A test that needs it is marked `#[cfg_attr(upstream_missing, ignore)]` (see `build.rs`), so
/// it shows as ignored where the folder is missing; `None` then serves tests that use it only
/// in part. Under CI (`CI` set and not `false` or `0`) a missing folder panics.
pub fn upstream() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared/upstream");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !ci(),
        "CI is set but {} is missing: upstream conformance tests cannot run",
        dir.display()
    );
    eprintln!(
        "notice: {} is missing; skipping upstream conformance test",
        dir.display()
    );
    None
}

/// Every YAML file of `<upstream>/corpus`, sorted: the real Promise files import, lint and
/// round-trip tests read.
pub fn corpus_files(upstream: &Path) -> Vec<PathBuf> {
    yaml_files(&upstream.join("corpus"))
}

/// Every `.yaml` file below `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    promise_import::generated::files_under(dir, |path| {
        path.extension().is_some_and(|e| e == "yaml")
    })
}

pub mod differential;
pub mod oracles;

/// Whether this is a CI run (`CI` set and not `false` or `0`), where a skip is a failure.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}
