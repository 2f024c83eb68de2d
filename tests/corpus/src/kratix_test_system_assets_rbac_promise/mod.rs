//! Imported by `cargo xtask import` from `kratix/test/system/assets/rbac/promise.yaml`: the Promise `rbac-promise`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `rbac-promise` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("rbac-promise")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .promise_configure(promise_configure_rbac_pro())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_rbac_res())
        .build()
}

/// Pipeline `rbac-pro`.
fn promise_configure_rbac_pro() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("rbac-pro")
        .container(Container {
            name: "do-commands".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["sh".into()],
            args: vec![
                "-c".into(),
                r#"set -eux

# validate rbac from within the promise workflow namespace
kubectl get configmap rbac-promise-cm

if kubectl get configmap rbac-promise-cant-see; then
  echo "configmap rbac-promise-cant-see was found"
  exit 1
fi

# validate access to a configmap across namespace
kubectl get configmap -n default rbac-promise-default-cm

# validate access to a secret across all namespaces
kubectl get secret -n default rbac-promise-default-secret
"#
                .into(),
            ],
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: None,
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resource_names: Some(vec!["rbac-promise-cm".into()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
        .permission(Permission {
            resource_namespace: Some("default".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resource_names: Some(vec!["rbac-promise-default-cm".into()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["secrets".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
}

/// Pipeline `rbac-res`.
fn resource_configure_rbac_res() -> PipelineDef<GivenApi> {
    PipelineDef::new("rbac-res")
        .container(Container {
            name: "do-commands".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["sh".into()],
            args: vec![
                "-c".into(),
                r#"set -eux
kubectl get secret rbac-resource-secret
kubectl get promises
kubectl get configmap -n kratix-platform-system rbac-promise-cm

if kubectl get secret rbac-resource-secret -n kratix-platform-system; then
  echo "was able to read rbac-resource-secret in kratix-platform-system; expected to fail"
  exit 1
fi

if kubectl get configmap rbac-promise-default-cm; then
  echo "was able to read the configmap rbac-promise-default-cm in default; expected to fail"
  exit 1
fi
"#
                .into(),
            ],
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: None,
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resource_names: Some(vec!["rbac-resource-secret".into()]),
                resources: Some(vec!["secrets".into()]),
                verbs: vec![
                    "get".into(),
                    "list".into(),
                    "create".into(),
                    "update".into(),
                    "patch".into(),
                ],
                ..PolicyRule::default()
            },
        })
        .permission(Permission {
            resource_namespace: Some("kratix-platform-system".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resource_names: Some(vec!["rbac-promise-cm".into()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec!["platform.kratix.io".into()]),
                resources: Some(vec!["promises".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            },
        })
}
