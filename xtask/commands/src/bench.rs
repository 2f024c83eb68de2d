//! `cargo xtask bench [--runs N]`: measured figures for the budgets, each with the command
//! behind it.
//!
//! - every promise's resource configure workflow, all its containers, through the release
//!   binary, on the promise's example request, as `cargo xtask run` runs it: median, p90 and
//!   min of the containers' wall time over `--runs` runs, and their peak RSS;
//! - the render time of the catalog, and of 100 to 1,000 generated promises (to show it grows
//!   linearly);
//! - the stripped size of the release binary;
//! - one container against a static no-op process, side by side (wall time and instructions);
//! - the edit loop: a promise touched, then `cargo xtask render`, then `cargo test --workspace`;
//!   and `cargo xtask render` with nothing changed.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::pipeline::{WorkflowAction, WorkflowType};
use promise_core::render::{Rendered, render};
use promise_local::{self as local, Outcome, RunOptions};
use serde_json::Value;

use crate::process::Process;
use crate::startup::{self, Measure, SideBySide};

/// Runs the benchmarks; `runs` per figure.
pub fn run(root: &Path, catalog: &Catalog, runs: usize) -> ExitCode {
    match bench(root, catalog, runs.max(1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(root: &Path, catalog: &Catalog, runs: usize) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("building: cargo build --release -p promise-pipeline");
    let status = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "-p",
            "promise-pipeline",
            "--bin",
            "promise-pipeline",
        ])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("the release build failed".into());
    }
    let binary = root.join("target/release/promise-pipeline");
    let size = std::fs::metadata(&binary)
        .map_err(|e| format!("{}: {e}", binary.display()))?
        .len();
    println!(
        "binary: {} is {:.2} MiB stripped (budget 15 MiB)",
        binary.display(),
        mib(size)
    );

    let (time, rendered) = median_of(runs, || render(catalog))?;
    println!(
        "render: the catalog's {} promises in {} (median of {runs})",
        catalog.promises().len(),
        ms(time)
    );
    let mut per_promise = Vec::new();
    for n in [100, 250, 500, 1000] {
        let generated = generated_catalog(&rendered, n)?;
        let (time, _) = median_of(runs.min(10), || render(&generated))?;
        per_promise.push(time.as_secs_f64() / n as f64);
        println!(
            "render: {n:>5} generated promises in {} ({:.1} µs per promise)",
            ms(time),
            time.as_secs_f64() * 1e6 / n as f64
        );
    }
    let spread = per_promise.iter().cloned().fold(f64::MIN, f64::max)
        / per_promise.iter().cloned().fold(f64::MAX, f64::min);
    println!(
        "render: per-promise time varies by a factor of {spread:.2} from 100 to 1,000 promises (1.0 = perfectly linear)"
    );

    let destinations = local::platform_destinations(
        catalog
            .platform_definition()
            .ok_or("the catalog defines no platform to schedule to")?,
    );
    for (name, promise, example) in examples(&rendered)? {
        let options = RunOptions::new(
            WorkflowType::Resource,
            WorkflowAction::Configure,
            destinations.clone(),
        );
        let mut times = Vec::new();
        let mut containers = 0;
        let mut executor = Process::new(binary.clone());
        for _ in 0..runs {
            let report = run_example(name, &promise, example, &options, &mut executor)?;
            containers = report.containers.len();
            times.push(
                report
                    .containers
                    .iter()
                    .map(|c| c.duration)
                    .sum::<Duration>(),
            );
        }
        times.sort();
        let mut measuring = Process::measuring_rss(binary.clone());
        run_example(name, &promise, example, &options, &mut measuring)?;
        println!(
            "workflow: {name} resource configure, {containers} container(s): median {}, p90 {}, min {} over {runs} runs (budget 5 ms); peak RSS {:.2} MiB (budget 10 MiB)",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(times[0]),
            measuring.peak_rss_kib as f64 / 1024.0,
        );
    }
    startup_figures(root, &rendered, &destinations, runs)?;
    import_figures(root, runs)?;
    edit_figures(root)?;
    println!("(reproduce: cargo xtask bench --runs {runs})");
    Ok(())
}

