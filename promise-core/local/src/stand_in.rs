//! Third-party containers, run locally: the runner cannot start images, so a container that
//! is not one of this catalog's steps runs a stand-in command the user gives for it, or the
//! run stops before anything starts, naming the container and how to give one.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use super::ContainerResult;
use promise_core::kratix::{Container, Pipeline};
use promise_core::pipeline::BINARY_PATH;

/// A container runs one of `promise`'s steps: the pipeline binary, told this promise.
pub(super) fn is_step(container: &Container, promise: &str) -> bool {
    container.command == [BINARY_PATH]
        && container.args.first().map(String::as_str) == Some(promise)
}

/// Every third-party container of `pipelines` has a stand-in.
pub(super) fn check(
    promise: &str,
    pipelines: &[Pipeline],
    stand_ins: &BTreeMap<String, String>,
) -> Result<(), String> {
    let mut missing = Vec::new();
    for pipeline in pipelines {
        let pipeline_name = &pipeline.metadata.name;
        for container in &pipeline.spec.containers {
            let (name, image) = (&container.name, &container.image);
            if !is_step(container, promise) && !stand_ins.contains_key(name) {
                missing.push(format!(
                    "pipeline {pipeline_name:?}, container {name:?} runs image {image:?}, which cannot be started locally; give a stand-in command: --stand-in {name}='COMMAND' (run by sh -c in a root whose input/, output/ and metadata/ are the container's /kratix/..., also in $KRATIX_ROOT)"
                ));
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing.join("\n"))
    }
}

/// Runs `command` under `sh -c` in `root` with exactly the container's variables (and the
/// caller's `PATH`, to find programs).
pub(super) fn run(command: &str, env: &[(String, String)], root: &Path) -> ContainerResult {
    let mut process = Command::new("sh");
    process
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .env_clear()
        .stdin(Stdio::null());
    if let Some(path) = std::env::var_os("PATH") {
        process.env("PATH", path);
    }
    process.envs(env.iter().map(|(k, v)| (k, v)));
    ContainerResult::of_process(
        process.output(),
        format_args!("the stand-in `sh -c {command:?}`"),
    )
}
