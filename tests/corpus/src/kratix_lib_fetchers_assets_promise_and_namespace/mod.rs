//! Imported by `cargo xtask import` from `kratix/lib/fetchers/assets/promise-and-namespace.yaml`: the Promise `redis`.
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
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .label("clashing-label", "new-promise-value")
        .label("new-promise-label", "value")
        .annotation("clashing-annotation", "new-promise-value")
        .annotation("new-promise-annotation", "value")
        .destination_selector([("environment", "dev")])
        .dependencies_yaml(include_str!("dependencies.yaml"))
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .build()
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure").container(Container {
        name: "demo-redis-configure-pipeline".into(),
        image: "syntasso/demo-redis-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
