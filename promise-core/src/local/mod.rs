//! Runs a promise's workflows locally, as Kratix would: the request checked and defaulted
//! like the apiserver does, each pipeline's containers in order in a fresh root with the
//! `KRATIX_*` variables Kratix sets, status merged between pipelines, workflow control
//! honoured, and the output scheduled to Destinations and laid out as Kratix lays out its
//! state store. `cargo xtask run` drives it with the real pipeline binary; tests drive it
//! in-process ([`InProcess`]).

mod admission;
mod destination;
mod stand_in;
mod status;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use serde_json::{Map, Value, json};

pub use admission::{Admission, admission};
pub use destination::{Destination, parse_destinations, platform_destinations};

use admission::admit;

use crate::catalog::Catalog;
use crate::pipeline::{DirectorySelector, WorkflowAction, WorkflowType, dispatch, selectors};
use crate::platform::FilepathMode;
use crate::render::Rendered;

/// One step container to run.
#[derive(Debug)]
pub struct ContainerCall<'a> {
    /// The container's arguments (`<promise> <step>`).
    pub args: &'a [String],
    /// Every variable the container gets.
    pub env: &'a [(String, String)],
}

/// What a container did.
#[derive(Debug, Clone, Default)]
pub struct ContainerResult {
    /// Exit code 0.
    pub success: bool,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// Runs pipeline containers: the built binary in a process, or the catalog in-process.
pub trait Executor {
    /// Runs one container to completion.
    fn run(&mut self, call: &ContainerCall<'_>) -> ContainerResult;
}

/// Runs steps in this process through [`dispatch::run`], for tests.
#[derive(Debug)]
pub struct InProcess<'a>(pub &'a Catalog);

impl Executor for InProcess<'_> {
    fn run(&mut self, call: &ContainerCall<'_>) -> ContainerResult {
        let var = |name: &str| {
            call.env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        match dispatch::run(self.0, call.args, var) {
            Ok(report) => ContainerResult {
                success: true,
                stdout: report,
                stderr: String::new(),
            },
            Err(error) => ContainerResult {
                success: false,
                stdout: String::new(),
                stderr: format!("error: {error}"),
            },
        }
    }
}

/// Which workflow to run, and where its output may go.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// `resource` or `promise`.
    pub workflow_type: WorkflowType,
    /// `configure` or `delete`.
    pub action: WorkflowAction,
    /// The Destinations to schedule to.
    pub destinations: Vec<Destination>,
    /// The time steps see (RFC 3339); `None` pins it to [`PINNED_NOW`], so that runs are
    /// byte-stable.
    pub now: Option<String>,
    /// Local commands standing in for third-party containers, by container name: the runner
    /// cannot start images. Each runs under `sh -c` in the pipeline's root, with the
    /// container's variables and `KRATIX_ROOT` (its `input/`, `output/` and `metadata/` are
    /// the container's `/kratix/...`).
    pub stand_ins: BTreeMap<String, String>,
}

impl RunOptions {
    /// The `action` workflow of type `workflow_type`, scheduled to `destinations`, with the
    /// clock pinned and no stand-ins.
    pub fn new(
        workflow_type: WorkflowType,
        action: WorkflowAction,
        destinations: Vec<Destination>,
    ) -> Self {
        Self {
            workflow_type,
            action,
            destinations,
            now: None,
            stand_ins: BTreeMap::new(),
        }
    }
}

/// The time a local run pins the clock to, unless told otherwise.
pub const PINNED_NOW: &str = "2026-01-01T00:00:00Z";

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
    pub fn golden(&self) -> Rendered {
        let mut files: BTreeMap<String, String> = self
            .state_store
            .iter()
            .map(|(path, content)| (format!("state-store/{path}"), content.clone()))
            .collect();
        let yaml = |v: &Value| crate::yaml::to_string(v).unwrap_or_default();
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
        Rendered {
            files,
            written_by: RUN_COMMAND,
        }
    }
}

