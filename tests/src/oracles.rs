//! The Go test oracles under `tests/oracles/<name>/`: small programs around upstream code
//! (the apiserver's validation), built into `target/oracles/<name>` and rebuilt only when
//! their sources, `go.mod`, `go.sum` or the Go version change.
//!
//! `cargo test` builds them on first use, printing progress; `cargo xtask oracles` builds them
//! all ahead of time. Without Go an oracle test shows as ignored, and under CI it fails.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::{ci, workspace_root};

/// Every oracle module: the folders of `tests/oracles/`.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(workspace_root().join("tests/oracles"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("go.mod").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds the oracle `name` if its inputs changed, and returns its path. `Err` says why it
/// cannot be built (no Go, a failed build).
pub fn build(name: &str) -> Result<PathBuf, String> {
    // One build at a time, even when tests ask from several threads.
    static BUILDING: Mutex<()> = Mutex::new(());
    let _guard = BUILDING.lock().unwrap_or_else(|p| p.into_inner());
    let source = workspace_root().join("tests/oracles").join(name);
    let out_dir = workspace_root().join("target/oracles");
    let binary = out_dir.join(name);
    let stamp = out_dir.join(format!("{name}.stamp"));
    let go_version = Command::new("go")
        .arg("version")
        .output()
        .map_err(|e| format!("Go is needed to build the {name} oracle: {e}"))?;
    let inputs = fingerprint(&source, &String::from_utf8_lossy(&go_version.stdout))
        .map_err(|e| format!("{}: {e}", source.display()))?;
    if binary.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&inputs) {
        return Ok(binary);
    }
    eprintln!(
        "building the {name} oracle (go build in {}; the first build downloads and compiles \
         Kubernetes modules, a few minutes)...",
        source.display()
    );
    let started = std::time::Instant::now();
    let status = Command::new("go")
        .args(["build", "-mod=readonly", "-trimpath", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(&source)
        .env("CGO_ENABLED", "0")
        .status()
        .map_err(|e| format!("cannot run go build: {e}"))?;
    if !status.success() {
        return Err(format!("go build of the {name} oracle failed ({status})"));
    }
    eprintln!(
        "built {} in {:.1} s",
        binary.display(),
        started.elapsed().as_secs_f64()
    );
    std::fs::write(&stamp, &inputs).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(binary)
}

/// The oracle `name` for a test, built if needed. A test that calls it is marked
/// `#[cfg_attr(go_missing, ignore)]` (see `build.rs`), so it runs only where Go is, and
/// there a failed build fails the test.
pub fn oracle(name: &str) -> PathBuf {
    build(name).unwrap_or_else(|why| {
        panic!(
            "the {name} oracle cannot be built{}: {why}",
            if ci() { " (CI)" } else { "" }
        )
    })
}

/// A hash of everything the binary depends on: the Go version and every source file.
fn fingerprint(source: &Path, go_version: &str) -> std::io::Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(source)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "go")
                || p.file_name()
                    .is_some_and(|n| n == "go.mod" || n == "go.sum")
        })
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    hash.update(go_version.as_bytes());
    for file in files {
        hash.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hash.update(std::fs::read(&file)?);
    }
    let mut hex = String::new();
    for byte in hash.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}
