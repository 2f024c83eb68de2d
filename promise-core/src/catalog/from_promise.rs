//! A [`PromiseDefinition`] from a Kratix Promise read from YAML: what `cargo xtask import`
//! writes as Rust, built in memory, so that an import can be rendered and compared without
//! compiling it.

use super::{ApiSource, PromiseDefinition};
use crate::kratix::{PROMISE_VERSION_LABEL, Pipeline, Promise};
use crate::pipeline::{Member, PipelineDef, WorkflowAction, WorkflowType};

impl PromiseDefinition {
    /// The definition that renders `promise` back: its API given as data (without an example
    /// request), its pipelines as third-party containers.
    ///
    /// ```
    /// use promise_core::catalog::{Catalog, PromiseDefinition};
    /// use promise_core::kratix::read_promises;
    ///
    /// let yaml = "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: dns\n  labels:\n    kratix.io/promise-version: v1\n";
    /// let read = read_promises(yaml).unwrap();
    /// let definition = PromiseDefinition::from_promise(&read.promises[0].promise);
    /// let rendered = promise_core::render::render(&Catalog::new().with(definition)).unwrap();
    /// assert!(rendered.files["dns/promise.yaml"].contains("kratix.io/promise-version: v1"));
    /// ```
    pub fn from_promise(promise: &Promise) -> PromiseDefinition {
        let name = promise.metadata.name.clone().unwrap_or_default();
        let mut builder = PromiseDefinition::builder(name);
        let mut labels = promise.metadata.labels.clone().unwrap_or_default();
        builder = match labels.remove(PROMISE_VERSION_LABEL) {
            Some(version) => builder.version(version),
            None => builder.unversioned(),
        };
        let mut definition = builder.build();
        definition.labels = labels;
        definition.annotations = promise.metadata.annotations.clone().unwrap_or_default();
        let spec = &promise.spec;
        if let Some(crd) = &spec.api {
            definition.api = Some(ApiSource::Given(Box::new(crd.clone())));
            definition.no_example = true;
        }
        definition.destination_selectors = spec.destination_selectors.clone();
        definition.required_promises = spec.required_promises.clone();
        definition.dependencies = spec.dependencies.iter().cloned().map(Ok).collect();
        definition.workflow_config = spec.workflows.config.clone();
        let workflows = &spec.workflows;
        let lists = [
            (
                WorkflowType::Promise,
                WorkflowAction::Configure,
                &workflows.promise.configure,
            ),
            (
                WorkflowType::Promise,
                WorkflowAction::Delete,
                &workflows.promise.delete,
            ),
            (
                WorkflowType::Resource,
                WorkflowAction::Configure,
                &workflows.resource.configure,
            ),
            (
                WorkflowType::Resource,
                WorkflowAction::Delete,
                &workflows.resource.delete,
            ),
        ];
        for (ty, action, pipelines) in lists {
            for pipeline in pipelines {
                definition
                    .pipelines
                    .push((ty, action, containers_only(pipeline)));
            }
        }
        definition
    }
}

/// A pipeline of third-party containers only, with every pod setting.
fn containers_only(pipeline: &Pipeline) -> PipelineDef<()> {
    let mut def = PipelineDef::new(&pipeline.metadata.name);
    def.members = pipeline
        .spec
        .containers
        .iter()
        .cloned()
        .map(Member::Container)
        .collect();
    def.pod = pipeline.spec.clone();
    def.pod.containers.clear();
    def.labels = pipeline.metadata.labels.clone();
    def.annotations = pipeline.metadata.annotations.clone();
    def
}