/// Runs the `options` workflow of the rendered Promise `promise` for `request` (the request
/// YAML, for resource workflows). Fails without running anything when the request would not
/// pass the apiserver.
pub fn run(
    promise: &Value,
    request: Option<&str>,
    options: &RunOptions,
    executor: &mut dyn Executor,
    progress: &mut dyn FnMut(Event<'_>),
) -> Result<RunReport, String> {
    let promise_name = promise
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .ok_or("the Promise has no name")?
        .to_string();
    let resource = options.workflow_type == WorkflowType::Resource;
    let mut object = if resource {
        admit(
            promise,
            request.ok_or("a resource workflow needs a request (--input)")?,
        )?
    } else {
        promise.clone()
    };
    let mut status = Map::new();
    let ty = options.workflow_type.as_str();
    let action = options.action.as_str();
    let mut pipelines = promise
        .pointer(&format!("/spec/workflows/{ty}/{action}"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if options.action == WorkflowAction::Delete {
        // Kratix runs only the first delete pipeline.
        pipelines.truncate(1);
    }
    stand_in::check(&promise_name, &pipelines, &options.stand_ins)?;
    let vars = kratix_vars(promise, &object, options)?;
    let mut report = RunReport {
        containers: Vec::new(),
        outcome: Outcome::Completed,
        status: Value::Null,
        placements: Vec::new(),
        state_store: BTreeMap::new(),
    };
    for pipeline in &pipelines {
        let name = pipeline
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        progress(Event::Pipeline(&name));
        let ctx = PipelineRun {
            promise: &promise_name,
            name: &name,
            vars: &vars,
            stand_ins: &options.stand_ins,
        };
        if options.action == WorkflowAction::Configure {
            status.insert("message".into(), json!("Pending"));
        }
        object["status"] = Value::Object(status.clone());
        let root = Root::new(&object)?;
        let result = run_pipeline(pipeline, &ctx, &root, executor, progress, &mut report);
        if let Err(message) = result {
            report.outcome = Outcome::Failed(message);
            break;
        }
        // Kratix's pod runs the work-writer (an init container, configure only) before the
        // status-writer: the Work is written even when the status then fails the pipeline.
        let stop = workflow_control(&root, &name)?;
        if let Some(failed @ Outcome::Failed(_)) = stop {
            report.outcome = failed;
            break;
        }
        if options.action == WorkflowAction::Configure
            && stop.is_none()
            && let Err(message) = schedule(promise, &object, &name, &root, options, &mut report)
        {
            report.outcome = Outcome::Failed(message);
            break;
        }
        if let Some(incoming) =
            read_yaml::<Map<String, Value>>(&root.path.join("metadata/status.yaml"))?
        {
            if incoming.contains_key("kratix") {
                report.outcome = Outcome::Failed(format!(
                    "pipeline {name}: 'kratix' is a kratix managed status field and cannot be set"
                ));
                break;
            }
            status::merge(&mut status, incoming, !resource);
        }
        if let Some(stop) = stop {
            report.outcome = stop;
            break;
        }
    }
    // The status-writer of the last pipeline finalises the status; with no pipeline, none ran.
    if report.outcome == Outcome::Completed
        && options.action == WorkflowAction::Configure
        && !pipelines.is_empty()
    {
        if status.get("message") == Some(&json!("Pending")) {
            let done = if resource {
                "Resource requested"
            } else {
                "Promise configured"
            };
            status.insert("message".into(), json!(done));
        }
        // On requests and Promises alike.
        let completed = json!({"type": "ConfigureWorkflowCompleted", "status": "True", "reason": "PipelinesExecutedSuccessfully", "message": "Pipelines completed"});
        status::merge(
            &mut status,
            Map::from_iter([("conditions".to_string(), json!([completed]))]),
            false,
        );
    }
    if !resource
        && options.action == WorkflowAction::Configure
        && report.outcome == Outcome::Completed
    {
        static_dependencies(promise, &promise_name, options, &mut report);
    }
    report.status = Value::Object(status);
    Ok(report)
}

/// The variables Kratix sets in every pipeline container (kratix.md §b).
fn kratix_vars(
    promise: &Value,
    object: &Value,
    options: &RunOptions,
) -> Result<Vec<(String, String)>, String> {
    let promise_name = promise
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api = promise.pointer("/spec/api/spec");
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let resource = options.workflow_type == WorkflowType::Resource;
    let (kind, group, version, name, namespace, plural) = if resource {
        let api_version = text(object.get("apiVersion"));
        let version = api_version
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        (
            text(object.get("kind")),
            text(api.and_then(|a| a.get("group"))),
            version,
            text(object.pointer("/metadata/name")),
            text(object.pointer("/metadata/namespace")),
            text(api.and_then(|a| a.pointer("/names/plural"))),
        )
    } else {
        (
            "Promise".into(),
            "platform.kratix.io".into(),
            "v1alpha1".into(),
            promise_name.to_string(),
            String::new(),
            "promises".into(),
        )
    };
    Ok(vec![
        (
            "KRATIX_WORKFLOW_ACTION".into(),
            options.action.as_str().into(),
        ),
        (
            "KRATIX_WORKFLOW_TYPE".into(),
            options.workflow_type.as_str().into(),
        ),
        ("KRATIX_PROMISE_NAME".into(), promise_name.into()),
        ("KRATIX_OBJECT_KIND".into(), kind),
        ("KRATIX_OBJECT_GROUP".into(), group),
        ("KRATIX_OBJECT_VERSION".into(), version),
        ("KRATIX_OBJECT_NAME".into(), name),
        ("KRATIX_OBJECT_NAMESPACE".into(), namespace),
        ("KRATIX_CRD_PLURAL".into(), plural),
        ("KRATIX_CLUSTER_SCOPED".into(), (!resource).to_string()),
        (
            crate::pipeline::NOW_VAR.into(),
            options.now.clone().unwrap_or_else(|| PINNED_NOW.into()),
        ),
    ])
}

/// What every container of one pipeline shares.
struct PipelineRun<'a> {
    promise: &'a str,
    name: &'a str,
    vars: &'a [(String, String)],
    stand_ins: &'a BTreeMap<String, String>,
}

fn run_pipeline(
    pipeline: &Value,
    ctx: &PipelineRun<'_>,
    root: &Root,
    executor: &mut dyn Executor,
    progress: &mut dyn FnMut(Event<'_>),
    report: &mut RunReport,
) -> Result<(), String> {
    for container in pipeline
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let container_name = container
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let args: Vec<String> = container
            .get("args")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect();
        let name = ctx.name;
        let mut env: Vec<(String, String)> = ctx.vars.to_vec();
        env.push(("KRATIX_PIPELINE_NAME".into(), name.into()));
        env.push(("KRATIX_ROOT".into(), root.path.display().to_string()));
        let mut notes = Vec::new();
        for var in container
            .get("env")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = var
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            match var.get("value").and_then(Value::as_str) {
                Some(value) => env.push((key, value.to_string())),
                None => notes.push(format!(
                    "note: {key} comes from a Secret or ConfigMap, not available locally\n"
                )),
            }
        }
        let start = Instant::now();
        let result = if stand_in::is_step(container, ctx.promise) {
            executor.run(&ContainerCall {
                args: &args,
                env: &env,
            })
        } else {
            // `check` made sure there is one before anything ran.
            let command = ctx
                .stand_ins
                .get(&container_name)
                .map_or("", String::as_str);
            stand_in::run(command, &env, &root.path)
        };
        let run = ContainerRun {
            pipeline: name.to_string(),
            container: container_name.clone(),
            ok: result.success,
            duration: start.elapsed(),
            log: format!("{}{}{}", notes.concat(), result.stdout, result.stderr),
        };
        progress(Event::Container(&run));
        report.containers.push(run);
        if !result.success {
            return Err(format!(
                "pipeline {name}, container {container_name}: {}",
                result.stderr.trim()
            ));
        }
    }
    Ok(())
}

/// Groups a pipeline's output by destination selectors and writes each group where Kratix
/// would: `<dest.path>/resources/<ns>/<promise>/<name>/<pipeline>/<sha5>/...` for resource
/// workflows, `<dest.path>/dependencies/<promise>/<pipeline>/<sha5>/...` for promise workflows.
fn schedule(
    promise: &Value,
    object: &Value,
    pipeline: &str,
    root: &Root,
    options: &RunOptions,
    report: &mut RunReport,
) -> Result<(), String> {
    let output = root.path.join("output");
    let files: Vec<(String, String)> = crate::render::read_tree(&output)
        .map_err(|e| format!("{}: {e}", output.display()))?
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    // Kratix's work-creator rules: non-empty matchLabels, top-level directories only, no
    // directory twice (after `filepath.Clean`).
    let written: Vec<DirectorySelector> =
        read_yaml(&root.path.join("metadata/destination-selectors.yaml"))?.unwrap_or_default();
    let selectors = selectors::parse_written(written)
        .map_err(|e| format!("pipeline {pipeline}: destination-selectors.yaml: {e}"))?;
    // Kratix's work-creator reads each selected directory; one that is not there fails it.
    for directory in selectors.iter().filter_map(|s| s.directory.as_deref()) {
        if !output.join(directory).is_dir() {
            return Err(format!(
                "pipeline {pipeline}: destination-selectors.yaml selects directory {directory:?}, \
                 which is not a directory in /kratix/output: Kratix's work-creator fails on it"
            ));
        }
    }
    let mut groups: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut root_selectors = BTreeMap::new();
    for selector in selectors {
        match selector.directory {
            None => root_selectors.extend(selector.match_labels),
            Some(dir) => {
                groups.insert(dir, selector.match_labels);
            }
        }
    }
    // The default group: workflow selectors, with the Promise's own winning on a conflict.
    root_selectors.extend(promise_selectors(promise));
    let mut by_group: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (path, content) in files {
        let top = path.split('/').next().unwrap_or_default();
        let group = if path.contains('/') && groups.contains_key(top) {
            top.to_string()
        } else {
            ".".to_string()
        };
        by_group.entry(group).or_default().push((path, content));
    }
    let resource = options.workflow_type == WorkflowType::Resource;
    let promise_name = promise
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    for (directory, files) in by_group {
        let labels = if directory == "." {
            root_selectors.clone()
        } else {
            groups[&directory].clone()
        };
        let candidates: Vec<&Destination> = options
            .destinations
            .iter()
            .filter(|d| d.matches(&labels))
            .collect();
        let mut names: Vec<String> = candidates.iter().map(|d| d.name.clone()).collect();
        names.sort();
        // Kratix picks one matching Destination at random for a resource's workload group;
        // locally the first by name, so golden files are stable.
        let chosen: Vec<String> = if resource {
            names.iter().take(1).cloned().collect()
        } else {
            names.clone()
        };
        let sha5 = sha5(&directory);
        for destination in options
            .destinations
            .iter()
            .filter(|d| chosen.contains(&d.name))
        {
            let base = if resource {
                // The Work lives in the pipeline's namespace: the request's, unless the Promise
                // sets `workflows.config.pipelineNamespace`.
                let ns = promise
                    .pointer("/spec/workflows/config/pipelineNamespace")
                    .or_else(|| object.pointer("/metadata/namespace"))
                    .and_then(Value::as_str)
                    .unwrap_or("default");
                let name = object
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                format!(
                    "{}resources/{ns}/{promise_name}/{name}/{pipeline}/{sha5}",
                    destination.prefix()
                )
            } else {
                format!(
                    "{}dependencies/{promise_name}/{pipeline}/{sha5}",
                    destination.prefix()
                )
            };
            for (path, content) in &files {
                place(
                    &mut report.state_store,
                    destination,
                    &format!("{base}/{path}"),
                    path,
                    content,
                );
            }
        }
        report.placements.push(Placement {
            pipeline: pipeline.to_string(),
            directory,
            selectors: labels,
            candidates: names,
            chosen,
            files: files.into_iter().map(|(p, _)| p).collect(),
        });
    }
    Ok(())
}

/// `spec.dependencies`, written with the Promise to every Destination its selectors match.
fn static_dependencies(
    promise: &Value,
    promise_name: &str,
    options: &RunOptions,
    report: &mut RunReport,
) {
    let Some(dependencies) = promise
        .pointer("/spec/dependencies")
        .and_then(Value::as_array)
        .filter(|d| !d.is_empty())
    else {
        return;
    };
    let content: String = dependencies
        .iter()
        .map(|d| format!("---\n{}", crate::yaml::to_string(d).unwrap_or_default()))
        .collect();
    let labels = promise_selectors(promise);
    let mut chosen: Vec<String> = options
        .destinations
        .iter()
        .filter(|d| d.matches(&labels))
        .map(|d| d.name.clone())
        .collect();
    chosen.sort();
    let file = format!("static/{promise_name}-dependencies.yaml");
    for destination in options
        .destinations
        .iter()
        .filter(|d| chosen.contains(&d.name))
    {
        let nested = format!(
            "{}dependencies/{promise_name}/{}/{file}",
            destination.prefix(),
            sha5(".")
        );
        place(
            &mut report.state_store,
            destination,
            &nested,
            &file,
            &content,
        );
    }
    report.placements.push(Placement {
        pipeline: String::new(),
        directory: ".".into(),
        selectors: labels,
        candidates: chosen.clone(),
        chosen,
        files: vec![file],
    });
}

/// `workflow-control.yaml` as Kratix's work-writer reads it: the suspension or retry it asks
/// for, or the failure Kratix reports on it; `None` when the workflow goes on.
fn workflow_control(root: &Root, pipeline: &str) -> Result<Option<Outcome>, String> {
    let Some(control) = read_yaml::<Value>(&root.path.join("metadata/workflow-control.yaml"))?
    else {
        return Ok(None);
    };
    let message = control
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let retry = control
        .get("retryAfter")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty());
    if let Some(after) = retry {
        if !is_go_duration(after) {
            return Ok(Some(Outcome::Failed(format!(
                "pipeline {pipeline}: workflow-control.yaml: retryAfter {after:?} is not a Go duration (such as 90s, 5m or 1h30m)"
            ))));
        }
        return Ok(Some(Outcome::RetryAfter {
            pipeline: pipeline.to_string(),
            after: after.to_string(),
            message,
        }));
    }
    if control.get("suspend").and_then(Value::as_bool) == Some(true) {
        return Ok(Some(Outcome::Suspended {
            pipeline: pipeline.to_string(),
            message,
        }));
    }
    Ok(None)
}

