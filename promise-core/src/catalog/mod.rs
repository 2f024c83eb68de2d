//! Promises as they are declared in Rust, before rendering: [`PromiseDefinition`], built with
//! [`PromiseBuilder`], and the [`Catalog`] of all of them that the xtask renders.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use serde::Serialize;

use crate::PromiseApi;
use crate::crossplane::Bundle;
use crate::kratix::{DestinationSelector, GoDuration, RequiredPromise, WorkflowConfig};
use crate::pipeline::{PipelineDef, PromiseWorkflow, WorkflowAction, WorkflowType};
use crate::platform::Platform;

mod example;
mod from_promise;

pub(crate) use example::LazyExample;

/// Every promise of a platform, and the pipeline image their steps run in.
#[derive(Debug, Default)]
pub struct Catalog {
    promises: Vec<PromiseDefinition>,
    image: Option<String>,
    platform: Option<Platform>,
}

impl Catalog {
    /// An empty catalog. Its typed steps need an [`image`](Self::image): which registry holds
    /// the pipeline binary is the platform's choice, not the library's.
    pub fn new() -> Self {
        Self::default()
    }

    /// The image holding the pipeline binary (`promise-pipeline`), used by every step.
    pub fn image(mut self, image: impl Into<String>) -> Self {
        self.image = Some(image.into());
        self
    }

    /// The pipeline image, once set.
    pub fn pipeline_image(&self) -> Option<&str> {
        self.image.as_deref()
    }

    /// Adds a promise.
    pub fn with(mut self, promise: PromiseDefinition) -> Self {
        self.promises.push(promise);
        self
    }

    /// The promises, in the order they were added.
    pub fn promises(&self) -> &[PromiseDefinition] {
        &self.promises
    }

    /// The platform the promises run on: rendered to `platform/`, its Destinations checked
    /// against every promise's selectors, and used by `cargo xtask run`.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The platform, if one is set.
    pub fn platform_definition(&self) -> Option<&Platform> {
        self.platform.as_ref()
    }
}

/// A promise as declared: checked and assembled into a [`crate::kratix::Promise`] by
/// [`crate::render::render`].
#[derive(Debug, Clone)]
pub struct PromiseDefinition {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) annotations: BTreeMap<String, String>,
    /// Set by [`PromiseBuilder::unversioned`]: no `kratix.io/promise-version`, on purpose.
    pub(crate) unversioned: bool,
    /// Set by [`PromiseBuilder::no_example`]: an API without an example request, on purpose.
    pub(crate) no_example: bool,
    pub(crate) api: Option<ApiSource>,
    pub(crate) destination_selectors: Vec<DestinationSelector>,
    pub(crate) required_promises: Vec<RequiredPromise>,
    pub(crate) dependencies: Vec<Result<serde_json::Value, String>>,
    pub(crate) workflow_config: Option<WorkflowConfig>,
    pub(crate) crossplane: Option<CrossplaneSource>,
    /// Pipelines in declaration order, each with the workflow it belongs to.
    pub(crate) pipelines: Vec<(WorkflowType, WorkflowAction, PipelineDef<()>)>,
    pub(crate) example: Option<LazyExample>,
}

impl PromiseDefinition {
    /// Starts a promise named `name` (a DNS-1123 label, checked at render time).
    pub fn builder(name: impl Into<String>) -> PromiseBuilder<NoApi> {
        PromiseBuilder {
            definition: PromiseDefinition {
                name: name.into(),
                version: None,
                labels: BTreeMap::new(),
                annotations: BTreeMap::new(),
                unversioned: false,
                no_example: false,
                api: None,
                destination_selectors: Vec::new(),
                required_promises: Vec::new(),
                dependencies: Vec::new(),
                workflow_config: None,
                crossplane: None,
                pipelines: Vec::new(),
                example: None,
            },
            api: PhantomData,
        }
    }

