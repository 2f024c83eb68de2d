//! Imported by `cargo xtask import` from `kratix/config/samples/nil-api-promise.yaml`: the Promise `nil-api-promise`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

use promise_core::catalog::PromiseDefinition;

/// The `nil-api-promise` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("nil-api-promise")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .dependencies_yaml(include_str!("dependencies.yaml"))
        .build()
}
