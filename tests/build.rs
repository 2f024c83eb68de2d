//! Tells the tests what this machine lacks, so that a test that cannot run shows as ignored
//! in the summary instead of passing: `upstream_missing` without `../shared/upstream`,
//! `go_missing` without Go (for the oracles). Under CI (`CI` set, not `false` or `0`) neither
//! is set: there the tests run, and fail if something is missing.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(upstream_missing)");
    println!("cargo::rustc-check-cfg=cfg(go_missing)");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    // Read when the script runs, not baked in when it is compiled: a moved target directory
    // would otherwise watch a path that is gone, and rerun the script at every build.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let upstream = Path::new(&manifest).join("../../shared/upstream");
    println!("cargo::rerun-if-changed={}", upstream.display());
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if ci {
        return;
    }
    if !upstream.is_dir() {
        println!("cargo::rustc-cfg=upstream_missing");
    }
    if !Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("cargo::rustc-cfg=go_missing");
    }
}
