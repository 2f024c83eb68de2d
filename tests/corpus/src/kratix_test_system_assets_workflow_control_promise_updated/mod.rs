//! Imported by `cargo xtask import` from `kratix/test/system/assets/workflow-control/promise-updated.yaml`: the Promise `workflow-suspend`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::rbac::v1::PolicyRule;
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission};
use promise_core::pipeline::{PipelineDef, PromiseWorkflow};

/// The `workflow-suspend` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("workflow-suspend")
        .version("suspend-v2")
        .promise_configure(promise_configure_pipe_0())
        .promise_configure(promise_configure_pipe_1())
        .promise_configure(promise_configure_pipe_2())
        .promise_delete(promise_delete_promise_delete_pipe())
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_resource_pipe_0())
        .resource_delete(resource_delete_resource_delete_pipe())
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
echo "pipe-0 complete from v2"
"#
            .into(),
        ],
        ..Container::default()
    })
}

/// Pipeline `pipe-1`.
fn promise_configure_pipe_1() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("pipe-1").container(Container {
        name: "no-suspend".into(),
        image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
        command: vec!["/bin/sh".into(), "-c".into()],
        args: vec![
            r#"set -eu
echo "pipe-1 complete without suspension"
"#
            .into(),
        ],
        ..Container::default()
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
echo "pipe-2 complete from v2"
"#
            .into(),
        ],
        ..Container::default()
    })
}

/// Pipeline `promise-delete-pipe`.
fn promise_delete_promise_delete_pipe() -> PipelineDef<PromiseWorkflow> {
    PipelineDef::new("promise-delete-pipe")
.container(Container {
name: "suspend-if-configmap-exists".into(),
image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
command: vec!["/bin/sh".into(), "-c".into()],
args: vec![r#"set -eu
if kubectl get configmap workflow-suspend-promise-delete-gate -n kratix-platform-system >/dev/null 2>&1; then
  echo "configmap exists; suspending promise delete"
  cat <<'EOF' > /kratix/metadata/workflow-control.yaml
suspend: true
message: waiting for promise delete approval
EOF
else
  echo "configmap not found; promise delete can proceed"
fi
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

/// Pipeline `resource-pipe-0`.
fn resource_configure_resource_pipe_0() -> PipelineDef<GivenApi> {
    PipelineDef::new("resource-pipe-0")
        .container(Container {
            name: "suspend-unless-configmap-exists".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["/bin/sh".into(), "-c".into()],
            args: vec![
                r#"set -eu
cat <<'EOF' > /kratix/output/resource-configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: workflow-suspend-generated
  namespace: default
data:
  source: suspended-resource-pipeline
EOF
if kubectl get configmap workflow-suspend-test -n default >/dev/null 2>&1; then
  echo "configmap exists; not suspending"
  exit 0
fi
cat <<'EOF' > /kratix/metadata/workflow-control.yaml
suspend: true
message: waiting for configmap
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

/// Pipeline `resource-delete-pipe`.
fn resource_delete_resource_delete_pipe() -> PipelineDef<GivenApi> {
    PipelineDef::new("resource-delete-pipe")
        .container(Container {
            name: "suspend-if-configmap-exists".into(),
            image: "ghcr.io/syntasso/kratix-pipeline-utility:v0.0.1".into(),
            command: vec!["/bin/sh".into(), "-c".into()],
            args: vec![
                r#"set -eu
if kubectl get configmap workflow-suspend-test -n default >/dev/null 2>&1; then
  echo "configmap exists; suspending delete"
  cat <<'EOF' > /kratix/metadata/workflow-control.yaml
suspend: true
message: waiting for delete approval
EOF
else
  echo "configmap not found; delete can proceed"
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
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into()],
                ..PolicyRule::default()
            },
        })
}
