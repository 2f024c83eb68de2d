//! Imported by `cargo xtask import` from `mp/crossplane/promise.yaml`: the Promise `crossplane`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

use promise_core::catalog::PromiseDefinition;
use promise_core::kratix::Container;
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `crossplane` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("crossplane")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .destination_selector([("crossplane", "enabled")])
        .promise_configure(promise_configure_promise_configure())
        .build()
}

/// Pipeline `promise-configure`.
fn promise_configure_promise_configure() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise-configure").container(Container {
        name: "crossplane-configure-pipeline".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/crossplane-configure-pipeline:v0.2.0".into(),
        ..Container::default()
    })
}
