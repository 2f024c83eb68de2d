//! Imported by `cargo xtask import` from `kratix/test/system/assets/workflow-control/promise-retry.yaml`: the Promise `workflow-retry`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `workflow-retry` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("workflow-retry")
        .version("retry-v1")
        .promise_configure(promise_configure_pipe_0())
        .promise_configure(promise_configure_pipe_retry())
        .promise_configure(promise_configure_pipe_2())
        .promise_delete(promise_delete_promise_delete_retry_pipe())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_resource_pipe_retry())
        .resource_delete(resource_delete_resource_delete_retry_pipe())
        .build()
}

/// Pipeline `pipe-0`.
fn promise_configure_pipe_0() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("pipe-0").container(Container {
        name: "complete".into(),
        image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
        command: vec!["/bin/sh".into(), "-c".into()],
        args: vec![
            r#"set -eu
echo "pipe-0 complete"
"#
            .into(),
        ],
        ..Container::default()
    })
}

/// Pipeline `pipe-retry`.
fn promise_configure_pipe_retry() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("pipe-retry")
        .container(Container {
            name: "retry".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["/bin/sh".into(), "-c".into()],
            args: vec![
                r#"set -eu
if kubectl get configmap workflow-retry-test -n kratix-platform-system >/dev/null 2>&1; then
  echo "configmap exists; not retrying for another time"
  exit 0
fi
cat <<'EOF' > /kratix/metadata/workflow-control.yaml
retryAfter: 10s
message: configmap workflow-retry-test not found
EOF
"#
                .into(),
            ],
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: None,
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into()],
                ..PolicyRule::default()
            },
        })
}

/// Pipeline `pipe-2`.
fn promise_configure_pipe_2() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("pipe-2").container(Container {
        name: "complete".into(),
        image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
        command: vec!["/bin/sh".into(), "-c".into()],
        args: vec![
            r#"set -eu
echo "pipe-2 complete"
"#
            .into(),
        ],
        ..Container::default()
    })
}

/// Pipeline `promise-delete-retry-pipe`.
fn promise_delete_promise_delete_retry_pipe() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise-delete-retry-pipe")
.container(Container {
name: "retry".into(),
image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
command: vec!["/bin/sh".into(), "-c".into()],
args: vec![r#"set -eu
if kubectl get configmap workflow-retry-promise-delete-gate -n kratix-platform-system >/dev/null 2>&1; then
  echo "gate exists; promise delete can proceed"
  exit 0
fi
cat <<'EOF' > /kratix/metadata/workflow-control.yaml
retryAfter: 10s
message: waiting for promise delete gate configmap
EOF
"#.into()],
..Container::default()
})
.permission(Permission {
resource_namespace: None,
rule: PolicyRule {
api_groups: Some(vec!["".into()]),
resources: Some(vec!["configmaps".into()]),
verbs: vec!["get".into()],
..PolicyRule::default()
},
})
}

/// Pipeline `resource-pipe-retry`.
fn resource_configure_resource_pipe_retry() -> PipelineDef<GivenApi> {
    PipelineDef::new("resource-pipe-retry")
        .container(Container {
            name: "retry".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["/bin/sh".into(), "-c".into()],
            args: vec![
                r#"set -eu
if kubectl get configmap workflow-retry-resource-gate -n default >/dev/null 2>&1; then
  echo "gate exists; configure complete"
  exit 0
fi
cat <<'EOF' > /kratix/metadata/workflow-control.yaml
retryAfter: 10s
message: retrying resource pipeline
EOF
"#
                .into(),
            ],
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: None,
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into()],
                ..PolicyRule::default()
            },
        })
}

/// Pipeline `resource-delete-retry-pipe`.
fn resource_delete_resource_delete_retry_pipe() -> PipelineDef<GivenApi> {
    PipelineDef::new("resource-delete-retry-pipe")
        .container(Container {
            name: "retry".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["/bin/sh".into(), "-c".into()],
            args: vec![
                r#"set -eu
if kubectl get configmap workflow-retry-delete-gate -n default >/dev/null 2>&1; then
  echo "gate exists; delete can proceed"
  exit 0
fi
cat <<'EOF' > /kratix/metadata/workflow-control.yaml
retryAfter: 10s
message: waiting for delete gate configmap
EOF
"#
                .into(),
            ],
            ..Container::default()
        })
        .permission(Permission {
            resource_namespace: None,
            rule: PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into()],
                ..PolicyRule::default()
            },
        })
}
