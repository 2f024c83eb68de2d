//! Imported by `cargo xtask import` from `kratix/test/system/assets/promise-features/namespaced-workflow-promise.yaml`: the Promise `namespaced-promise`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, ObjectFieldSelector};
use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `namespaced-promise` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("namespaced-promise")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .pipeline_namespace("kube-public")
        .promise_configure(promise_configure_promise_configure())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_resource_configure())
        .resource_delete(resource_delete_resource_configure())
        .build()
}

/// Pipeline `promise-configure`.
fn promise_configure_promise_configure() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise-configure")
        .container(Container {
            name: "gen-configmap".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["/bin/sh".into()],
            args: vec![
                "-c".into(),
                r#"cat <<EOF > /kratix/output/namespace-config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: namespaced-promise-cm
  namespace: default
data:
  key: value
EOF
"#
                .into(),
            ],
            ..Container::default()
        })
        .backoff_limit(3)
}

/// Pipeline `resource-configure`.
fn resource_configure_resource_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("resource-configure")
.container(Container {
name: "gen-configmap".into(),
image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
command: vec!["/bin/sh".into()],
args: vec!["-c".into(), r#"set -eux
configMapName=$(yq '.metadata.name' /kratix/input/object.yaml)

cat <<EOF > /kratix/output/namespace-resource.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: namespace-promise-${configMapName}
  namespace: default
data:
  key: value
EOF
kubectl -n kube-public create secret generic promise-test --dry-run=client -o yaml | kubectl apply -f -
"#.into()],
..Container::default()
})
.backoff_limit(3)
.permission(Permission {
resource_namespace: Some("kube-public".into()),
rule: PolicyRule {
api_groups: Some(vec!["".into()]),
resources: Some(vec!["secrets".into()]),
verbs: vec!["create".into(), "get".into(), "patch".into(), "update".into()],
..PolicyRule::default()
},
})
}

/// Pipeline `resource-configure`.
fn resource_delete_resource_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("resource-configure")
        .container(Container {
            name: "gen-configmap".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["/bin/sh".into()],
            args: vec![
                "-c".into(),
                r#"set -eux
kubectl -n $POD_NAMESPACE get secret promise-test
kubectl -n $POD_NAMESPACE delete secret promise-test
"#
                .into(),
            ],
            env: vec![EnvVar {
                name: "POD_NAMESPACE".into(),
                value_from: Some(EnvVarSource {
                    field_ref: Some(ObjectFieldSelector {
                        field_path: "metadata.namespace".into(),
                        ..ObjectFieldSelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            }],
            ..Container::default()
        })
        .backoff_limit(3)
        .permission(Permission {
            resource_namespace: None,
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["secrets".into()]),
                verbs: vec![
                    "delete".into(),
                    "get".into(),
                    "patch".into(),
                    "update".into(),
                ],
                ..PolicyRule::default()
            },
        })
}