    /// The promise's name, as declared.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its `destinationSelectors`, squashed as Kratix squashes them.
    pub fn squashed_selectors(&self) -> BTreeMap<String, String> {
        crate::kratix::squash_selectors(&self.destination_selectors)
    }
}

/// A promise's Crossplane bundle: given, or built when rendering.
#[derive(Debug, Clone)]
pub(crate) enum CrossplaneSource {
    Given(Bundle),
    Deferred(fn() -> Bundle),
}

impl PromiseDefinition {
    /// The Crossplane bundle, built if it was deferred.
    /// Whether a typed step of this promise runs in the catalog's image (no pipeline image of
    /// its own).
    pub(crate) fn runs_the_pipeline_binary(&self) -> bool {
        self.pipelines.iter().any(|(_, _, pipeline)| {
            pipeline.image.is_none()
                && pipeline
                    .members
                    .iter()
                    .any(|member| matches!(member, crate::pipeline::Member::Step(_)))
        })
    }

    pub(crate) fn crossplane_bundle(&self) -> Option<std::borrow::Cow<'_, Bundle>> {
        match self.crossplane.as_ref()? {
            CrossplaneSource::Given(bundle) => Some(std::borrow::Cow::Borrowed(bundle)),
            CrossplaneSource::Deferred(build) => Some(std::borrow::Cow::Owned(build())),
        }
    }
}

/// One version of an API `#[promise_api]` derives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DerivedVersion {
    /// The generated `crd()`.
    pub(crate) crd: fn() -> CustomResourceDefinition,
    /// The Rust type it derives (`promises::database::Database`): render problems name it.
    pub(crate) rust: &'static str,
}

impl DerivedVersion {
    fn of<A: PromiseApi>() -> Self {
        Self {
            crd: A::crd,
            rust: std::any::type_name::<A>(),
        }
    }
}

/// Where a promise's API comes from.
#[derive(Debug, Clone)]
pub(crate) enum ApiSource {
    /// Built by `#[promise_api]`'s generated `crd()`, at render time, where a panic inside
    /// kube's schema generator can be caught and reported against the promise: the storage
    /// version first, then every other version served.
    Derived(Vec<DerivedVersion>),
    /// Given as data.
    Given(Box<CustomResourceDefinition>),
    /// Given as YAML that does not read as a CustomResourceDefinition: the reason.
    Unreadable(String),
}

/// Marks a [`PromiseBuilder`] whose API is a CustomResourceDefinition given as data.
#[derive(Debug)]
pub enum GivenApi {}

/// Marks a [`PromiseBuilder`] that has no API yet.
#[derive(Debug)]
pub enum NoApi {}

/// Builds a [`PromiseDefinition`]. Once [`api`](PromiseBuilder::api) names the request type,
/// [`example`](PromiseBuilder::example) only takes a request of that type.
///
/// ```
/// use promise_core::catalog::PromiseDefinition;
///
/// let promise = PromiseDefinition::builder("shared-dns")
///     .version("v1.0.0")
///     .destination_selector([("environment", "platform")])
///     .build();
/// assert_eq!(promise.name(), "shared-dns");
/// ```
#[derive(Debug)]
#[must_use = "call .build() to get the promise"]
pub struct PromiseBuilder<A> {
    definition: PromiseDefinition,
    api: PhantomData<fn() -> A>,
}

