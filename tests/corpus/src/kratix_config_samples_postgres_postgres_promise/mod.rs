//! Imported by `cargo xtask import` from `kratix/config/samples/postgres/postgres-promise.yaml`: the Promise `postgres-promise`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `postgres-promise` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("postgres-promise")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
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
        name: "kustomize-postgres".into(),
        image: "syntasso/kustomize-postgres".into(),
        ..Container::default()
    })
}
