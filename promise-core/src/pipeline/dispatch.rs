//! The pipeline binary's `main`: one binary runs every step of every promise.
//!
//! A rendered container runs `promise-pipeline <promise> <step>`; `promise-pipeline list`
//! prints every step. The binary reads `KRATIX_*` variables and `$KRATIX_ROOT/input/object.yaml`
//! (root `/kratix` by default), runs the step, and writes its output only if the step and
//! every check succeed. On any error it prints the field, value and rule on stderr, exits 1
//! and leaves `output/` and `metadata/` as they were; the one exception is a report that
//! cannot be printed once the output is written (stdout closed), which still exits 1.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;

use super::files::read_regular;
use super::prepared::PreparedSchema;
use super::request::MAX_INPUT_BYTES;
use super::{BINARY_NAME, Context, StepError};
use crate::catalog::{Catalog, PromiseDefinition};

/// Runs the step named by the process arguments; the whole `main` of the pipeline binary.
///
/// Never exits silently: a panic anywhere (in a step, or while printing) is reported as
/// `error: panicked at <file:line:col>: <message>` with exit code 1, non-UTF-8 arguments and
/// `KRATIX_*` variables are errors naming them, and a closed stdout is an error too.
pub fn main(catalog: &Catalog) -> ExitCode {
    main_with(&|args| run(catalog, args, env_var))
}

