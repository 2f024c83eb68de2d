//! Steps (typed functions) and the pipelines they form.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    Capabilities, EnvVar, EnvVarSource, ResourceRequirements, SeccompProfile, SecretKeySelector,
    SecretVolumeSource, SecurityContext, Volume, VolumeMount,
};
use serde_json::Value;

use super::request::{parse_promise, parse_resource};
use super::{Context, Output, PromiseRequest, Request, StepError, WorkflowType};
use crate::PromiseApi;
use crate::kratix::Permission;

/// Marks steps and pipelines of promise workflows, whose input is the Promise itself.
#[derive(Debug)]
pub enum PromiseWorkflow {}

/// What the binary runs for a step: the input bytes and context in, the step's output out.
pub(crate) type Runner =
    dyn Fn(&[u8], &Context) -> Result<(Output, Option<Value>), StepError> + Send + Sync;

/// A pipeline step: a named Rust function. `T` is the request type of its workflow: the
/// promise's API for resource workflows, [`PromiseWorkflow`] for promise workflows. A step
/// becomes one container of the rendered pipeline, running the pipeline binary with the
/// promise's and the step's names as arguments, so a rendered container always names a step
/// that exists.
pub struct Step<T> {
    pub(crate) name: String,
    pub(crate) workflow_type: WorkflowType,
    pub(crate) run: Arc<Runner>,
    /// For steps that read configuration: parses the pipeline's `PROMISE_CONFIG`, so that
    /// rendering fails when the pipeline does not carry the configuration the step needs.
    pub(crate) config_check: Option<ConfigCheck>,
    marker: PhantomData<fn() -> T>,
}

/// Checks a pipeline's configuration JSON (or its absence) against what a step reads.
pub(crate) type ConfigCheck = fn(Option<&str>) -> Result<(), String>;

/// Parses the pipeline configuration a configured step needs.
fn parse_config<C: serde::de::DeserializeOwned>(json: Option<&str>) -> Result<C, String> {
    let json = json.ok_or_else(|| {
        format!(
            "missing: this step reads its configuration from {}; set it with PipelineDef::config",
            super::CONFIG_VAR
        )
    })?;
    serde_json::from_str(json)
        .map_err(|e| format!("does not fit the step's configuration type: {e}"))
}

fn check_config<C: serde::de::DeserializeOwned>(json: Option<&str>) -> Result<(), String> {
    parse_config::<C>(json).map(|_| ())
}

impl<T> Clone for Step<T> {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            workflow_type: self.workflow_type,
            run: Arc::clone(&self.run),
            config_check: self.config_check,
            marker: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Step<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Step")
            .field("name", &self.name)
            .field("workflow_type", &self.workflow_type)
            .finish()
    }
}

