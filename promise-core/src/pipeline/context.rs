//! The `KRATIX_*` variables Kratix sets in every pipeline container, typed.

use std::path::PathBuf;
use std::time::SystemTime;

use super::StepError;

/// The variable that carries a pipeline's configuration to its steps.
pub const CONFIG_VAR: &str = "PROMISE_CONFIG";

/// The variable that pins the clock, as an RFC 3339 time (`2026-01-01T00:00:00Z`): the time
/// conditions change at. Kratix never sets it, so in a cluster the time is now; `cargo xtask
/// run` and the tests set it, so that golden runs are byte-stable.
pub const NOW_VAR: &str = "PROMISE_RS_NOW";

/// The largest `PROMISE_CONFIG` accepted: a whole Promise is stored in at most 1.5 MiB.
const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// The names of the variables Kratix sets in every pipeline container: what
/// [`Context::from_vars`] reads and a local run sets.
pub mod vars {
    /// `configure` or `delete`.
    pub const WORKFLOW_ACTION: &str = "KRATIX_WORKFLOW_ACTION";
    /// `promise` or `resource`.
    pub const WORKFLOW_TYPE: &str = "KRATIX_WORKFLOW_TYPE";
    /// The promise whose workflow runs.
    pub const PROMISE_NAME: &str = "KRATIX_PROMISE_NAME";
    /// The pipeline the container belongs to.
    pub const PIPELINE_NAME: &str = "KRATIX_PIPELINE_NAME";
    /// The kind of the object reconciled.
    pub const OBJECT_KIND: &str = "KRATIX_OBJECT_KIND";
    /// Its API group.
    pub const OBJECT_GROUP: &str = "KRATIX_OBJECT_GROUP";
    /// Its API version.
    pub const OBJECT_VERSION: &str = "KRATIX_OBJECT_VERSION";
    /// Its name.
    pub const OBJECT_NAME: &str = "KRATIX_OBJECT_NAME";
    /// Its namespace (empty for a Promise).
    pub const OBJECT_NAMESPACE: &str = "KRATIX_OBJECT_NAMESPACE";
    /// The plural of its CRD.
    pub const CRD_PLURAL: &str = "KRATIX_CRD_PLURAL";
    /// `true` for promise workflows.
    pub const CLUSTER_SCOPED: &str = "KRATIX_CLUSTER_SCOPED";
    /// `true` for dry-run requests only.
    pub const DRY_RUN: &str = "KRATIX_DRY_RUN";
    /// The folder holding `input/`, `output/` and `metadata/` (default `/kratix`).
    pub const ROOT: &str = "KRATIX_ROOT";
}

/// Which workflow a container runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowType {
    /// Runs for the Promise itself; its input is the Promise.
    Promise,
    /// Runs for a request; its input is the request.
    Resource,
}

/// What the workflow does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowAction {
    /// Create, update or reconcile.
    Configure,
    /// Delete: Kratix ignores `/kratix/output` and destination selectors.
    Delete,
}

impl WorkflowType {
    /// The spelling Kratix uses in variables and in `spec.workflows`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Promise => "promise",
            Self::Resource => "resource",
        }
    }
}

impl WorkflowAction {
    /// The spelling Kratix uses in variables and in `spec.workflows`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Configure => "configure",
            Self::Delete => "delete",
        }
    }
}

/// Every variable Kratix sets for a pipeline container, and the root folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// `KRATIX_WORKFLOW_ACTION`.
    pub action: WorkflowAction,
    /// `KRATIX_WORKFLOW_TYPE`.
    pub workflow_type: WorkflowType,
    /// `KRATIX_PROMISE_NAME`.
    pub promise_name: String,
    /// `KRATIX_PIPELINE_NAME`.
    pub pipeline_name: String,
    /// `KRATIX_OBJECT_KIND`.
    pub object_kind: String,
    /// `KRATIX_OBJECT_GROUP`.
    pub object_group: String,
    /// `KRATIX_OBJECT_VERSION`.
    pub object_version: String,
    /// `KRATIX_OBJECT_NAME`.
    pub object_name: String,
    /// `KRATIX_OBJECT_NAMESPACE`, empty for promise workflows.
    pub object_namespace: String,
    /// `KRATIX_CRD_PLURAL`.
    pub crd_plural: String,
    /// `KRATIX_CLUSTER_SCOPED`: true for promise workflows.
    pub cluster_scoped: bool,
    /// `KRATIX_DRY_RUN`: true only for dry-run requests.
    pub dry_run: bool,
    /// `KRATIX_ROOT`, default `/kratix`: holds `input/`, `output/` and `metadata/`.
    pub root: PathBuf,
    /// When the step runs: the transition time of conditions that change.
    pub now: SystemTime,
    /// `PROMISE_CONFIG`: the pipeline's typed configuration as JSON (see
    /// [`PipelineDef::config`](super::PipelineDef::config)).
    pub config: Option<String>,
}

