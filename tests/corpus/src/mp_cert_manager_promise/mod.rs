//! Imported by `cargo xtask import` from `mp/cert-manager/promise.yaml`: the Promise `cert-manager`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

use promise_core::catalog::PromiseDefinition;
use promise_core::kratix::Container;
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `cert-manager` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("cert-manager")
        .version("v1.0.0-beta.1")
        .promise_configure(promise_configure_promise_configure())
        .build()
}

/// Pipeline `promise-configure`.
fn promise_configure_promise_configure() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise-configure").container(Container {
        name: "certmanager-configure-pipeline".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/cert-manager-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
