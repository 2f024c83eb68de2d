//! Imported by `cargo xtask import` from `mp/app-as-a-service/promise.yaml`: the Promise `app`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `app` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("app")
        .version("v1.0.0-beta.1")
        .destination_selector([("environment", "platform")])
        .requires("postgresql", Some("v1.0.0-beta.3"))
        .requires("nginx-ingress", Some("v1.0.0-beta.2"))
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_resource_configure())
        .build()
}

/// Pipeline `resource-configure`.
fn resource_configure_resource_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("resource-configure")
        .container(Container {
            name: "create-resources".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/app-as-a-service-configure-pipeline:v0.1.0"
                .into(),
            args: vec!["resource-configure".into()],
            ..Container::default()
        })
        .container(Container {
            name: "database-configure".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/app-as-a-service-configure-pipeline:v0.1.0"
                .into(),
            args: vec!["database-configure".into()],
            ..Container::default()
        })
}