/// A promise the binary builds only when a step of it runs: its name and its definition.
pub type OnDemand = (&'static str, fn() -> PromiseDefinition);

/// [`main`] for a binary that prepares only what the step it runs needs: of `promises`, it
/// builds the one named by the first argument (every one for `list`), so a container's start
/// does not pay for the rest of the catalog, and it takes its API's spec schema from
/// `prepared` (written at build time from the rendering by
/// [`prepared::source`](super::prepared::source)) instead of generating it.
///
/// ```
/// use promise_core::catalog::PromiseDefinition;
/// use promise_core::pipeline::dispatch::OnDemand;
///
/// fn dns() -> PromiseDefinition {
///     PromiseDefinition::builder("dns").version("v1").build()
/// }
/// const PROMISES: &[OnDemand] = &[("dns", dns)];
/// // In the binary: include!(concat!(env!("OUT_DIR"), "/prepared.rs"));
/// // fn main() -> std::process::ExitCode { main_on_demand(PROMISES, PREPARED) }
/// assert_eq!(PROMISES[0].1().name(), PROMISES[0].0);
/// ```
pub fn main_on_demand(promises: &[OnDemand], prepared: &[PreparedSchema]) -> ExitCode {
    let prepare = |args: &[String]| {
        let wanted = match args {
            [promise, _] => Some(promise.as_str()),
            _ => None,
        };
        let catalog = promises
            .iter()
            .filter(|(name, _)| wanted.is_none_or(|w| w == *name))
            .fold(Catalog::new(), |catalog, (_, build)| catalog.with(build()));
        run_prepared(&catalog, args, env_var, prepared)
    };
    main_with(&prepare)
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The binary's `main`: `run_args` runs the (UTF-8) arguments, every error and panic is
/// reported on stderr with exit code 1.
fn main_with(run_args: &dyn Fn(&[String]) -> Result<String, StepError>) -> ExitCode {
    // The hook keeps the panic's message and location for the error line; the default hook's
    // report (a backtrace hint) stays out of the pipeline's logs.
    panic::set_hook(Box::new(|info| {
        let message = crate::panic_message(info.payload());
        let report = match info.location() {
            Some(at) => format!(
                "panicked at {}:{}:{}: {message}",
                at.file(),
                at.line(),
                at.column()
            ),
            None => format!("panicked: {message}"),
        };
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(report);
        }
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let args = process_args()?;
        check_variables()?;
        let report = run_args(&args)?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{report}")
            .and_then(|()| stdout.flush())
            .map_err(|e| StepError::new(format!("cannot write to stdout: {e}")).at("stdout"))
    }));
    let error = match result {
        Ok(Ok(())) => return ExitCode::SUCCESS,
        Ok(Err(error)) => error.to_string(),
        Err(payload) => caught(payload.as_ref()),
    };
    // stderr may be closed too; there is nowhere left to report that.
    let _ = writeln!(std::io::stderr(), "error: {error}");
    ExitCode::FAILURE
}

/// The last panic's report, written by the hook and read where it is caught.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// What a caught panic reports: the hook's message and location, or (when no hook ran, in
/// tests) the message alone.
fn caught(payload: &(dyn std::any::Any + Send)) -> String {
    LAST_PANIC
        .lock()
        .ok()
        .and_then(|mut last| last.take())
        .unwrap_or_else(|| format!("panicked: {}", crate::panic_message(payload)))
}

/// The arguments, each valid UTF-8.
fn process_args() -> Result<Vec<String>, StepError> {
    std::env::args_os()
        .skip(1)
        .enumerate()
        .map(|(i, arg)| {
            arg.into_string().map_err(|raw| {
                StepError::field(
                    format!("argument {}", i + 1),
                    raw.to_string_lossy(),
                    "must be valid UTF-8",
                )
            })
        })
        .collect()
}

/// Every variable the binary reads must be UTF-8: `std::env::var` would report one that is
/// not as missing, and `KRATIX_ROOT` would fall back to `/kratix` silently.
fn check_variables() -> Result<(), StepError> {
    for (name, value) in std::env::vars_os() {
        let ours = name
            .to_str()
            .is_some_and(|n| n.starts_with("KRATIX_") || n == super::CONFIG_VAR);
        if ours && value.to_str().is_none() {
            return Err(StepError::field(
                name.to_string_lossy(),
                value.to_string_lossy(),
                "must be valid UTF-8",
            ));
        }
    }
    Ok(())
}

/// Runs `args` (`<promise> <step>` or `list`) with variables read through `var`.
/// Returns what to print on success.
pub fn run(
    catalog: &Catalog,
    args: &[String],
    var: impl Fn(&str) -> Option<String>,
) -> Result<String, StepError> {
    run_prepared(catalog, args, var, &[])
}

/// [`run`] with the API spec schemas prepared at build time: a typed step checks its request
/// against its API's entry in `prepared` (generating the schema only when there is none).
pub fn run_prepared(
    catalog: &Catalog,
    args: &[String],
    var: impl Fn(&str) -> Option<String>,
    prepared: &[PreparedSchema],
) -> Result<String, StepError> {
    match args {
        [command] if command == "list" => Ok(list(catalog)),
        [promise, step] => run_step(catalog, promise, step, &var, prepared),
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
            for step in pipeline.steps() {
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
    prepared: &[PreparedSchema],
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
            super::vars::PROMISE_NAME,
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
                super::vars::PIPELINE_NAME,
                &ctx.pipeline_name,
                format!(
                    "promise {promise:?} has no {}.{} pipeline of that name",
                    ctx.workflow_type.as_str(),
                    ctx.action.as_str()
                ),
            )
        })?;
    let step = pipeline
        .steps()
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
    let bytes = read_input(&input)?;
    let (output, status) =
        match panic::catch_unwind(AssertUnwindSafe(|| (step.run)(&bytes, &ctx, prepared))) {
            Ok(result) => result?,
            Err(payload) => {
                let report = caught(payload.as_ref());
                return Err(StepError::new(format!(
                    "step {promise}/{step_name} {report}"
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

/// The request: a regular file of at most [`MAX_INPUT_BYTES`], refused unread if larger.
fn read_input(path: &std::path::Path) -> Result<Vec<u8>, StepError> {
    const SHOWN: &str = "input/object.yaml";
    read_regular(path, SHOWN, MAX_INPUT_BYTES as u64)?.ok_or_else(|| {
        StepError::new("missing: Kratix writes the object being reconciled here").at(SHOWN)
    })
}
