//! Imported by `cargo xtask import` from `kratix/internal/controller/assets/promise-with-requirements.yaml`: the Promise `namespace`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::PromiseDefinition;

/// The `namespace` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("namespace")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .destination_selector([("environment", "dev")])
        .requires("kafka", Some("v1.2.0"))
        .requires("telemetry", Some("v1.1.0"))
        .dependencies_yaml(include_str!("dependencies.yaml"))
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .build()
}
