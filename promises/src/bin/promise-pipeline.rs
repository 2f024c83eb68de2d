//! The pipeline binary: every step of every promise, one container image; it builds only
//! the promise whose step it runs.

fn main() -> std::process::ExitCode {
    promise_core::pipeline::dispatch::main_on_demand(promises::PROMISES)
}