/// Each promise's resource configure containers against a static no-op, side by side: the
/// static pipeline binary of the image, wall time over `runs` runs and instructions once.
fn startup_figures(
    root: &Path,
    rendered: &Rendered,
    destinations: &[local::Destination],
    runs: usize,
) -> Result<(), String> {
    let pipeline =
        crate::image::build(root).map_err(|e| format!("the static pipeline binary: {e}"))?;
    let noop = startup::build_noop(root).map_err(|e| format!("the no-op: {e}"))?;
    let options = RunOptions::new(
        WorkflowType::Resource,
        WorkflowAction::Configure,
        destinations.to_vec(),
    );
    for (name, promise, example) in examples(rendered)? {
        let mut figures = Vec::new();
        for measure in [Measure::Wall, Measure::Instructions] {
            let mut side_by_side = SideBySide::new(pipeline.clone(), noop.clone(), measure);
            let times = if measure == Measure::Wall { runs } else { 1 };
            for _ in 0..times {
                run_example(name, &promise, example, &options, &mut side_by_side)?;
            }
            figures.push((
                startup::median(&side_by_side.pipeline_figures),
                startup::median(&side_by_side.noop_figures),
            ));
        }
        let [(wall, noop_wall), (instructions, noop_instructions)] = figures[..] else {
            return Err("two measures were taken".into());
        };
        println!(
            "startup: {name}, one container: median {} against {} for a static no-op, {:.2}x (budget 1.4x); {:.2} M instructions against {:.2} M",
            ms(Duration::from_nanos(wall)),
            ms(Duration::from_nanos(noop_wall)),
            wall as f64 / noop_wall.max(1) as f64,
            instructions as f64 / 1e6,
            noop_instructions as f64 / 1e6,
        );
    }
    Ok(())
}

/// The edit loop: a promise's source touched, then `cargo xtask render` (into
/// target/bench/rendered) and `cargo test --workspace`, each timed from the touch; then
/// `cargo xtask render` again with nothing touched (what cargo and the render cost alone).
fn edit_figures(root: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = root.join("target/bench/rendered");
    let out = out.display().to_string();
    let render: &[&str] = &["xtask", "render", "--out", &out];
    let loops: [Loop; 3] = [
        Loop {
            shown: "cargo xtask render",
            args: render,
            runs: 5,
            touch: true,
        },
        Loop {
            shown: "cargo test --workspace",
            args: &["test", "--workspace", "--quiet"],
            runs: 3,
            touch: true,
        },
        Loop {
            shown: "cargo xtask render",
            args: render,
            runs: 5,
            touch: false,
        },
    ];
    let touched = root.join("promises/src/lib.rs");
    let set_mtime = |time: std::time::SystemTime| {
        std::fs::File::options()
            .append(true)
            .open(&touched)
            .and_then(|f| f.set_modified(time))
            .map_err(|e| format!("{}: {e}", touched.display()))
    };
    // The file is the author's: its content is never written, and its time is put back.
    let original = std::fs::metadata(&touched)
        .and_then(|m| m.modified())
        .map_err(|e| format!("{}: {e}", touched.display()))?;
    let measured = edit_loops(root, &cargo, &loops, &set_mtime);
    set_mtime(original)?;
    measured
}

/// One command of the edit loop, timed `runs` times, each after a touch if `touch`.
struct Loop<'a> {
    shown: &'a str,
    args: &'a [&'a str],
    runs: usize,
    touch: bool,
}

