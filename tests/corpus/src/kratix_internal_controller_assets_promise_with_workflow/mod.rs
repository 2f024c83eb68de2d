//! Imported by `cargo xtask import` from `kratix/internal/controller/assets/promise-with-workflow.yaml`: the Promise `promise-with-workflow`.
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
        .version("v1.1.0")
        .destination_selector([("environment", "dev")])
        .promise_configure(promise_configure_first_pipeline())
        .promise_configure(promise_configure_second_pipeline())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_first_pipeline())
        .build()
}

/// Pipeline `first-pipeline`.
fn promise_configure_first_pipeline() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("first-pipeline").container(Container {
        name: "promise-with-workflow".into(),
        image: "syntasso/promise-with-workflow:v0.1.0".into(),
        ..Container::default()
    })
}

/// Pipeline `second-pipeline`.
fn promise_configure_second_pipeline() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("second-pipeline").container(Container {
        name: "another-workflow".into(),
        image: "syntasso/promise-with-workflow:v0.1.0".into(),
        ..Container::default()
    })
}

/// Pipeline `first-pipeline`.
fn resource_configure_first_pipeline() -> PipelineDef<GivenApi> {
    PipelineDef::new("first-pipeline").container(Container {
        name: "demo-redis-configure-pipeline".into(),
        image: "syntasso/demo-redis-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
