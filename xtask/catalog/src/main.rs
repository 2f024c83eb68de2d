//! The xtask with the catalog linked in. `cargo xtask` hands it every command that needs the
//! promises, so that editing a promise recompiles this one-line crate, not the xtask.

fn main() -> std::process::ExitCode {
    xtask::main(Some(promises::catalog))
}
