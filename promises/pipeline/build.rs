//! Writes `$OUT_DIR/prepared.rs`: the spec schema of every promise's API, generated once here
//! so that a container reads the one its step needs instead of generating it
//! (`promise_core::pipeline::prepared`). Cargo reruns this whenever `promises` changes.

fn main() -> std::io::Result<()> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = std::env::var_os("OUT_DIR")
        .map(std::path::PathBuf::from)
        .ok_or_else(|| std::io::Error::other("cargo sets OUT_DIR for build scripts"))?;
    std::fs::write(
        out.join("prepared.rs"),
        promise_core::pipeline::prepared::source(promises::PROMISES),
    )
}
