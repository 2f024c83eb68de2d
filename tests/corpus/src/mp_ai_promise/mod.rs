//! Imported by `cargo xtask import` from `mp/ai/promise.yaml`: the Promise `ai`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `ai` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("ai")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .label("kratix.io/backstage", "true")
        .destination_selector([("environment", "dev")])
        .promise_configure(promise_configure_provision_postgres_db())
        .promise_configure(promise_configure_litellm_deploy())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .build()
}

/// Pipeline `provision-postgres-db`.
fn promise_configure_provision_postgres_db() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("provision-postgres-db").container(Container {
        name: "configure-postgres-db".into(),
        image: "syntasso.docker.reo.dev/syntasso/kratix-marketplace/ai-configure-pipeline:v0.1.0"
            .into(),
        ..Container::default()
    })
}

/// Pipeline `litellm-deploy`.
fn promise_configure_litellm_deploy() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("litellm-deploy")
        .container(Container {
            name: "configure-litellm".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/ai-configure-pipeline:v0.1.0".into(),
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["secrets".into()]),
                verbs: vec!["get".into(), "list".into(), "watch".into()],
                ..PolicyRule::default()
            },
        })
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure")
        .container(Container {
            name: "configure-pipeline".into(),
            image:
                "syntasso.docker.reo.dev/syntasso/kratix-marketplace/ai-configure-pipeline:v0.1.0"
                    .into(),
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["secrets".into()]),
                verbs: vec!["get".into(), "list".into(), "watch".into()],
                ..PolicyRule::default()
            },
        })
}
