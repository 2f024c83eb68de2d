//! Imported by `cargo xtask import` from `mp/ansible-job-launcher/promise.yaml`: the Promise `ansible-job-launcher`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::PipelineDef;

/// The `ansible-job-launcher` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("ansible-job-launcher")
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
            name: "ansible-job-launcher-resource".into(),
            image:
                "ghcr.io/syntasso/kratix-marketplace/ansible-job-launcher-configure-pipeline:v0.1.0"
                    .into(),
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: Some("awx".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resource_names: Some(vec!["awx-demo-admin-password".into()]),
                resources: Some(vec!["secrets".into()]),
                verbs: vec!["get".into()],
                ..PolicyRule::default()
            },
        })
}
