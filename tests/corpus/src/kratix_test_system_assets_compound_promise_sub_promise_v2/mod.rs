//! Imported by `cargo xtask import` from `kratix/test/system/assets/compound-promise/sub-promise-v2.yaml`: the Promise `sub-promise`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

use promise_core::catalog::PromiseDefinition;

/// The `sub-promise` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("sub-promise")
        .version("v2.0.0")
        .build()
}
