//! Imported by `cargo xtask import` from `mp/redis/promise.yaml`: the Promise `redis`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `redis` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("redis")
        .version("v0.1.0")
        .destination_selector([("environment", "dev")])
        .promise_configure(promise_configure_promise_configure())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .build()
}

/// Pipeline `promise-configure`.
fn promise_configure_promise_configure() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise-configure").container(Container {
        name: "redis-configure-pipeline".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/redis-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure").container(Container {
        name: "redis-configure-pipeline".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/redis-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