impl Context {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, StepError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads variables through `var`, so tests and `cargo xtask run` can supply them.
    ///
    /// ```
    /// use promise_core::pipeline::{Context, WorkflowType};
    ///
    /// let vars = [("KRATIX_WORKFLOW_ACTION", "configure"), ("KRATIX_WORKFLOW_TYPE", "resource"),
    ///             ("KRATIX_PROMISE_NAME", "database"), ("KRATIX_PIPELINE_NAME", "configure-database")];
    /// let ctx = Context::from_vars(|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string())).unwrap();
    /// assert_eq!(ctx.workflow_type, WorkflowType::Resource);
    /// assert_eq!(ctx.root, std::path::Path::new("/kratix"));
    ///
    /// let err = Context::from_vars(|_| None).unwrap_err();
    /// assert_eq!(err.to_string(), "KRATIX_WORKFLOW_ACTION: missing: Kratix sets it in every pipeline container");
    /// ```
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, StepError> {
        let required = |name: &str| {
            var(name).ok_or_else(|| {
                StepError::new("missing: Kratix sets it in every pipeline container").at(name)
            })
        };
        let optional = |name: &str| var(name).unwrap_or_default();
        let action = match required(vars::WORKFLOW_ACTION)?.as_str() {
            "configure" => WorkflowAction::Configure,
            "delete" => WorkflowAction::Delete,
            other => {
                return Err(StepError::field(
                    vars::WORKFLOW_ACTION,
                    other,
                    "must be configure or delete",
                ));
            }
        };
        let workflow_type = match required(vars::WORKFLOW_TYPE)?.as_str() {
            "promise" => WorkflowType::Promise,
            "resource" => WorkflowType::Resource,
            other => {
                return Err(StepError::field(
                    vars::WORKFLOW_TYPE,
                    other,
                    "must be promise or resource",
                ));
            }
        };
        let flag = |name: &str| match optional(name).as_str() {
            "" | "false" => Ok(false),
            "true" => Ok(true),
            other => Err(StepError::field(name, other, "must be true or false")),
        };
        Ok(Self {
            action,
            workflow_type,
            promise_name: required(vars::PROMISE_NAME)?,
            pipeline_name: required(vars::PIPELINE_NAME)?,
            object_kind: optional(vars::OBJECT_KIND),
            object_group: optional(vars::OBJECT_GROUP),
            object_version: optional(vars::OBJECT_VERSION),
            object_name: optional(vars::OBJECT_NAME),
            object_namespace: optional(vars::OBJECT_NAMESPACE),
            crd_plural: optional(vars::CRD_PLURAL),
            cluster_scoped: flag(vars::CLUSTER_SCOPED)?,
            dry_run: flag(vars::DRY_RUN)?,
            root: var(vars::ROOT)
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "/kratix".into())
                .into(),
            now: match var(NOW_VAR) {
                None => SystemTime::now(),
                Some(text) => text
                    .parse::<k8s_openapi::jiff::Timestamp>()
                    .map(SystemTime::from)
                    .map_err(|_| {
                        StepError::field(
                            NOW_VAR,
                            &text,
                            "must be an RFC 3339 time, such as 2026-01-01T00:00:00Z",
                        )
                    })?,
            },
            config: match var(CONFIG_VAR) {
                Some(config) if config.len() > MAX_CONFIG_BYTES => {
                    let len = config.len();
                    return Err(StepError::field(
                        CONFIG_VAR,
                        config,
                        format!("is {len} bytes, more than the {MAX_CONFIG_BYTES} accepted"),
                    ));
                }
                config => config,
            },
        })
    }

    /// `<root>/input`.
    pub fn input_dir(&self) -> PathBuf {
        self.root.join("input")
    }

    /// `<root>/output`.
    pub fn output_dir(&self) -> PathBuf {
        self.root.join("output")
    }

    /// `<root>/metadata`.
    pub fn metadata_dir(&self) -> PathBuf {
        self.root.join("metadata")
    }
}
