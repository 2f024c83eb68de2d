//! `cargo xtask run <promise> --input request.yaml [--workflow resource|promise]
//! [--action configure|delete] [--destinations FILE] [--out DIR] [--expect DIR] [--bless]
//! [--now TIME] [--stand-in CONTAINER=COMMAND]...`:
//! a promise's workflow run locally, exactly as Kratix would, through the real pipeline binary.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use promise_core::catalog::Catalog;
use promise_core::pipeline::{BINARY_NAME, WorkflowAction, WorkflowType};
use promise_core::render::render;
use promise_local::tree::{Tree, check_dir, write_dir};
use promise_local::{self as local, Event, Outcome, RunOptions, RunReport};
use serde_json::Value;

use crate::process::Process;

/// What `cargo xtask run` was asked.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The promise, by name.
    pub promise: String,
    /// The request (resource workflows).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// `resource` or `promise`.
    #[arg(long, default_value = "resource", value_parser = workflow_parser())]
    pub workflow: WorkflowType,
    /// `configure` or `delete`.
    #[arg(long, default_value = "configure", value_parser = action_parser())]
    pub action: WorkflowAction,
    /// Kratix Destination YAML (with their state stores, for path prefixes); default: the platform's Destinations.
    #[arg(long, value_name = "FILE")]
    pub destinations: Option<PathBuf>,
    /// Where to write the result (default: target/kratix-run/<promise>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Compare the result with this golden directory; exit 1 on a difference.
    #[arg(long, value_name = "DIR")]
    pub expect: Option<PathBuf>,
    /// With --expect: rewrite the golden directory instead.
    #[arg(long, requires = "expect")]
    pub bless: bool,
    /// The time steps see, RFC 3339 (default: pinned to 2026-01-01T00:00:00Z, so runs
    /// are byte-stable; in a cluster it is the time of the run).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// A local command for a third-party container, which cannot start here: run by
    /// `sh -c` in a root whose input/, output/ and metadata/ stand for /kratix/... (also
    /// in $KRATIX_ROOT). Repeat for each such container.
    #[arg(long = "stand-in", value_name = "CONTAINER=COMMAND", value_parser = parse_stand_in)]
    pub stand_in: Vec<(String, String)>,
}

fn workflow_parser() -> impl TypedValueParser<Value = WorkflowType> {
    spelled(
        [WorkflowType::Resource, WorkflowType::Promise],
        WorkflowType::as_str,
    )
}

fn action_parser() -> impl TypedValueParser<Value = WorkflowAction> {
    spelled(
        [WorkflowAction::Configure, WorkflowAction::Delete],
        WorkflowAction::as_str,
    )
}

/// A parser accepting `values` as Kratix spells them (`spell`), so the flags take exactly the
/// spellings the variables and `spec.workflows` use.
fn spelled<T: Copy + Send + Sync + 'static>(
    values: [T; 2],
    spell: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(values.map(spell)).map(move |text| {
        // The parser admits only these spellings.
        values
            .into_iter()
            .find(|value| spell(*value) == text)
            .unwrap_or(values[0])
    })
}

/// `CONTAINER=COMMAND`, the container a DNS label.
fn parse_stand_in(text: &str) -> Result<(String, String), String> {
    let (name, command) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected CONTAINER=COMMAND"))?;
    promise_core::names::rules::dns1123_label(name)
        .map_err(|rule| format!("container name {name:?}: {rule}"))?;
    if command.trim().is_empty() {
        return Err(format!("{name}: the command must not be empty"));
    }
    Ok((name.to_string(), command.to_string()))
}

