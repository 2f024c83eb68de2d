//! The pipeline binary: every step of every promise, one container image; it builds only
//! the promise whose step it runs and reads its API's spec schema from the table the build
//! script wrote.

include!(concat!(env!("OUT_DIR"), "/prepared.rs"));

fn main() -> std::process::ExitCode {
    promise_core::pipeline::dispatch::main_on_demand(promises::PROMISES, PREPARED)
}
