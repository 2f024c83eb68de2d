//! Imported by `cargo xtask import` from `mp/tekton/promise.yaml`: the Promise `tekton`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `tekton` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("tekton")
        .version("v0.1.0")
        .destination_selector([("environment", "dev")])
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_tekton_package())
        .build()
}

/// Pipeline `tekton-package`.
fn resource_configure_tekton_package() -> PipelineDef<GivenApi> {
    PipelineDef::new("tekton-package").container(Container {
        name: "create-instance".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/tekton-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}
