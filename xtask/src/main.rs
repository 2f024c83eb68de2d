//! `cargo xtask`: the commands that need no promise run here; the others are handed to
//! `xtask-catalog`, which links the catalog in (see the library's documentation).

fn main() -> std::process::ExitCode {
    xtask::main(None)
}
