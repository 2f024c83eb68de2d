//! Imported by `cargo xtask import` from `kratix/internal/controller/assets/promise-with-delete-workflow.yaml`: the Promise `promise-with-workflow`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `promise-with-workflow` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("promise-with-workflow")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .destination_selector([("environment", "dev")])
        .promise_delete(promise_delete_promise_delete())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .build()
}

/// Pipeline `promise-delete`.
fn promise_delete_promise_delete() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise-delete").container(Container {
        name: "promise-with-workflow-delete".into(),
        image: "syntasso/promise-with-workflow-delete:v0.1.0".into(),
        ..Container::default()
    })
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure").container(Container {
        name: "demo-redis-configure-pipeline".into(),
        image: "syntasso/demo-redis-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
