//! Writes `$OUT_DIR/prepared.rs`: the spec schema of every API of the committed rendering
//! (`rendered/*/promise.yaml`), so that a container reads the one its step needs instead of
//! generating it (`promise_core::pipeline::prepared`). It reads the rendering, not the
//! promises: editing a promise does not rerun it, rendering does, and the binary checks
//! requests against the schemas Kratix installs (`tests/pipeline/prepared.rs` fails while
//! the rendering is stale).

use std::error::Error;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    let rendered = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rendered");
    // A directory: cargo reruns the script when any file under it changes.
    println!("cargo::rerun-if-changed={}", rendered.display());
    println!("cargo::rerun-if-changed=build.rs");
    let out = std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR for build scripts")?;
    let mut promises = Vec::new();
    // Without a rendering (nothing rendered yet): an empty table; the binary then generates
    // each schema.
    if rendered.is_dir() {
        for entry in std::fs::read_dir(&rendered)? {
            let entry = entry?;
            let file = entry.path().join("promise.yaml");
            if file.is_file() {
                let shown = format!("rendered/{}/promise.yaml", entry.file_name().display());
                promises.push((shown, std::fs::read_to_string(&file)?));
            }
        }
    }
    promises.sort();
    let source = promise_core::pipeline::prepared::source(
        promises
            .iter()
            .map(|(file, text)| (file.as_str(), text.as_str())),
    )?;
    std::fs::write(Path::new(&out).join("prepared.rs"), source)?;
    Ok(())
}
