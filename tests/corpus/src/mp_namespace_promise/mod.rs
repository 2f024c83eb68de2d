//! Imported by `cargo xtask import` from `mp/namespace/promise.yaml`: the Promise `namespace`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `namespace` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("namespace")
        .version("v1.0.0")
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .build()
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure").container(Container {
        name: "namespace-configure-pipeline".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/namespace-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
