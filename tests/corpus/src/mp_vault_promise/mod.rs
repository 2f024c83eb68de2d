//! Imported by `cargo xtask import` from `mp/vault/promise.yaml`: the Promise `vault`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `vault` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("vault")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .build()
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure").container(Container {
        name: "vault-configure-pipeline".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/vault-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
