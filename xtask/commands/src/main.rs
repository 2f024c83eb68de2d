//! `cargo run -p xtask -- CMD`: the commands that need no promise, even when one does not
//! compile; the others are handed to `xtask-catalog`, which links the catalog in and is what
//! `cargo xtask` runs (see the library's documentation).

fn main() -> std::process::ExitCode {
    xtask::main(None)
}
