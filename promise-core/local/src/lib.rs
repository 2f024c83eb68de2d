//! The tooling that works on this machine's files, out of the way of promise authors and the
//! pipeline binary: the rendered tree on disk ([`tree`]: written, checked for drift) and the
//! local runner.
//!
//! The runner runs a promise's workflows locally, as Kratix would: the request checked and defaulted
//! like the apiserver does, each pipeline's containers in order in a fresh root with the
//! `KRATIX_*` variables Kratix sets, status merged between pipelines, workflow control
//! honoured, and the output scheduled to Destinations and laid out as Kratix lays out its
//! state store. `cargo xtask run` drives it with the real pipeline binary; tests drive it
//! in-process ([`InProcess`]).

mod admission;
mod destination;
mod report;
mod root;
mod run_error;
mod schedule;
mod stand_in;
mod status;
pub mod tree;
mod workflow_control;

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::{Map, Value, json};

pub use admission::{Admission, admission, promise_api};
pub use destination::{Destination, parse_destinations, platform_destinations};
pub use report::{ContainerRun, Event, Outcome, Placement, RUN_COMMAND, RunReport};
pub use run_error::RunError;

use root::{Root, read_yaml};
use schedule::{schedule, static_dependencies};
use workflow_control::workflow_control;

use admission::admit;

use promise_core::catalog::Catalog;
use promise_core::kratix::{Pipeline, Promise, read_promise};
use promise_core::pipeline::{WorkflowAction, WorkflowType, dispatch, vars};

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

