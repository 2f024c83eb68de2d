//! A pipeline binary whose one step panics: the tests check that `dispatch::main` reports
//! the panic's message and location as an `error:` line and exits 1, never 101.

use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::pipeline::{Output, PipelineDef, PromiseRequest, Step, StepError};

fn explode(_: &PromiseRequest, _: &mut Output) -> Result<(), StepError> {
    let steps: Vec<u8> = Vec::new();
    // An index out of bounds, as a careless step would panic.
    let _ = steps[usize::from(steps.is_empty())];
    Ok(())
}

fn main() -> std::process::ExitCode {
    let catalog = Catalog::new().with(
        PromiseDefinition::builder("boom")
            .version("v1")
            .promise_configure(PipelineDef::new("explode").step(Step::promise("explode", explode)))
            .build(),
    );
    promise_core::pipeline::dispatch::main(&catalog)
}