impl<A: PromiseApi> Step<A> {
    /// A resource-workflow step. The binary parses `/kratix/input/object.yaml` into `A`
    /// (checked against `A`'s schema, defaults applied) before `f` runs.
    pub fn resource(
        name: impl Into<String>,
        f: fn(&Request<A>, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        let run = move |bytes: &[u8], ctx: &Context| {
            let (object, status) = parse_resource::<A>(bytes, &A::crd())?;
            let request = Request::new(object, ctx.clone());
            let mut out = Output::default();
            f(&request, &mut out)?;
            Ok((out, status))
        };
        Self {
            name: name.into(),
            workflow_type: WorkflowType::Resource,
            run: Arc::new(run),
            config_check: None,
            marker: PhantomData,
        }
    }

    /// A resource-workflow step that also receives the pipeline's configuration `C`
    /// (set with [`PipelineDef::config`]); rendering checks that the pipeline carries a `C`.
    pub fn resource_configured<C: serde::de::DeserializeOwned + 'static>(
        name: impl Into<String>,
        f: fn(&Request<A>, &C, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        let run = move |bytes: &[u8], ctx: &Context| {
            let config: C = parse_config(ctx.config.as_deref())
                .map_err(|rule| StepError::new(rule).at(super::CONFIG_VAR))?;
            let (object, status) = parse_resource::<A>(bytes, &A::crd())?;
            let request = Request::new(object, ctx.clone());
            let mut out = Output::default();
            f(&request, &config, &mut out)?;
            Ok((out, status))
        };
        Self {
            name: name.into(),
            workflow_type: WorkflowType::Resource,
            run: Arc::new(run),
            config_check: Some(check_config::<C>),
            marker: PhantomData,
        }
    }
}

impl Step<PromiseWorkflow> {
    /// A promise-workflow step; its input is the Promise.
    pub fn promise(
        name: impl Into<String>,
        f: fn(&PromiseRequest, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        let run = move |bytes: &[u8], ctx: &Context| {
            let object = parse_promise(bytes)?;
            let status = object.get("status").cloned();
            let request = PromiseRequest {
                object,
                context: ctx.clone(),
            };
            let mut out = Output::default();
            f(&request, &mut out)?;
            Ok((out, status))
        };
        Self {
            name: name.into(),
            workflow_type: WorkflowType::Promise,
            run: Arc::new(run),
            config_check: None,
            marker: PhantomData,
        }
    }
}

/// A Kratix pipeline declared in Rust: steps in order and the pod settings every step's
/// container shares.
///
/// Containers get a hardened security context unless one is set: non-root (UID 65532),
/// read-only root filesystem, no privilege escalation, all capabilities dropped, the
/// runtime's default seccomp profile.
#[derive(Debug, Clone)]
#[must_use]
pub struct PipelineDef<T> {
    pub(crate) name: String,
    pub(crate) steps: Vec<Step<T>>,
    pub(crate) env: Vec<EnvVar>,
    pub(crate) volumes: Vec<Volume>,
    pub(crate) volume_mounts: Vec<VolumeMount>,
    pub(crate) resources: Option<ResourceRequirements>,
    pub(crate) security_context: SecurityContext,
    pub(crate) permissions: Vec<Permission>,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) config: Option<Result<String, String>>,
}

impl<T> PipelineDef<T> {
    /// An empty pipeline named `name` (a DNS-1123 label).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            steps: Vec::new(),
            env: Vec::new(),
            volumes: Vec::new(),
            volume_mounts: Vec::new(),
            resources: None,
            security_context: hardened(),
            permissions: Vec::new(),
            labels: BTreeMap::new(),
            config: None,
        }
    }

    /// Configuration every step of this pipeline receives, rendered as the `PROMISE_CONFIG`
    /// variable (JSON), so platform settings such as a domain live in the Promise, not in
    /// step code. Steps read it with [`Step::resource_configured`].
    pub fn config(mut self, config: &impl serde::Serialize) -> Self {
        self.config = Some(serde_json::to_string(config).map_err(|e| e.to_string()));
        self
    }

    /// Appends a step; steps run in order.
    pub fn step(mut self, step: Step<T>) -> Self {
        self.steps.push(step);
        self
    }

    /// A plain environment variable for every step.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push(EnvVar {
            name: name.into(),
            value: Some(value.into()),
            value_from: None,
        });
        self
    }

    /// An environment variable read from key `key` of Secret `secret`.
    pub fn secret_env(
        mut self,
        name: impl Into<String>,
        secret: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        let selector = SecretKeySelector {
            name: secret.into(),
            key: key.into(),
            optional: None,
        };
        let source = EnvVarSource {
            secret_key_ref: Some(selector),
            ..EnvVarSource::default()
        };
        self.env.push(EnvVar {
            name: name.into(),
            value: None,
            value_from: Some(source),
        });
        self
    }

    /// Mounts Secret `secret` read-only at `mount_path` in every step.
    pub fn secret_volume(
        mut self,
        volume: impl Into<String>,
        secret: impl Into<String>,
        mount_path: impl Into<String>,
    ) -> Self {
        let volume = volume.into();
        let source = SecretVolumeSource {
            secret_name: Some(secret.into()),
            ..SecretVolumeSource::default()
        };
        self.volumes.push(Volume {
            name: volume.clone(),
            secret: Some(source),
            ..Volume::default()
        });
        self.volume_mounts.push(VolumeMount {
            name: volume,
            mount_path: mount_path.into(),
            read_only: Some(true),
            ..VolumeMount::default()
        });
        self
    }

    /// Requests and limits for every step.
    pub fn resources(mut self, resources: ResourceRequirements) -> Self {
        self.resources = Some(resources);
        self
    }

    /// Replaces the hardened security context.
    pub fn security_context(mut self, context: SecurityContext) -> Self {
        self.security_context = context;
        self
    }

    /// An extra RBAC permission for the pipeline's ServiceAccount.
    pub fn permission(mut self, permission: Permission) -> Self {
        self.permissions.push(permission);
        self
    }

    /// A label on the pipeline's Job and pods.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Forgets the request type once the builder has checked it.
    pub(crate) fn erase(self) -> PipelineDef<()> {
        PipelineDef {
            name: self.name,
            steps: self
                .steps
                .into_iter()
                .map(|s| Step {
                    name: s.name,
                    workflow_type: s.workflow_type,
                    run: s.run,
                    config_check: s.config_check,
                    marker: PhantomData,
                })
                .collect(),
            env: self.env,
            volumes: self.volumes,
            volume_mounts: self.volume_mounts,
            resources: self.resources,
            security_context: self.security_context,
            permissions: self.permissions,
            labels: self.labels,
            config: self.config,
        }
    }
}

/// Non-root, read-only root filesystem, no privilege escalation, no capabilities, the
/// runtime's default seccomp profile: what Kratix gives its own containers.
fn hardened() -> SecurityContext {
    SecurityContext {
        run_as_non_root: Some(true),
        run_as_user: Some(65532),
        run_as_group: Some(65532),
        read_only_root_filesystem: Some(true),
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".into()]),
            add: None,
        }),
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".into(),
            localhost_profile: None,
        }),
        ..SecurityContext::default()
    }
}
