//! Imported by `cargo xtask import` from `mp/mongodb/promise.yaml`: the Promise `mongodb`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `mongodb` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("mongodb")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .destination_selector([("environment", "dev")])
        .promise_configure(promise_configure_configure_promise())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_configure_workflow())
        .build()
}

/// Pipeline `configure-promise`.
fn promise_configure_configure_promise() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("configure-promise").container(Container {
        name: "mongodb-deps".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/mongodb-deps-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}

/// Pipeline `configure-workflow`.
fn resource_configure_configure_workflow() -> PipelineDef<GivenApi> {
    PipelineDef::new("configure-workflow").container(Container {
        name: "create-instance".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/mongodb-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
