//! The catalog-bound commands through the `xtask-catalog` binary, as `cargo xtask` runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn xtask_catalog(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask-catalog"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("xtask-catalog runs")
}

#[test]
fn admit_stores_a_valid_request_and_refuses_a_bad_one() {
    let example = root().join("rendered/database/example-request.yaml");
    let stored = xtask_catalog(&["admit", "database", example.to_str().expect("utf-8")]);
    assert!(stored.status.success(), "{stored:?}");
    assert!(
        String::from_utf8_lossy(&stored.stdout).contains("kind: Database"),
        "{stored:?}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: platform.aleklab.com/v1alpha1\nkind: Database\nmetadata: {name: x}\nspec: {name: x, environment: prod, size: tiny}\n",
    )
    .expect("write");
    let bad = bad.to_str().expect("utf-8");
    let refused = xtask_catalog(&["admit", "database", bad]);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("spec.size"),
        "{refused:?}"
    );
    let unknown = xtask_catalog(&["admit", "no-such-promise", bad]);
    assert_eq!(unknown.status.code(), Some(1), "{unknown:?}");
}

#[test]
fn render_check_finds_the_committed_rendering_current() {
    let out = xtask_catalog(&["render", "--check"]);
    assert!(out.status.success(), "{out:?}");
}