pub fn run(root: &Path, catalog: &Catalog, args: Args) -> ExitCode {
    match execute(root, catalog, args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn execute(root: &Path, catalog: &Catalog, args: Args) -> Result<ExitCode, String> {
    // As `cargo xtask render` writes it (with its header), to compare with the committed file.
    let rendered = Tree::rendered(render(catalog).map_err(|p| p.to_string())?);
    let file = format!("{}/promise.yaml", args.promise);
    let Some(text) = rendered.files.get(&file) else {
        let names: Vec<&str> = catalog.promises().iter().map(|p| p.name()).collect();
        return Err(format!(
            "no promise {:?}; the catalog has {}",
            args.promise,
            names.join(", ")
        ));
    };
    committed_rendering_is_current(root, &file, text)?;
    let promise: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let request = match &args.input {
        Some(path) => {
            Some(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?)
        }
        None => None,
    };
    let destinations = match &args.destinations {
        Some(path) => local::parse_destinations(
            &std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )
        .map_err(|e| format!("{}: {e}", path.display()))?,
        None => local::platform_destinations(catalog.platform_definition().ok_or(
            "the catalog defines no platform to take Destinations from: pass --destinations FILE",
        )?),
    };
    let binary =
        build_binary(root).map_err(|e| format!("cannot build the pipeline binary: {e}"))?;

    let options = RunOptions {
        workflow_type: args.workflow,
        action: args.action,
        destinations: destinations.clone(),
        now: args.now.clone(),
        stand_ins: args.stand_in.iter().cloned().collect(),
    };
    println!(
        "{} {} workflow of promise {} (destinations: {})",
        args.workflow.as_str(),
        args.action.as_str(),
        args.promise,
        destinations
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut executor = Process::new(binary);
    let mut progress = |event: Event<'_>| match event {
        Event::Pipeline(name) => println!("▶ pipeline {name}"),
        Event::Container(run) => {
            let mark = if run.ok { "✓" } else { "✗" };
            println!(
                "  {mark} {:<24} {:>8.2} ms",
                run.container,
                run.duration.as_secs_f64() * 1000.0
            );
            for line in run.log.lines() {
                println!("      {line}");
            }
        }
    };
    let report = match local::run(
        &promise,
        request.as_deref(),
        &options,
        &mut executor,
        &mut progress,
    ) {
        Ok(report) => report,
        Err(rejection) => {
            eprintln!("error: {rejection}");
            eprintln!("nothing ran");
            return Ok(ExitCode::FAILURE);
        }
    };
    summary(&report);

    let golden = report.golden();
    let out = args
        .out
        .unwrap_or_else(|| root.join("target/kratix-run").join(&args.promise));
    write_dir(&golden, &out).map_err(|e| format!("{} was not written: {e}", out.display()))?;
    println!("result written to {}", out.display());
    let mut code = if matches!(report.outcome, Outcome::Failed(_)) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    };
    if let Some(expect) = &args.expect {
        if args.bless {
            let changes = write_dir(&golden, expect)
                .map_err(|e| format!("{} was not written: {e}", expect.display()))?;
            println!(
                "blessed {}: {} file(s) changed",
                expect.display(),
                changes.len()
            );
        } else {
            let drift =
                check_dir(&golden, expect).map_err(|e| format!("{}: {e}", expect.display()))?;
            if drift.is_clean() {
                println!("matches {}", expect.display());
            } else {
                eprint!(
                    "{}",
                    drift.with_hint("run again with --bless to accept the new result, and commit")
                );
                code = ExitCode::FAILURE;
            }
        }
    }
    Ok(code)
}

/// Builds the pipeline binary (debug) and returns its path, saying so: the first build takes
/// a while.
/// The pipeline binary checks requests against the committed rendering's schemas
/// (promises/pipeline/build.rs): with a stale `rendered/<file>`, its steps would see another
/// API than the run admits requests to. A promise not rendered yet is absent there, and the
/// binary generates its schema.
fn committed_rendering_is_current(root: &Path, file: &str, rendered: &str) -> Result<(), String> {
    let committed = Path::new("rendered").join(file);
    match std::fs::read_to_string(root.join(&committed)) {
        Ok(text) if text != rendered => Err(format!(
            "{}: out of date with the promise's source, and the pipeline binary checks \
             requests against it: run `cargo xtask render` first",
            committed.display()
        )),
        _ => Ok(()),
    }
}

fn build_binary(root: &Path) -> std::io::Result<PathBuf> {
    println!(
        "building {BINARY_NAME} (cargo build -p promise-pipeline; the first build takes a while)..."
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Not `--quiet`: cargo's progress shows what the first build's seconds go to.
    let status = Command::new(cargo)
        .args(["build", "-p", "promise-pipeline", "--bin", BINARY_NAME])
        .current_dir(root)
        .status()?;
    if !status.success() {
        return Err(std::io::Error::other(format!(
            "building {BINARY_NAME} failed ({status})"
        )));
    }
    Ok(root.join("target/debug").join(BINARY_NAME))
}

fn summary(report: &RunReport) {
    match &report.outcome {
        Outcome::Completed => println!("\nworkflow completed"),
        Outcome::Failed(message) => println!("\nworkflow failed: {message}"),
        Outcome::Suspended { pipeline, message } => {
            println!("\nworkflow suspended by {pipeline}: {message}")
        }
        Outcome::RetryAfter {
            pipeline,
            after,
            message,
        } => println!("\n{pipeline} asked to be retried after {after}: {message}"),
    }
    if !report.placements.is_empty() {
        println!("\nwhat went where:");
        for p in &report.placements {
            let group = if p.directory == "." {
                "default group".to_string()
            } else {
                format!("{}/", p.directory)
            };
            let pipeline = if p.pipeline.is_empty() {
                "static dependencies".to_string()
            } else {
                p.pipeline.clone()
            };
            let to = if p.chosen.is_empty() {
                "no matching destination: unscheduled".to_string()
            } else {
                p.chosen.join(", ")
            };
            println!("  {pipeline} {group} {:?} → {to}", p.selectors);
            if p.candidates.len() > p.chosen.len() && !p.chosen.is_empty() {
                println!(
                    "    {} destinations matched ({}); chose the first by name",
                    p.candidates.len(),
                    p.candidates.join(", ")
                );
            }
            for file in &p.files {
                println!("    {file}");
            }
        }
    }
    println!("\nstatus:");
    for line in promise_core::yaml::to_string(&report.status)
        .unwrap_or_default()
        .lines()
    {
        println!("  {line}");
    }
    let total = report
        .containers
        .iter()
        .fold(0.0, |sum, c| sum + c.duration.as_secs_f64() * 1000.0);
    println!("\n{} containers in {total:.2} ms", report.containers.len());
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use promise_core::pipeline::{WorkflowAction, WorkflowType};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: super::Args,
    }

    fn parsed(flags: &[&str]) -> Result<super::Args, clap::Error> {
        Cli::try_parse_from(["run", "cache"].iter().chain(flags)).map(|cli| cli.args)
    }

    #[test]
    fn workflow_and_action_take_kratixs_spellings_only() {
        let args = parsed(&[]).expect("defaults");
        assert_eq!(
            (args.workflow, args.action),
            (WorkflowType::Resource, WorkflowAction::Configure)
        );
        let args = parsed(&["--workflow", "promise", "--action", "delete"]).expect("parses");
        assert_eq!(
            (args.workflow, args.action),
            (WorkflowType::Promise, WorkflowAction::Delete)
        );
        assert!(parsed(&["--workflow", "Promise"]).is_err());
        assert!(parsed(&["--action", "create"]).is_err());
    }

    #[test]
    fn a_run_starts_only_from_a_current_rendering_of_its_promise() {
        let catalog = promise_core::catalog::Catalog::new().with(
            promise_core::catalog::PromiseDefinition::builder("cache")
                .version("v1")
                .destination_selector([("environment", "platform")])
                .build(),
        );
        let rendered = promise_local::tree::Tree::rendered(
            promise_core::render::render(&catalog).expect("renders"),
        );
        let text = &rendered.files["cache/promise.yaml"];
        let root = tempfile::tempdir().expect("tempdir");
        let check =
            || super::committed_rendering_is_current(root.path(), "cache/promise.yaml", text);
        assert_eq!(
            check(),
            Ok(()),
            "not rendered yet: the binary generates the schema"
        );

        // What `cargo xtask render` wrote, then an edit of the promise.
        let written = root.path().join("rendered/cache/promise.yaml");
        std::fs::create_dir_all(written.parent().expect("parent")).expect("mkdir");
        std::fs::write(&written, text).expect("write");
        assert_eq!(check(), Ok(()), "as rendered");
        std::fs::write(&written, text.replace("v1", "v0")).expect("write");
        let err = check().expect_err("stale");
        assert!(
            err.starts_with("rendered/cache/promise.yaml: out of date")
                && err.contains("cargo xtask render"),
            "{err}"
        );
    }
}