/// Writes one file into the state store as `destination`'s filepath mode lays it out:
/// `nested` (the full `nestedByMetadata` path), flat at `<dest.path>/<relative>` (`none`), or
/// appended to `<dest.path>/<filename>` (`aggregatedYAML`).
fn place(
    store: &mut BTreeMap<String, String>,
    destination: &Destination,
    nested: &str,
    relative: &str,
    content: &str,
) {
    match &destination.filepath {
        FilepathMode::NestedByMetadata => {
            store.insert(nested.to_string(), content.to_string());
        }
        FilepathMode::None => {
            store.insert(
                format!("{}{relative}", destination.prefix()),
                content.to_string(),
            );
        }
        FilepathMode::AggregatedYaml { filename } => {
            let all = store
                .entry(format!("{}{filename}", destination.prefix()))
                .or_default();
            if !all.is_empty() && !all.ends_with('\n') {
                all.push('\n');
            }
            if !content.starts_with("---") {
                all.push_str("---\n");
            }
            all.push_str(content);
        }
    }
}

/// Go's `time.ParseDuration` grammar, signed: `GoDuration`'s parser, which refuses negative
/// durations that Go (and so Kratix) reads.
fn is_go_duration(text: &str) -> bool {
    text.strip_prefix('-')
        .unwrap_or(text)
        .parse::<crate::kratix::GoDuration>()
        .is_ok()
}

