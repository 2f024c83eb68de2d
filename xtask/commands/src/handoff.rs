//! Handing a command to `xtask-catalog`, the binary that links the promises.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Runs this command line again as `cargo run --package xtask-catalog -- ARGS` and exits as it
/// does. It stays in the caller's directory, so relative paths mean what they meant; the
/// manifest path finds the workspace from anywhere. Cargo prints its progress while it builds.
pub fn to_xtask_catalog(root: &Path) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .arg("run")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["--package", "xtask-catalog", "--"])
        .args(std::env::args_os().skip(1))
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => {
                eprintln!("error: xtask-catalog was killed ({status})");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
