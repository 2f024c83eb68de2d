//! The xtask with the catalog linked in: what `cargo xtask` runs. Editing a promise recompiles
//! the `promises` crate and relinks this one line; the commands themselves come from
//! `xtask-dylib`, a shared library, so that link leaves them out.

fn main() -> std::process::ExitCode {
    xtask_dylib::main(Some(promises::catalog))
}
