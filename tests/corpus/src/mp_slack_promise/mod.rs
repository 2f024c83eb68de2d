//! Imported by `cargo xtask import` from `mp/slack/promise.yaml`: the Promise `slack`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::PipelineDef;

/// The `slack` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("slack")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .build()
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure")
        .container(Container {
            name: "slack-configure-pipeline".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/slack-configure-pipeline:v0.1.0".into(),
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: Some("default".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resource_names: Some(vec!["slack-channel-hook".into()]),
                resources: Some(vec!["secrets".into()]),
                verbs: vec!["get".into()],
                ..PolicyRule::default()
            },
        })
}