impl<A> PromiseBuilder<A> {
    /// The promise's version, written as label `kratix.io/promise-version`. Required: Kratix's
    /// `PromiseRelease` refuses Promises without it, and every revision is keyed by it.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.definition.version = Some(version.into());
        self
    }

    /// Another label on the Promise object.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.definition.labels.insert(key.into(), value.into());
        self
    }

    /// An annotation on the Promise object.
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.definition.annotations.insert(key.into(), value.into());
        self
    }

    /// Declares the promise unversioned: no `kratix.io/promise-version` label. Kratix accepts
    /// that, but cannot key PromiseRevisions by it and PromiseRelease refuses it; imported
    /// Promises without the label say so with this.
    pub fn unversioned(mut self) -> Self {
        self.definition.unversioned = true;
        self
    }

    /// Ships the API without an example request, on purpose (imported Promises that had
    /// none); otherwise rendering requires one.
    pub fn no_example(mut self) -> Self {
        self.definition.no_example = true;
        self
    }

    /// Adds every document of a YAML stream as a static dependency (an imported Promise's
    /// `dependencies.yaml`); YAML that does not read is reported at render time.
    pub fn dependencies_yaml(mut self, yaml: &str) -> Self {
        match serde_saphyr::from_multiple::<serde_json::Value>(yaml) {
            Ok(documents) => self
                .definition
                .dependencies
                .extend(documents.into_iter().filter(|d| !d.is_null()).map(Ok)),
            Err(e) => self
                .definition
                .dependencies
                .push(Err(format!("the dependencies' YAML does not read: {e}"))),
        }
        self
    }

    /// Adds a `destinationSelectors` entry: Destinations must carry all these labels.
    pub fn destination_selector<K: Into<String>, V: Into<String>>(
        mut self,
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let match_labels = labels
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.definition
            .destination_selectors
            .push(DestinationSelector { match_labels });
        self
    }

    /// Requires the promise `name`, at `version` or at any version.
    pub fn requires(mut self, name: impl Into<String>, version: Option<&str>) -> Self {
        self.definition.required_promises.push(RequiredPromise {
            name: name.into(),
            version: version.map(str::to_string),
        });
        self
    }

    /// Adds a static dependency: a Kubernetes object written to every matching Destination.
    pub fn dependency(mut self, object: &impl Serialize) -> Self {
        let value = serde_json::to_value(object).map_err(|e| e.to_string());
        self.definition.dependencies.push(value);
        self
    }

    /// Ships Crossplane definitions, compositions and functions as static dependencies,
    /// written before any other dependency.
    pub fn crossplane(mut self, bundle: Bundle) -> Self {
        self.definition.crossplane = Some(CrossplaneSource::Given(bundle));
        self
    }

    /// [`crossplane`](Self::crossplane), with the bundle built only when rendering: the
    /// pipeline binary, which never needs it, does not pay for building compositions.
    pub fn crossplane_from(mut self, bundle: fn() -> Bundle) -> Self {
        self.definition.crossplane = Some(CrossplaneSource::Deferred(bundle));
        self
    }

    /// Runs every workflow Job of this promise in `namespace`, which must exist.
    pub fn pipeline_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.definition
            .workflow_config
            .get_or_insert_with(WorkflowConfig::default)
            .pipeline_namespace = Some(namespace.into());
        self
    }

    /// Re-runs the workflows this often (Kratix rejects less than a minute).
    pub fn reconciliation_interval(mut self, interval: GoDuration) -> Self {
        self.definition
            .workflow_config
            .get_or_insert_with(WorkflowConfig::default)
            .reconciliation_interval = Some(interval);
        self
    }

    /// Adds a pipeline run when the Promise itself is configured.
    pub fn promise_configure(self, pipeline: PipelineDef<PromiseWorkflow>) -> Self {
        self.pipeline(
            WorkflowType::Promise,
            WorkflowAction::Configure,
            pipeline.erase(),
        )
    }

    /// Sets the pipeline run when the Promise is deleted (Kratix runs only one).
    pub fn promise_delete(self, pipeline: PipelineDef<PromiseWorkflow>) -> Self {
        self.pipeline(
            WorkflowType::Promise,
            WorkflowAction::Delete,
            pipeline.erase(),
        )
    }

    fn pipeline(
        mut self,
        ty: WorkflowType,
        action: WorkflowAction,
        pipeline: PipelineDef<()>,
    ) -> Self {
        self.definition.pipelines.push((ty, action, pipeline));
        self
    }

    /// The finished definition.
    pub fn build(self) -> PromiseDefinition {
        self.definition
    }
}

