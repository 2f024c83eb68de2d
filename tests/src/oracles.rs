//! The Go test oracles under `tests/oracles/<name>/`: small programs around upstream code
//! (the apiserver's validation), built into `target/oracles/<name>` and rebuilt only when
//! their sources, `go.mod`, `go.sum` or the Go version change.
//!
//! `cargo test` builds them on first use, printing progress; `cargo xtask oracles` builds them
//! all ahead of time. Without Go an oracle test shows as ignored, and under CI it fails.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use serde_json::Value;

use sha2::{Digest, Sha256};

use crate::{ci, workspace_root};

/// Every oracle module: the folders of `tests/oracles/`.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(workspace_root().join("tests/oracles"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("go.mod").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds the oracle `name` if its inputs changed, and returns its path. `Err` says why it
/// cannot be built (no Go, a failed build).
pub fn build(name: &str) -> io::Result<PathBuf> {
    let why = |what: String| move |e: io::Error| io::Error::new(e.kind(), format!("{what}: {e}"));
    // One build at a time, even when tests ask from several threads.
    static BUILDING: Mutex<()> = Mutex::new(());
    let _guard = BUILDING.lock().unwrap_or_else(|p| p.into_inner());
    let source = workspace_root().join("tests/oracles").join(name);
    let out_dir = workspace_root().join("target/oracles");
    let binary = out_dir.join(name);
    let stamp = out_dir.join(format!("{name}.stamp"));
    let go_version = Command::new("go")
        .arg("version")
        .output()
        .map_err(why(format!("Go is needed to build the {name} oracle")))?;
    let inputs = fingerprint(&source, &String::from_utf8_lossy(&go_version.stdout))
        .map_err(why(source.display().to_string()))?;
    if binary.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&inputs) {
        return Ok(binary);
    }
    progress(&format!(
        "building the {name} oracle (go build in {}; the first build downloads and compiles \
         Kubernetes modules, a few minutes)...",
        source.display()
    ));
    let started = std::time::Instant::now();
    let status = Command::new("go")
        .args(["build", "-mod=readonly", "-trimpath", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(&source)
        .env("CGO_ENABLED", "0")
        .status()
        .map_err(why("cannot run go build".into()))?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "go build of the {name} oracle failed ({status})"
        )));
    }
    progress(&format!(
        "built {} in {:.1} s",
        binary.display(),
        started.elapsed().as_secs_f64()
    ));
    std::fs::write(&stamp, &inputs).map_err(why(stamp.display().to_string()))?;
    Ok(binary)
}

/// Writes `line` to the process's standard error itself: inside a test, `eprintln!` is
/// captured and shown only if the test fails, and a build of minutes should not be silent.
fn progress(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// The oracle `name` for a test, built if needed. A test that calls it is marked
/// `#[cfg_attr(go_missing, ignore)]` (see `build.rs`), so it runs only where Go is, and
/// there a failed build fails the test.
pub fn oracle(name: &str) -> PathBuf {
    build(name).unwrap_or_else(|why| {
        panic!(
            "the {name} oracle cannot be built{}: {why}",
            if ci() { " (CI)" } else { "" }
        )
    })
}

/// One oracle process answering many questions (`ORACLE batch`): the apiserver's packages
/// start once (~40 ms) instead of once per question, so a test asks thousands.
pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Session {
    /// Starts `binary batch`.
    pub fn start(binary: &Path) -> io::Result<Self> {
        let mut child = Command::new(binary)
            .arg("batch")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(io::Error::other("the oracle's pipes were not opened"));
        };
        Ok(Self {
            child,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    /// Asks one command line (`["crd", FILE]`): the exit code the command alone would have,
    /// 0 (allowed) or 1 (refused), and its verdict. A usage or input error (exit 2) is `Err`.
    pub fn ask(&mut self, args: &[&str]) -> io::Result<(i32, Value)> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("the session is closed"))?;
        writeln!(stdin, "{}", serde_json::to_string(args)?)?;
        stdin.flush()?;
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the oracle exited before answering {args:?}"),
            ));
        }
        let mut answer: Value = serde_json::from_str(&line)?;
        match answer["code"].as_i64() {
            Some(code @ (0 | 1)) => Ok((code as i32, answer["verdict"].take())),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("oracle {args:?}: {}", answer["error"]),
            )),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Closing stdin ends the batch; wait so no process outlives the test.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// A hash of everything the binary depends on: the Go version and every source file.
fn fingerprint(source: &Path, go_version: &str) -> std::io::Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(source)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "go")
                || p.file_name()
                    .is_some_and(|n| n == "go.mod" || n == "go.sum")
        })
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    hash.update(go_version.as_bytes());
    for file in files {
        hash.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hash.update(std::fs::read(&file)?);
    }
    let mut hex = String::new();
    for byte in hash.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}
