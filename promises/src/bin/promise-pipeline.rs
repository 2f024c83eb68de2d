//! The pipeline binary: every step of every promise, one container image.

fn main() -> std::process::ExitCode {
    promise_core::pipeline::dispatch::main(&promises::catalog())
}