impl PromiseBuilder<NoApi> {
    /// Sets the API requests are made against: a type declared with `#[promise_api]`.
    pub fn api<A: PromiseApi>(self) -> PromiseBuilder<A> {
        let mut definition = self.definition;
        definition.api = Some(ApiSource::Derived(vec![DerivedVersion::of::<A>()]));
        PromiseBuilder {
            definition,
            api: PhantomData,
        }
    }

    /// Sets the API from a CustomResourceDefinition given as data, such as one read from an
    /// existing promise's YAML. It gets the same checks as a derived API; its steps take the
    /// request untyped ([`crate::pipeline::Step::object`]).
    pub fn api_crd(self, crd: CustomResourceDefinition) -> PromiseBuilder<GivenApi> {
        self.given(ApiSource::Given(Box::new(crd)))
    }

    /// Sets the API from a CustomResourceDefinition written as YAML (an imported Promise's
    /// `api.yaml`); YAML that does not read as a CRD is reported at render time.
    pub fn api_crd_yaml(self, yaml: &str) -> PromiseBuilder<GivenApi> {
        let source = match serde_saphyr::from_str::<CustomResourceDefinition>(yaml) {
            Ok(crd) => ApiSource::Given(Box::new(crd)),
            Err(e) => ApiSource::Unreadable(e.to_string()),
        };
        self.given(source)
    }

    fn given(self, source: ApiSource) -> PromiseBuilder<GivenApi> {
        let mut definition = self.definition;
        definition.api = Some(source);
        PromiseBuilder {
            definition,
            api: PhantomData,
        }
    }
}

impl PromiseBuilder<GivenApi> {
    /// Adds a pipeline run for each request; its steps take the request untyped
    /// ([`crate::pipeline::Step::object`]).
    pub fn resource_configure(self, pipeline: PipelineDef<GivenApi>) -> Self {
        self.pipeline(
            WorkflowType::Resource,
            WorkflowAction::Configure,
            pipeline.erase(),
        )
    }

    /// Sets the pipeline run when a request is deleted (Kratix runs only one).
    pub fn resource_delete(self, pipeline: PipelineDef<GivenApi>) -> Self {
        self.pipeline(
            WorkflowType::Resource,
            WorkflowAction::Delete,
            pipeline.erase(),
        )
    }

    /// The example request of a given API, checked against its schema at render time.
    pub fn example_object(mut self, request: serde_json::Value) -> Self {
        self.definition.example = Some(LazyExample::new(request));
        self
    }
}

impl<A: PromiseApi> PromiseBuilder<A> {
    /// Serves another version of the API, declared with its own `#[promise_api]` type of the
    /// same group and kind (`deprecated = "..."` gives it a deprecation warning). `A` stays
    /// the storage version: requests of `B` are stored, and reach typed steps, as `A`,
    /// converted field by field as the apiserver's `None` conversion does.
    pub fn also_serves<B: PromiseApi>(mut self) -> Self {
        if let Some(ApiSource::Derived(versions)) = &mut self.definition.api {
            versions.push(DerivedVersion::of::<B>());
        }
        self
    }

    /// Adds a pipeline run for each request; its steps take requests of this promise's API.
    pub fn resource_configure(self, pipeline: PipelineDef<A>) -> Self {
        self.pipeline(
            WorkflowType::Resource,
            WorkflowAction::Configure,
            pipeline.erase(),
        )
    }

    /// Sets the pipeline run when a request is deleted (Kratix runs only one).
    pub fn resource_delete(self, pipeline: PipelineDef<A>) -> Self {
        self.pipeline(
            WorkflowType::Resource,
            WorkflowAction::Delete,
            pipeline.erase(),
        )
    }

    /// The example request rendered beside the Promise (`example-request.yaml`), checked
    /// against the API's schema at render time.
    pub fn example(mut self, request: A) -> Self
    where
        A: Send + 'static,
    {
        self.definition.example = Some(LazyExample::new(request));
        self
    }
}
