//! Imported by `cargo xtask import` from `kratix/internal/controller/assets/redis-simple-promise.yaml`: the Promise `redis`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `redis` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("redis")
        .version("v1.1.0")
        .label("clashing-label", "new-promise-value")
        .label("new-promise-label", "value")
        .annotation("clashing-annotation", "new-promise-value")
        .annotation("new-promise-annotation", "value")
        .destination_selector([("environment", "dev")])
        .dependencies_yaml(include_str!("dependencies.yaml"))
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_first_pipeline())
        .build()
}

/// Pipeline `first-pipeline`.
fn resource_configure_first_pipeline() -> PipelineDef<GivenApi> {
    PipelineDef::new("first-pipeline").container(Container {
        name: "demo-redis-configure-pipeline".into(),
        image: "syntasso/demo-redis-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
