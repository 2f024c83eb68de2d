//! Imported by `cargo xtask import` from `mp/namespace-claim/promise.yaml`: the Promise `namespace-claim`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::PipelineDef;

/// The `namespace-claim` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("namespace-claim")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .requires("namespace", Some("v1.0.0"))
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_claim_ensure())
        .resource_delete(resource_delete_claim_release())
        .build()
}

/// Pipeline `claim-ensure`.
fn resource_configure_claim_ensure() -> PipelineDef<GivenApi> {
    PipelineDef::new("claim-ensure")
        .container(Container {
            name: "claim-ensure".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/namespace-claim-configure-pipeline:v0.1.0"
                .into(),
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["marketplace.kratix.io".into()]),
                resources: Some(vec!["namespaces".into()]),
                verbs: vec![
                    "get".into(),
                    "create".into(),
                    "update".into(),
                    "patch".into(),
                ],
                ..PolicyRule::default()
            },
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["marketplace.kratix.io".into()]),
                resources: Some(vec!["namespaceclaims".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
}

/// Pipeline `claim-release`.
fn resource_delete_claim_release() -> PipelineDef<GivenApi> {
    PipelineDef::new("claim-release")
        .container(Container {
            name: "claim-release".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/namespace-claim-configure-pipeline:v0.1.0"
                .into(),
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["marketplace.kratix.io".into()]),
                resources: Some(vec!["namespaces".into()]),
                verbs: vec!["get".into(), "delete".into()],
                ..PolicyRule::default()
            },
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["marketplace.kratix.io".into()]),
                resources: Some(vec!["namespaceclaims".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
}
