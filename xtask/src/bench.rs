//! `cargo xtask bench`: measured figures for the budgets, each with the command behind it.
//!
//! - every promise's resource configure workflow (all its containers, run through the
//!   release binary on the promise's example request): median, p90 and min wall time over
//!   `--runs` runs, and the peak RSS of its containers;
//! - the render time of the whole catalog (median over `--runs` renders, in process);
//! - the stripped size of the release binary.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use promise_core::render::render;
use serde_json::Value;

/// Runs the benchmarks; `runs` per figure.
pub fn run(root: &Path, runs: usize) -> ExitCode {
    match bench(root, runs.max(1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(root: &Path, runs: usize) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("building: {cargo} build --release -p promises --bin promise-pipeline");
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
        size as f64 / 1048576.0
    );

    let catalog = promises::catalog();
    let mut render_times = Vec::new();
    let mut rendered = None;
    for _ in 0..runs {
        let start = Instant::now();
        let result = render(&catalog).map_err(|p| p.to_string())?;
        render_times.push(start.elapsed());
        rendered = Some(result);
    }
    let rendered = rendered.ok_or("nothing rendered")?;
    println!(
        "render: {} promises in {} median over {runs} runs (in process; `cargo xtask bench`)",
        catalog.promises().len(),
        show(median(&mut render_times))
    );

    for (path, text) in rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/promise.yaml"))
    {
        let promise_name = path.trim_end_matches("/promise.yaml");
        let Some(example) = rendered
            .files
            .get(&format!("{promise_name}/example-request.yaml"))
        else {
            continue;
        };
        let promise: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        let pipelines = promise["spec"]["workflows"]["resource"]["configure"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if pipelines.is_empty() {
            continue;
        }
        let mut times = Vec::new();
        let workdir =
            std::env::temp_dir().join(format!("xtask-bench-{promise_name}-{}", std::process::id()));
        for _ in 0..runs {
            prepare(&workdir, example)?;
            let start = Instant::now();
            for pipeline in &pipelines {
                run_pipeline(&binary, &workdir, promise_name, pipeline, false)?;
            }
            times.push(start.elapsed());
        }
        prepare(&workdir, example)?;
        let mut peak_rss = 0;
        for pipeline in &pipelines {
            peak_rss = peak_rss.max(run_pipeline(
                &binary,
                &workdir,
                promise_name,
                pipeline,
                true,
            )?);
        }
        let _ = std::fs::remove_dir_all(&workdir);
        times.sort();
        let containers: usize = pipelines
            .iter()
            .map(|p| p["spec"]["containers"].as_array().map_or(0, Vec::len))
            .sum();
        println!(
            "workflow: {promise_name} resource configure ({} pipelines, {containers} containers): median {}, p90 {}, min {} over {runs} runs (budget 5 ms); peak RSS {:.2} MiB (budget 10 MiB)",
            pipelines.len(),
            show(times[times.len() / 2]),
            show(times[times.len() * 9 / 10]),
            show(times[0]),
            peak_rss as f64 / 1024.0,
        );
    }
    Ok(())
}

/// A fresh KRATIX_ROOT holding the request.
fn prepare(dir: &Path, request: &str) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    for sub in ["input", "output", "metadata"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| e.to_string())?;
    }
    std::fs::write(dir.join("input/object.yaml"), request).map_err(|e| e.to_string())
}

/// Runs the pipeline's containers in order; with `measure`, returns the peak RSS among
/// them in KiB (each container then runs under GNU time, so its wall time is not taken).
fn run_pipeline(
    binary: &PathBuf,
    root: &Path,
    promise: &str,
    pipeline: &Value,
    measure: bool,
) -> Result<u64, String> {
    let mut peak = 0;
    let name = pipeline["metadata"]["name"].as_str().unwrap_or_default();
    for container in pipeline["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let args: Vec<&str> = container["args"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut command = Command::new(binary);
        command
            .args(&args)
            .env_clear()
            .env("KRATIX_ROOT", root)
            .env("KRATIX_WORKFLOW_ACTION", "configure")
            .env("KRATIX_WORKFLOW_TYPE", "resource")
            .env("KRATIX_PROMISE_NAME", promise)
            .env("KRATIX_PIPELINE_NAME", name);
        if measure {
            peak = peak.max(peak_rss_kib(command)?);
            continue;
        }
        let status = command
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        if !status.success() {
            return Err(format!(
                "{promise}/{name} {args:?} failed on the example request"
            ));
        }
    }
    Ok(peak)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn show(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The peak resident set of one run of `command`, in KiB, measured by GNU time.
///
/// Not `wait4` on our own child: a child spawned from this (large) process starts out
/// sharing its memory, and Linux carries that high-water mark across `exec`, so it would
/// report the xtask's size. GNU time is small, so its child's figure is the binary's own.
fn peak_rss_kib(command: Command) -> Result<u64, String> {
    let report = std::env::temp_dir().join(format!("xtask-bench-rss-{}", std::process::id()));
    let program = command.get_program().to_owned();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(command.get_args());
    timed.env_clear();
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            timed.env(key, value);
        }
    }
    let status = timed
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run /usr/bin/time (Debian package `time`): {e}"))?;
    if !status.success() {
        return Err(format!("{command:?} failed under /usr/bin/time"));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&report);
    text.trim()
        .parse()
        .map_err(|e| format!("unexpected /usr/bin/time output {text:?}: {e}"))
}
