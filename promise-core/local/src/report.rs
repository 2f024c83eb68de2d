//! What a local run reports: progress events, each container's run, the outcome, where each
//! workload group went, and the golden directory that pins it all.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

/// Progress, reported while the workflow runs.
#[derive(Debug)]
pub enum Event<'a> {
    /// A pipeline starts.
    Pipeline(&'a str),
    /// A container finished.
    Container(&'a ContainerRun),
}

/// One container's run.
#[derive(Debug, Clone)]
pub struct ContainerRun {
    /// Its pipeline.
    pub pipeline: String,
    /// The container's name.
    pub container: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// Wall time.
    pub duration: Duration,
    /// What it printed.
    pub log: String,
}

/// How the workflow ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every pipeline ran.
    Completed,
    /// A container or Kratix's own checks failed; later pipelines did not run.
    Failed(String),
    /// A pipeline asked to suspend the workflow.
    Suspended {
        /// The pipeline that asked.
        pipeline: String,
        /// Its message.
        message: String,
    },
    /// A pipeline asked to be retried.
    RetryAfter {
        /// The pipeline that asked.
        pipeline: String,
        /// The Go duration it asked for.
        after: String,
        /// Its message.
        message: String,
    },
}

/// Where one workload group went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The pipeline (empty for static dependencies).
    pub pipeline: String,
    /// `.` for the default group, or the selected directory.
    pub directory: String,
    /// The labels it was scheduled by.
    pub selectors: BTreeMap<String, String>,
    /// Every matching Destination.
    pub candidates: Vec<String>,
    /// Where it went: one for resource workflows, all for promise workflows.
    pub chosen: Vec<String>,
    /// Its files, relative to the pipeline's output folder.
    pub files: Vec<String>,
}

/// What writes a run's result and golden directories.
pub const RUN_COMMAND: &str = "cargo xtask run";

/// The whole result of a run.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// Every container run.
    pub containers: Vec<ContainerRun>,
    /// How it ended.
    pub outcome: Outcome,
    /// The object's status afterwards.
    pub status: Value,
    /// Where each workload group went.
    pub placements: Vec<Placement>,
    /// The state store: files by path, as Kratix writes them.
    pub state_store: BTreeMap<String, String>,
}

impl RunReport {
    /// Everything a golden directory pins: `state-store/...`, `status.yaml` and
    /// `schedule.yaml` (timings left out, so the files are stable).
    pub fn golden(&self) -> crate::tree::Tree {
        let mut files: BTreeMap<String, String> = self
            .state_store
            .iter()
            .map(|(path, content)| (format!("state-store/{path}"), content.clone()))
            .collect();
        let yaml = |v: &Value| promise_core::yaml::to_string(v).unwrap_or_default();
        files.insert("status.yaml".into(), yaml(&self.status));
        let outcome = match &self.outcome {
            Outcome::Completed => json!({"result": "completed"}),
            Outcome::Failed(message) => json!({"result": "failed", "message": message}),
            Outcome::Suspended { pipeline, message } => {
                json!({"result": "suspended", "pipeline": pipeline, "message": message})
            }
            Outcome::RetryAfter {
                pipeline,
                after,
                message,
            } => {
                json!({"result": "retry", "pipeline": pipeline, "retryAfter": after, "message": message})
            }
        };
        let placements: Vec<Value> = self
            .placements
            .iter()
            .map(|p| json!({"pipeline": p.pipeline, "directory": p.directory, "selectors": p.selectors, "candidates": p.candidates, "destinations": p.chosen, "files": p.files}))
            .collect();
        files.insert(
            "schedule.yaml".into(),
            yaml(&json!({"outcome": outcome, "placements": placements})),
        );
        crate::tree::Tree {
            files,
            written_by: RUN_COMMAND,
        }
    }
}