/// Each loop `runs` times: the touch (if any), then the command, timed together. A loop
/// without a touch first runs once untimed, to build what the loops before it left stale.
fn edit_loops(
    root: &Path,
    cargo: &std::ffi::OsStr,
    loops: &[Loop],
    set_mtime: &dyn Fn(std::time::SystemTime) -> Result<(), String>,
) -> Result<(), String> {
    for &Loop {
        shown,
        args,
        runs,
        touch,
    } in loops
    {
        let timed = || -> Result<Duration, String> {
            let started = Instant::now();
            let output = Command::new(cargo)
                .args(args)
                .current_dir(root)
                .output()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            let elapsed = started.elapsed();
            if output.status.success() {
                Ok(elapsed)
            } else {
                Err(format!(
                    "{shown} failed:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                ))
            }
        };
        if !touch {
            timed()?;
        }
        let mut times = Vec::new();
        for _ in 0..runs {
            if touch {
                // What an edit does to cargo: the promise crate's source is newer than its build.
                set_mtime(std::time::SystemTime::now())?;
            }
            times.push(timed()?);
        }
        times.sort();
        let what = if touch {
            format!("edit: touch promises/src/lib.rs, then {shown}")
        } else {
            format!("warm: {shown}, nothing changed")
        };
        println!(
            "{what}: median {} over {runs} runs (min {})",
            ms(times[times.len() / 2]),
            ms(times[0]),
        );
    }
    Ok(())
}

/// Import (read as Kratix reads it, write the module) then render, per corpus Promise.
fn import_figures(root: &Path, runs: usize) -> Result<(), String> {
    let files = promise_tests::corpus_files(&root.join("../shared/upstream"));
    if files.is_empty() {
        println!("import: ../shared/upstream/corpus is missing; no import figures");
        return Ok(());
    }
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let mut per_promise = Vec::new();
    let (mut largest, mut largest_bytes) = (Duration::ZERO, 0);
    for text in &texts {
        let (time, promises) = median_of(runs, || {
            let read = promise_core::kratix::read_promises(text).map_err(|p| format!("{p:?}"))?;
            let mut n = 0;
            for promise in &read.promises {
                promise_import::module(&promise.promise, "bench").map_err(|e| e.join("; "))?;
                let definition = PromiseDefinition::from_promise(&promise.promise);
                render(&Catalog::new().with(definition)).map_err(|p| p.to_string())?;
                n += 1;
            }
            Ok::<usize, String>(n)
        })?;
        let each = time / promises.max(1) as u32;
        per_promise.extend(std::iter::repeat_n(each, promises));
        if text.len() > largest_bytes {
            (largest, largest_bytes) = (each, text.len());
        }
    }
    per_promise.sort();
    let total: Duration = per_promise.iter().sum();
    println!(
        "import + render over the corpus ({} Promises from {} files): median {} per Promise, max {}, total {}; the largest file ({} KiB) {}",
        per_promise.len(),
        texts.len(),
        ms(per_promise[per_promise.len() / 2]),
        ms(per_promise[per_promise.len() - 1]),
        ms(total),
        largest_bytes / 1024,
        ms(largest),
    );
    Ok(())
}

/// Runs promise `name`'s example request through `executor`; an error unless it completes.
fn run_example(
    name: &str,
    promise: &Value,
    example: &str,
    options: &RunOptions,
    executor: &mut dyn local::Executor,
) -> Result<local::RunReport, String> {
    let report = local::run(promise, Some(example), options, executor, &mut |_| {})
        .map_err(|e| e.to_string())?;
    if report.outcome != Outcome::Completed {
        return Err(format!(
            "{name}: the example request did not complete: {:?}",
            report.outcome
        ));
    }
    Ok(report)
}

/// Every rendered promise that has an example request: its name, the Promise, the request.
fn examples(rendered: &Rendered) -> Result<Vec<(&str, Value, &str)>, String> {
    let mut examples = Vec::new();
    for (path, text) in &rendered.files {
        let Some(name) = path.strip_suffix("/promise.yaml") else {
            continue;
        };
        if let Some(example) = rendered.files.get(&format!("{name}/example-request.yaml")) {
            let promise: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
            examples.push((name, promise, example.as_str()));
        }
    }
    Ok(examples)
}

/// `n` promises, each with an API of its own (the database API under another group) and an
/// example request, so that every check and every byte of YAML is produced `n` times.
fn generated_catalog(rendered: &Rendered, n: usize) -> Result<Catalog, String> {
    let database = rendered
        .files
        .get("database/promise.yaml")
        .ok_or("the catalog has no database promise to generate promises from")?;
    let promise: Value = serde_saphyr::from_str(database).map_err(|e| e.to_string())?;
    let base: CustomResourceDefinition =
        serde_json::from_value(promise["spec"]["api"].clone()).map_err(|e| e.to_string())?;
    let mut catalog = Catalog::new();
    for i in 0..n {
        let group = format!("g{i}.bench.example.com");
        let mut crd = base.clone();
        crd.spec.group = group.clone();
        crd.metadata.name = Some(format!("{}.{group}", crd.spec.names.plural));
        let example = serde_json::json!({
            "apiVersion": format!("{group}/v1alpha1"),
            "kind": "Database",
            "metadata": {"name": format!("db-{i}"), "namespace": "bench"},
            "spec": {"name": format!("db-{i}"), "environment": "dev"},
        });
        catalog = catalog.with(
            PromiseDefinition::builder(format!("generated-{i}"))
                .version("v1.0.0")
                .destination_selector([("environment", "platform")])
                .api_crd(crd)
                .example_object(example)
                .build(),
        );
    }
    Ok(catalog)
}

fn median_of<T, E: ToString>(
    runs: usize,
    mut f: impl FnMut() -> Result<T, E>,
) -> Result<(Duration, T), String> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let result = f().map_err(|e| e.to_string())?;
        times.push(start.elapsed());
        last = Some(result);
    }
    times.sort();
    Ok((times[times.len() / 2], last.ok_or("no run")?))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}