impl ContainerResult {
    /// What a process run as a container did, or why it could not start (`started` names
    /// what was started, for the message).
    pub fn of_process(
        output: std::io::Result<std::process::Output>,
        started: impl std::fmt::Display,
    ) -> Self {
        match output {
            Ok(out) => Self {
                success: out.status.success(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            },
            Err(e) => Self {
                success: false,
                stdout: String::new(),
                stderr: format!("cannot start {started}: {e}"),
            },
        }
    }
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

/// Runs the `options` workflow of the rendered Promise `promise` for `request` (the request
/// YAML, for resource workflows). Fails without running anything when the request would not
/// pass the apiserver.
pub fn run(
    promise: &Value,
    request: Option<&str>,
    options: &RunOptions,
    executor: &mut dyn Executor,
    progress: &mut dyn FnMut(Event<'_>),
) -> Result<RunReport, RunError> {
    let unrunnable = |why: &str| RunError::Unrunnable(why.to_string());
    // The model, as Kratix's controller reads it; the object itself stays the promise
    // workflow's input, as Kratix writes it.
    let model = read_model(promise).map_err(RunError::Unrunnable)?;
    let promise_name = model
        .metadata
        .name
        .clone()
        .ok_or_else(|| unrunnable("the Promise has no name"))?;
    let resource = options.workflow_type == WorkflowType::Resource;
    let mut object = if resource {
        admit(
            model.spec.api.as_ref(),
            request.ok_or_else(|| unrunnable("a resource workflow needs a request (--input)"))?,
        )?
    } else {
        promise.clone()
    };
    let mut status = Map::new();
    let actions = match options.workflow_type {
        WorkflowType::Resource => &model.spec.workflows.resource,
        WorkflowType::Promise => &model.spec.workflows.promise,
    };
    let pipelines = match options.action {
        WorkflowAction::Configure => &actions.configure[..],
        // Kratix runs only the first delete pipeline.
        WorkflowAction::Delete => &actions.delete[..actions.delete.len().min(1)],
    };
    stand_in::check(&promise_name, pipelines, &options.stand_ins).map_err(RunError::Unrunnable)?;
    let vars = kratix_vars(&model, &object, options);
    let mut report = RunReport {
        containers: Vec::new(),
        outcome: Outcome::Completed,
        status: Value::Null,
        placements: Vec::new(),
        state_store: BTreeMap::new(),
    };
    for pipeline in pipelines {
        let name = pipeline.metadata.name.clone();
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
        let root = Root::new(&object).map_err(RunError::Root)?;
        let result = run_pipeline(pipeline, &ctx, &root, executor, progress, &mut report);
        if let Err(message) = result {
            report.outcome = Outcome::Failed(message);
            break;
        }
        // Kratix's pod runs the work-writer (an init container, configure only) before the
        // status-writer: the Work is written even when the status then fails the pipeline.
        let stop = workflow_control(&root, &name).map_err(RunError::Root)?;
        if let Some(failed @ Outcome::Failed(_)) = stop {
            report.outcome = failed;
            break;
        }
        if options.action == WorkflowAction::Configure
            && stop.is_none()
            && let Err(message) = schedule(&model, &object, &name, &root, options, &mut report)
        {
            report.outcome = Outcome::Failed(message);
            break;
        }
        if let Some(incoming) =
            read_yaml::<Map<String, Value>>(&root.path.join("metadata/status.yaml"))
                .map_err(RunError::Root)?
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
        static_dependencies(&model, &promise_name, options, &mut report);
    }
    report.status = Value::Object(status);
    Ok(report)
}

/// The rendered Promise read as Kratix's controller reads it.
fn read_model(promise: &Value) -> Result<Promise, String> {
    read_promise(promise.clone())
        .map(|read| read.promise)
        .map_err(|problems| {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!(
                "the Promise does not read as Kratix reads it: {}",
                problems.join("; ")
            )
        })
}

/// The variables Kratix sets in every pipeline container (kratix.md §b).
fn kratix_vars(promise: &Promise, object: &Value, options: &RunOptions) -> Vec<(String, String)> {
    let promise_name = promise.metadata.name.as_deref().unwrap_or_default();
    let api = promise.spec.api.as_ref().map(|api| &api.spec);
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
            api.map(|a| a.group.clone()).unwrap_or_default(),
            version,
            text(object.pointer("/metadata/name")),
            text(object.pointer("/metadata/namespace")),
            api.map(|a| a.names.plural.clone()).unwrap_or_default(),
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
    vec![
        (vars::WORKFLOW_ACTION.into(), options.action.as_str().into()),
        (
            vars::WORKFLOW_TYPE.into(),
            options.workflow_type.as_str().into(),
        ),
        (vars::PROMISE_NAME.into(), promise_name.into()),
        (vars::OBJECT_KIND.into(), kind),
        (vars::OBJECT_GROUP.into(), group),
        (vars::OBJECT_VERSION.into(), version),
        (vars::OBJECT_NAME.into(), name),
        (vars::OBJECT_NAMESPACE.into(), namespace),
        (vars::CRD_PLURAL.into(), plural),
        (vars::CLUSTER_SCOPED.into(), (!resource).to_string()),
        (
            promise_core::pipeline::NOW_VAR.into(),
            options.now.clone().unwrap_or_else(|| PINNED_NOW.into()),
        ),
    ]
}

/// What every container of one pipeline shares.
struct PipelineRun<'a> {
    promise: &'a str,
    name: &'a str,
    vars: &'a [(String, String)],
    stand_ins: &'a BTreeMap<String, String>,
}

fn run_pipeline(
    pipeline: &Pipeline,
    ctx: &PipelineRun<'_>,
    root: &Root,
    executor: &mut dyn Executor,
    progress: &mut dyn FnMut(Event<'_>),
    report: &mut RunReport,
) -> Result<(), String> {
    for container in &pipeline.spec.containers {
        let container_name = container.name.clone();
        let args = &container.args;
        let name = ctx.name;
        let mut env: Vec<(String, String)> = ctx.vars.to_vec();
        env.push((vars::PIPELINE_NAME.into(), name.into()));
        env.push((vars::ROOT.into(), root.path.display().to_string()));
        let mut notes = Vec::new();
        for var in &container.env {
            let key = var.name.clone();
            match &var.value {
                Some(value) => env.push((key, value.clone())),
                None => notes.push(format!(
                    "note: {key} comes from a Secret or ConfigMap, not available locally\n"
                )),
            }
        }
        let start = Instant::now();
        let result = if stand_in::is_step(container, ctx.promise) {
            executor.run(&ContainerCall { args, env: &env })
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
