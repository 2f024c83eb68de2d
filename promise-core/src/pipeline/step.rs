//! Steps (typed functions) and the pipelines they form.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    Capabilities, EnvVar, ResourceRequirements, SeccompProfile, SecurityContext,
};
use serde_json::Value;

use super::prepared::{PreparedSchema, spec_schema_of};
use super::request::{parse_object, parse_promise, parse_resource};
use super::{Context, Output, PromiseRequest, Request, StepError};
use crate::PromiseApi;
use crate::catalog::GivenApi;

/// Marks steps and pipelines of promise workflows, whose input is the Promise itself.
#[derive(Debug)]
pub enum PromiseWorkflow {}

/// What the binary runs for a step: the input bytes, the context and the schemas prepared
/// at build time in, the step's output out.
pub(crate) type Runner = dyn Fn(&[u8], &Context, &[PreparedSchema]) -> Result<(Output, Option<Value>), StepError>
    + Send
    + Sync;

/// A pipeline step: a named Rust function. `T` is the request type of its workflow: the
/// promise's API for resource workflows, [`PromiseWorkflow`] for promise workflows. A step
/// becomes one container of the rendered pipeline, running the pipeline binary with the
/// promise's and the step's names as arguments, so a rendered container always names a step
/// that exists.
pub struct Step<T> {
    pub(crate) name: String,
    pub(crate) run: Arc<Runner>,
    /// For steps that read configuration: parses the pipeline's `PROMISE_CONFIG`, so that
    /// rendering fails when the pipeline does not carry the configuration the step needs.
    pub(crate) config_check: Option<ConfigCheck>,
    /// This step's container settings, over the pipeline's.
    pub(crate) container: StepContainer,
    marker: PhantomData<fn() -> T>,
}

/// Settings of one step's container, applied over the pipeline's: variables are added after
/// the pipeline's, resources and security context replace the pipeline's.
#[derive(Debug, Clone, Default)]
pub(crate) struct StepContainer {
    pub(crate) env: Vec<EnvVar>,
    pub(crate) resources: Option<ResourceRequirements>,
    pub(crate) security_context: Option<SecurityContext>,
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
            run: Arc::clone(&self.run),
            config_check: self.config_check,
            container: self.container.clone(),
            marker: PhantomData,
        }
    }
}

impl<T> Step<T> {
    fn with_runner(
        name: impl Into<String>,
        run: Arc<Runner>,
        config_check: Option<ConfigCheck>,
    ) -> Self {
        Self {
            name: name.into(),
            run,
            config_check,
            container: StepContainer::default(),
            marker: PhantomData,
        }
    }

    /// A plain environment variable for this step's container only, after the pipeline's.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.container.env.push(EnvVar {
            name: name.into(),
            value: Some(value.into()),
            value_from: None,
        });
        self
    }

    /// Requests and limits for this step's container, instead of the pipeline's.
    pub fn resources(mut self, resources: ResourceRequirements) -> Self {
        self.container.resources = Some(resources);
        self
    }

    /// The security context of this step's container, instead of the pipeline's.
    pub fn security_context(mut self, context: SecurityContext) -> Self {
        self.container.security_context = Some(context);
        self
    }

    /// Forgets the request type once the builder has checked it.
    pub(crate) fn erase(self) -> Step<()> {
        Step {
            name: self.name,
            run: self.run,
            config_check: self.config_check,
            container: self.container,
            marker: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Step<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Step").field("name", &self.name).finish()
    }
}

impl<A: PromiseApi> Step<A> {
    /// A resource-workflow step. The binary parses `/kratix/input/object.yaml` into `A`
    /// (checked against `A`'s schema, defaults applied) before `f` runs.
    pub fn resource(
        name: impl Into<String>,
        f: fn(&Request<A>, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        let run = move |bytes: &[u8], ctx: &Context, prepared: &[PreparedSchema]| {
            let spec_schema = spec_schema_of::<A>(prepared)?;
            let (object, status) = parse_resource::<A>(bytes, spec_schema.as_ref())?;
            let request = Request::new(object, ctx.clone());
            let mut out = Output::default();
            f(&request, &mut out)?;
            Ok((out, status))
        };
        Self::with_runner(name, Arc::new(run), None)
    }

    /// A resource-workflow step that also receives the pipeline's configuration `C` (set with
    /// [`PipelineDef::config`](super::PipelineDef::config)); rendering checks that the
    /// pipeline carries a `C`.
    pub fn resource_configured<C: serde::de::DeserializeOwned + 'static>(
        name: impl Into<String>,
        f: fn(&Request<A>, &C, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        let run = move |bytes: &[u8], ctx: &Context, prepared: &[PreparedSchema]| {
            let config: C = parse_config(ctx.config.as_deref())
                .map_err(|rule| StepError::new(rule).at(super::CONFIG_VAR))?;
            let spec_schema = spec_schema_of::<A>(prepared)?;
            let (object, status) = parse_resource::<A>(bytes, spec_schema.as_ref())?;
            let request = Request::new(object, ctx.clone());
            let mut out = Output::default();
            f(&request, &config, &mut out)?;
            Ok((out, status))
        };
        Self::with_runner(name, Arc::new(run), Some(check_config::<C>))
    }
}

impl Step<PromiseWorkflow> {
    /// A promise-workflow step; its input is the Promise.
    pub fn promise(
        name: impl Into<String>,
        f: fn(&PromiseRequest, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        Self::untyped(name, parse_promise, f)
    }
}

impl Step<GivenApi> {
    /// A resource-workflow step of an API given as a CRD: the request arrives as an untyped
    /// object (a map with the API's `kind`), already checked by the apiserver.
    pub fn object(
        name: impl Into<String>,
        f: fn(&PromiseRequest, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        Self::untyped(name, parse_object, f)
    }
}

impl<T> Step<T> {
    /// A step over an untyped object, read from the input by `parse`.
    fn untyped(
        name: impl Into<String>,
        parse: fn(&[u8]) -> Result<Value, StepError>,
        f: fn(&PromiseRequest, &mut Output) -> Result<(), StepError>,
    ) -> Self {
        let run = move |bytes: &[u8], ctx: &Context, _: &[PreparedSchema]| {
            let object = parse(bytes)?;
            let status = object.get("status").cloned();
            let request = PromiseRequest {
                object,
                context: ctx.clone(),
            };
            let mut out = Output::default();
            f(&request, &mut out)?;
            Ok((out, status))
        };
        Self::with_runner(name, Arc::new(run), None)
    }
}

/// Non-root, read-only root filesystem, no privilege escalation, no capabilities, the
/// runtime's default seccomp profile: what Kratix gives its own containers.
pub(crate) fn hardened() -> SecurityContext {
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