/// The Promise's `destinationSelectors`, squashed into one map as Kratix squashes them.
fn promise_selectors(promise: &Value) -> BTreeMap<String, String> {
    let entries: Vec<crate::kratix::DestinationSelector> = promise
        .pointer("/spec/destinationSelectors")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_default();
    crate::kratix::squash_selectors(&entries)
}

/// The first five hex digits of the md5 of a workload group's directory, Kratix's group id.
fn sha5(directory: &str) -> String {
    let digest = Md5::digest(directory.as_bytes());
    digest
        .iter()
        .take(3)
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..5]
        .to_string()
}

/// A pipeline's `KRATIX_ROOT`: `input/object.yaml` read-only, empty `output/` and `metadata/`,
/// in a fresh directory with an unpredictable name, removed when the pipeline is done.
struct Root {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Root {
    fn new(object: &Value) -> Result<Self, String> {
        let dir = tempfile::Builder::new()
            .prefix("kratix-run-")
            .tempdir()
            .map_err(|e| format!("cannot create a pipeline root: {e}"))?;
        let path = dir.path().to_path_buf();
        let io = |e: std::io::Error| format!("{}: {e}", path.display());
        for sub in ["input", "output", "metadata"] {
            fs::create_dir(path.join(sub)).map_err(io)?;
        }
        let input = path.join("input/object.yaml");
        fs::write(
            &input,
            crate::yaml::to_string(object).map_err(|e| e.to_string())?,
        )
        .map_err(io)?;
        // Kratix mounts the input read-only in user containers.
        set_readonly(&input, true).map_err(io)?;
        set_readonly(&path.join("input"), true).map_err(io)?;
        Ok(Self { dir, path })
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        // Writable again, so that the TempDir removes everything when it drops.
        let _ = set_readonly(&self.dir.path().join("input"), false);
        let _ = set_readonly(&self.dir.path().join("input/object.yaml"), false);
    }
}

fn set_readonly(path: &Path, readonly: bool) -> std::io::Result<()> {
    let mut permissions = fs::metadata(path)?.permissions();
    permissions.set_readonly(readonly);
    fs::set_permissions(path, permissions)
}

/// A file a container left in `metadata/`: read as the binary reads it (a regular file, size
/// capped, never through a link or from a FIFO), so a container cannot hang or flood the run.
fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    let bytes = match crate::pipeline::read_metadata_file(path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let text = String::from_utf8_lossy(&bytes);
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_saphyr::from_str(&text).map(Some).map_err(|e| {
        format!(
            "{}: {}",
            path.display(),
            e.to_string().lines().next().unwrap_or("")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        for ok in [
            "5m",
            "1h30m",
            "90s",
            "1.5h",
            "300ms",
            "0",
            "2h45m10.5s",
            "10µs",
        ] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in ["1d", "", "m", "5", "1h30", "1..5s", "five"] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }

    #[test]
    fn group_ids_are_kratix_md5_prefixes() {
        // kratix.md §c: `.` → 5058f, `foo` → acbd1.
        assert_eq!(sha5("."), "5058f");
        assert_eq!(sha5("foo"), "acbd1");
    }
}
