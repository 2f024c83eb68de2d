//! Tells xtask's tests whether `../shared/upstream` is here, so that a test needing it shows
//! as ignored instead of passing; under CI (`CI` set, not `false` or `0`) it always runs.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(upstream_missing)");
    println!("cargo::rerun-if-env-changed=CI");
    let upstream = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/upstream");
    println!("cargo::rerun-if-changed={}", upstream.display());
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if !ci && !upstream.is_dir() {
        println!("cargo::rustc-cfg=upstream_missing");
    }
}
