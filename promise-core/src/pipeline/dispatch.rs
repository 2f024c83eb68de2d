//! The pipeline binary's `main`: one binary runs every step of every promise.
//!
//! A rendered container runs `promise-pipeline <promise> <step>`; `promise-pipeline list`
//! prints every step. The binary reads `KRATIX_*` variables and `$KRATIX_ROOT/input/object.yaml`
//! (root `/kratix` by default), runs the step, and writes its output only if the step and
//! every check succeed. On any error it prints the field, value and rule on stderr, exits 1
//! and leaves `output/` and `metadata/` as they were.

use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use super::request::MAX_INPUT_BYTES;
use super::{BINARY_NAME, Context, StepError};
use crate::catalog::Catalog;

/// Runs the step named by the process arguments; the whole `main` of the pipeline binary.
pub fn main(catalog: &Catalog) -> ExitCode {
    // Panics are caught around the step and reported as errors; keep their default report
    // (a backtrace hint) out of the pipeline's logs.
    panic::set_hook(Box::new(|_| {}));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(catalog, &args, |name| std::env::var(name).ok()) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `args` (`<promise> <step>` or `list`) with variables read through `var`.
/// Returns what to print on success.
pub fn run(
    catalog: &Catalog,
    args: &[String],
    var: impl Fn(&str) -> Option<String>,
) -> Result<String, StepError> {
    match args {
        [command] if command == "list" => Ok(list(catalog)),
        [promise, step] => run_step(catalog, promise, step, &var),
        _ => Err(StepError::field(
            "arguments",
            args.join(" "),
            format!("usage: {BINARY_NAME} <promise> <step> | {BINARY_NAME} list"),
        )),
    }
}

fn list(catalog: &Catalog) -> String {
    let mut lines = Vec::new();
    for definition in catalog.promises() {
        for (ty, action, pipeline) in &definition.pipelines {
            for step in &pipeline.steps {
                lines.push(format!(
                    "{} {}  ({}.{} pipeline {})",
                    definition.name(),
                    step.name,
                    ty.as_str(),
                    action.as_str(),
                    pipeline.name
                ));
            }
        }
    }
    lines.join("\n")
}

fn run_step(
    catalog: &Catalog,
    promise: &str,
    step_name: &str,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<String, StepError> {
    let definition = catalog
        .promises()
        .iter()
        .find(|d| d.name() == promise)
        .ok_or_else(|| {
            StepError::field(
                "arguments",
                promise,
                format!("no such promise; `{BINARY_NAME} list` prints them"),
            )
        })?;
    let ctx = Context::from_vars(var)?;
    if ctx.promise_name != promise {
        return Err(StepError::field(
            "KRATIX_PROMISE_NAME",
            &ctx.promise_name,
            format!("this container runs a step of promise {promise:?}"),
        ));
    }
    let pipeline = definition
        .pipelines
        .iter()
        .find(|(ty, action, p)| {
            *ty == ctx.workflow_type && *action == ctx.action && p.name == ctx.pipeline_name
        })
        .map(|(_, _, p)| p)
        .ok_or_else(|| {
            StepError::field(
                "KRATIX_PIPELINE_NAME",
                &ctx.pipeline_name,
                format!(
                    "promise {promise:?} has no {}.{} pipeline of that name",
                    ctx.workflow_type.as_str(),
                    ctx.action.as_str()
                ),
            )
        })?;
    let step = pipeline
        .steps
        .iter()
        .find(|s| s.name == step_name)
        .ok_or_else(|| {
            StepError::field(
                "arguments",
                step_name,
                format!(
                    "pipeline {:?} has no such step; `{BINARY_NAME} list` prints them",
                    pipeline.name
                ),
            )
        })?;

    let input = ctx.input_dir().join("object.yaml");
    let bytes = read_limited(&input)?;
    let (output, status) = match panic::catch_unwind(AssertUnwindSafe(|| (step.run)(&bytes, &ctx)))
    {
        Ok(result) => result?,
        Err(payload) => {
            let message = crate::panic_message(payload.as_ref());
            return Err(StepError::new(format!(
                "step {promise}/{step_name} panicked: {message}"
            )));
        }
    };
    let written = output.commit(&ctx, status.as_ref())?;
    Ok(if written.is_empty() {
        format!("{promise}/{step_name}: ok, nothing to write")
    } else {
        format!("{promise}/{step_name}: wrote {}", written.join(", "))
    })
}

/// Reads at most one byte more than the limit, so a huge input is refused without being
/// read whole.
fn read_limited(path: &std::path::Path) -> Result<Vec<u8>, StepError> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| StepError::new(format!("cannot be read: {e}")).at(&shown))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| StepError::new(format!("cannot be read: {e}")).at(&shown))?;
    Ok(bytes)
}
