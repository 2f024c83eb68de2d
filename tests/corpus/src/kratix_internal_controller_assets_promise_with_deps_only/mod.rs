//! Imported by `cargo xtask import` from `kratix/internal/controller/assets/promise-with-deps-only.yaml`: the Promise `promise-with-deps`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

use promise_core::catalog::PromiseDefinition;

/// The `promise-with-deps` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("promise-with-deps")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .destination_selector([("environment", "dev")])
        .dependencies_yaml(include_str!("dependencies.yaml"))
        .build()
}
