//! Tells xtask's tests whether `../shared/upstream` is here, so that a test needing it shows
//! as ignored instead of passing; under CI (`CI` set, not `false` or `0`) it always runs.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(upstream_missing)");
    println!("cargo::rerun-if-env-changed=CI");
    // Read when the script runs, not baked in when it is compiled: a moved target directory
    // would otherwise watch a path that is gone, and rerun the script at every build.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let upstream = Path::new(&manifest).join("../../../shared/upstream");
    println!("cargo::rerun-if-changed={}", upstream.display());
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if !ci && !upstream.is_dir() {
        println!("cargo::rustc-cfg=upstream_missing");
    }
}
