//! `cargo xtask bench [--runs N]`: measured figures for the budgets, each with the command
//! behind it.
//!
//! - every promise's resource configure workflow, all its containers, through the release
//!   binary, on the promise's example request, as `cargo xtask run` runs it: median, p90 and
//!   min of the containers' wall time over `--runs` runs, and their peak RSS;
//! - the render time of the catalog, and of 100 to 1,000 generated promises (to show it grows
//!   linearly);
//! - the stripped size of the release binary.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::local::{self, Outcome, RunOptions};
use promise_core::pipeline::{WorkflowAction, WorkflowType};
use promise_core::render::{Rendered, render};
use serde_json::Value;

use crate::process::Process;

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
    println!("building: cargo build --release -p promises --bin promise-pipeline");
    let status = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "-p",
            "promises",
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
    for (path, text) in rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/promise.yaml"))
    {
        let name = path.trim_end_matches("/promise.yaml");
        let Some(example) = rendered.files.get(&format!("{name}/example-request.yaml")) else {
            continue;
        };
        let promise: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        let options = RunOptions::new(
            WorkflowType::Resource,
            WorkflowAction::Configure,
            destinations.clone(),
        );
        let mut times = Vec::new();
        let mut containers = 0;
        let mut executor = Process::new(binary.clone());
        for _ in 0..runs {
            let report = local::run(
                &promise,
                Some(example),
                &options,
                &mut executor,
                &mut |_| {},
            )?;
            if report.outcome != Outcome::Completed {
                return Err(format!(
                    "{name}: the example request did not complete: {:?}",
                    report.outcome
                ));
            }
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
        local::run(
            &promise,
            Some(example),
            &options,
            &mut measuring,
            &mut |_| {},
        )?;
        println!(
            "workflow: {name} resource configure, {containers} container(s): median {}, p90 {}, min {} over {runs} runs (budget 5 ms); peak RSS {:.2} MiB (budget 10 MiB)",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(times[0]),
            measuring.peak_rss_kib as f64 / 1024.0,
        );
    }
    import_figures(root, runs)?;
    println!("(reproduce: cargo xtask bench --runs {runs})");
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
