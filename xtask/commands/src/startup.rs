//! One pipeline container against a static no-op process, side by side (issue 15's budget:
//! at most 1.4× the no-op's time). Each container call of a workflow runs the no-op, then the
//! pipeline binary, with the same arguments and variables, so both see the same machine; a
//! second pass counts the instructions of each under callgrind.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use promise_local::{ContainerCall, ContainerResult, Executor};

use crate::process::run_as_container;

/// The no-op: `fn main() {}`, optimised, statically linked and stripped, built by rustc into
/// `target/bench/noop`.
pub fn build_noop(root: &Path) -> io::Result<PathBuf> {
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let source = dir.join("noop.rs");
    std::fs::write(&source, "fn main() {}\n")?;
    let binary = dir.join("noop");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let status = Command::new(rustc)
        .args([
            "--edition=2024",
            "-C",
            "opt-level=3",
            "-C",
            "target-feature=+crt-static",
            "-C",
            "strip=symbols",
            "-o",
        ])
        .arg(&binary)
        .arg(&source)
        .status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "rustc could not build the no-op ({status})"
        )));
    }
    Ok(binary)
}

/// How a container is measured.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Wall time of spawn to exit.
    Wall,
    /// Instructions under `valgrind --tool=callgrind`.
    Instructions,
}

/// Runs each container call as the no-op and then as the pipeline binary, recording both.
pub struct SideBySide {
    pipeline: PathBuf,
    noop: PathBuf,
    measure: Measure,
    /// The no-op's figure per call (nanoseconds or instructions).
    pub noop_figures: Vec<u64>,
    /// The pipeline binary's figure per call.
    pub pipeline_figures: Vec<u64>,
}

impl SideBySide {
    /// Measures `pipeline` against `noop`.
    pub fn new(pipeline: PathBuf, noop: PathBuf, measure: Measure) -> Self {
        Self {
            pipeline,
            noop,
            measure,
            noop_figures: Vec::new(),
            pipeline_figures: Vec::new(),
        }
    }

    fn measured(&self, binary: &Path, call: &ContainerCall<'_>) -> (ContainerResult, Option<u64>) {
        match self.measure {
            Measure::Wall => {
                let started = Instant::now();
                let result = run_as_container(Command::new(binary), call, binary);
                let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                (result, Some(nanos))
            }
            Measure::Instructions => {
                let Ok(log) = tempfile::NamedTempFile::new() else {
                    return (failed("cannot create a temporary file"), None);
                };
                let log = log.into_temp_path();
                let mut command = Command::new("valgrind");
                command
                    .arg("--tool=callgrind")
                    .arg("--callgrind-out-file=/dev/null")
                    .arg(format!("--log-file={}", log.display()))
                    .arg(binary);
                let result = run_as_container(command, call, binary);
                let collected = std::fs::read_to_string(&log)
                    .ok()
                    .and_then(|text| collected(&text));
                (result, collected)
            }
        }
    }
}

fn failed(why: &str) -> ContainerResult {
    ContainerResult {
        success: false,
        stdout: String::new(),
        stderr: why.to_string(),
    }
}

/// The instruction count of a callgrind log (`==1== Collected : 441234`).
fn collected(log: &str) -> Option<u64> {
    log.lines()
        .find_map(|line| line.split_once("Collected :"))
        .and_then(|(_, n)| n.trim().parse().ok())
}

impl Executor for SideBySide {
    fn run(&mut self, call: &ContainerCall<'_>) -> ContainerResult {
        let (noop, noop_figure) = self.measured(&self.noop.clone(), call);
        if !noop.success {
            return failed(&format!("the no-op failed: {}", noop.stderr));
        }
        let (result, figure) = self.measured(&self.pipeline.clone(), call);
        match (noop_figure, figure) {
            (Some(a), Some(b)) => {
                self.noop_figures.push(a);
                self.pipeline_figures.push(b);
                result
            }
            _ => failed("no figure was recorded (is valgrind installed?)"),
        }
    }
}

/// The median of `figures`.
pub fn median(figures: &[u64]) -> u64 {
    let mut sorted = figures.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::collected;

    #[test]
    fn a_callgrind_log_gives_its_instruction_count() {
        let log = "==12== Callgrind, a call-graph generating cache profiler\n==12== Events    : Ir\n==12== Collected : 441234\n==12==\n==12== I   refs:      441,234\n";
        assert_eq!(collected(log), Some(441_234));
        assert_eq!(collected("==12== no figures"), None);
    }
}
