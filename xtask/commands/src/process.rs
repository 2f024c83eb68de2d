//! Runs pipeline containers as processes of the built pipeline binary, with nothing but the
//! container's variables in their environment; optionally under GNU time, for peak RSS.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use promise_local::{ContainerCall, ContainerResult, Executor};

/// The pipeline binary as an [`Executor`].
pub struct Process {
    binary: PathBuf,
    measure_rss: bool,
    /// The largest resident set of any container run so far, in KiB (with `measure_rss`).
    pub peak_rss_kib: u64,
}

impl Process {
    /// Runs `binary` directly.
    pub fn new(binary: PathBuf) -> Self {
        Self {
            binary,
            measure_rss: false,
            peak_rss_kib: 0,
        }
    }

    /// Runs `binary` under `/usr/bin/time`, recording peak RSS. Not `wait4` on our own child:
    /// a child of this (large) process starts out sharing its memory, and Linux carries that
    /// high-water mark across `exec`, so it would report the xtask's size. GNU time is small.
    pub fn measuring_rss(binary: PathBuf) -> Self {
        Self {
            binary,
            measure_rss: true,
            peak_rss_kib: 0,
        }
    }
}

impl Executor for Process {
    fn run(&mut self, call: &ContainerCall<'_>) -> ContainerResult {
        // GNU time writes its figure to a file of ours, under an unpredictable name.
        let report = match tempfile::NamedTempFile::new() {
            Ok(file) => file.into_temp_path(),
            Err(e) => {
                return ContainerResult {
                    success: false,
                    stdout: String::new(),
                    stderr: format!("cannot create a temporary file: {e}"),
                };
            }
        };
        let command = if self.measure_rss {
            let mut c = Command::new("/usr/bin/time");
            c.arg("-f")
                .arg("%M")
                .arg("-o")
                .arg(&*report)
                .arg(&self.binary);
            c
        } else {
            Command::new(&self.binary)
        };
        let result = run_as_container(command, call, &self.binary);
        if self.measure_rss
            && let Some(kib) = std::fs::read_to_string(&report)
                .ok()
                .and_then(|t| t.trim().parse().ok())
        {
            self.peak_rss_kib = self.peak_rss_kib.max(kib);
        }
        result
    }
}

/// Runs `command` (the binary, or a wrapper around it) with the container's arguments and
/// nothing but its variables, as the container would run.
pub fn run_as_container(
    mut command: Command,
    call: &ContainerCall<'_>,
    binary: &Path,
) -> ContainerResult {
    let output = command
        .args(call.args)
        .env_clear()
        .envs(call.env.iter().cloned())
        .stdin(Stdio::null())
        .output();
    ContainerResult::of_process(output, binary.display())
}
