//! `cargo xtask image`: the pipeline image's build context in `target/image/`: the
//! `promise-pipeline` binary, statically linked (`-C target-feature=+crt-static` on
//! x86_64-unknown-linux-gnu, whose glibc is the only libc here; no musl target is installed),
//! and `promises/Dockerfile` (`FROM scratch`, non-root).
//!
//! The binary is a fixed-address executable (`-C relocation-model=static`), not the
//! static-pie rustc makes by default: a static-pie relocates itself at every start (about
//! 5,000 relocations, and a copy of each page they write), which was a quarter of
//! app-environment's container time over a no-op process's on this machine (`cargo xtask
//! bench`: 1.44 -> 1.30 ms against the no-op's 1.0 ms). Go links its static binaries the same
//! way, Kratix's own images among them. What this gives up is a random address for the
//! binary's code; the stack, heap and mappings stay randomised, and the code is safe Rust
//! (`unsafe_code` is forbidden in every crate of ours).

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use promise_core::catalog::Catalog;
use promise_core::pipeline::BINARY_NAME;

const TARGET: &str = "x86_64-unknown-linux-gnu";

pub fn run(root: &Path, catalog: &Catalog) -> ExitCode {
    match build(root) {
        Ok(binary) => {
            println!("context: {}", root.join("target/image").display());
            println!("binary:  {} (static)", binary.display());
            println!(
                "then:    docker build -t {} target/image",
                catalog
                    .pipeline_image()
                    .unwrap_or("<the catalog's pipeline image>")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the static binary, checks it needs no loader, and lays out the context.
pub fn build(root: &Path) -> io::Result<PathBuf> {
    let at = |path: &Path| {
        let shown = path.display().to_string();
        move |e: io::Error| io::Error::new(e.kind(), format!("{shown}: {e}"))
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // With an explicit --target, RUSTFLAGS reach the target only, not build scripts and
    // proc macros, which must stay dynamic.
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--target",
            TARGET,
            "-p",
            "promise-pipeline",
            "--bin",
            BINARY_NAME,
        ])
        .env(
            "RUSTFLAGS",
            "-C target-feature=+crt-static -C relocation-model=static",
        )
        .current_dir(root)
        .status()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run cargo: {e}")))?;
    if !status.success() {
        return Err(io::Error::other("the static release build failed"));
    }
    let built = root
        .join("target")
        .join(TARGET)
        .join("release")
        .join(BINARY_NAME);
    let bytes = std::fs::read(&built).map_err(at(&built))?;
    if needs_loader(&bytes)
        .map_err(|e| at(&built)(io::Error::new(io::ErrorKind::InvalidData, e)))?
    {
        return Err(io::Error::other(format!(
            "{} is dynamically linked (it has a PT_INTERP header)",
            built.display()
        )));
    }
    let context = root.join("target/image");
    std::fs::create_dir_all(&context).map_err(at(&context))?;
    let binary = context.join(BINARY_NAME);
    std::fs::copy(&built, &binary).map_err(at(&binary))?;
    let dockerfile = root.join("promises/Dockerfile");
    std::fs::copy(&dockerfile, context.join("Dockerfile")).map_err(at(&dockerfile))?;
    println!(
        "{} is {:.2} MiB",
        BINARY_NAME,
        bytes.len() as f64 / 1_048_576.0
    );
    Ok(binary)
}

/// Whether an ELF64 little-endian executable asks for a dynamic loader (a `PT_INTERP`
/// program header), which a `FROM scratch` image does not have.
fn needs_loader(elf: &[u8]) -> Result<bool, String> {
    let field = |at: usize, len: usize| -> Result<u64, String> {
        let bytes = elf.get(at..at + len).ok_or("truncated ELF header")?;
        Ok(bytes
            .iter()
            .rev()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    };
    if elf.get(..4) != Some(b"\x7fELF".as_slice())
        || elf.get(4) != Some(&2)
        || elf.get(5) != Some(&1)
    {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    let (phoff, phentsize, phnum) = (field(0x20, 8)?, field(0x36, 2)?, field(0x38, 2)?);
    for i in 0..phnum {
        let at = usize::try_from(phoff + i * phentsize).map_err(|e| e.to_string())?;
        if field(at, 4)? == 3 {
            return Ok(true);
        }
    }
    Ok(false)
}
