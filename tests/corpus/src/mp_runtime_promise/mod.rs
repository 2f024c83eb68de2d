//! Imported by `cargo xtask import` from `mp/runtime/promise.yaml`: the Promise `runtime`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `runtime` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("runtime")
        .version("v1.0.0")
        .destination_selector([("environment", "dev")])
        .promise_configure(promise_configure_promise())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance())
        .build()
}

/// Pipeline `promise`.
fn promise_configure_promise() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise").container(Container {
        name: "nginx-configure-pipeline".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/nginx-ingress-configure-pipeline:v0.1.0".into(),
        ..Container::default()
    })
}

/// Pipeline `instance`.
fn resource_configure_instance() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance")
        .container(Container {
            name: "resource-configure".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/runtime-configure-pipeline:v0.1.0".into(),
            command: vec!["resource-configure".into()],
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: None,
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resource_names: Some(vec!["runtime-domain".into()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
}
