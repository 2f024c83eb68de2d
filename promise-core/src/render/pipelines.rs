//! Pipelines declared in Rust become Kratix `Pipeline` objects: one container per step,
//! each running the pipeline binary with the promise's and the step's names.

use crate::catalog::PromiseDefinition;
use crate::kratix::{Container, Pipeline, Rbac, WorkflowActions, Workflows};
use k8s_openapi::api::core::v1::EnvVar;

use crate::pipeline::{BINARY_PATH, CONFIG_VAR, PipelineDef, WorkflowAction, WorkflowType};

/// The `spec.workflows` of a definition.
pub(super) fn workflows(definition: &PromiseDefinition, image: &str) -> Workflows {
    let mut workflows = Workflows {
        config: definition.workflow_config.clone(),
        ..Workflows::default()
    };
    for (ty, action, pipeline) in &definition.pipelines {
        let actions: &mut WorkflowActions = match ty {
            WorkflowType::Promise => &mut workflows.promise,
            WorkflowType::Resource => &mut workflows.resource,
        };
        let list = match action {
            WorkflowAction::Configure => &mut actions.configure,
            WorkflowAction::Delete => &mut actions.delete,
        };
        list.push(kratix_pipeline(definition.name(), image, pipeline));
    }
    workflows
}

fn kratix_pipeline(promise: &str, image: &str, def: &PipelineDef<()>) -> Pipeline {
    let mut pipeline = Pipeline::new(&def.name);
    let mut env = def.env.clone();
    if let Some(Ok(config)) = &def.config {
        env.push(EnvVar {
            name: CONFIG_VAR.to_string(),
            value: Some(config.clone()),
            value_from: None,
        });
    }
    pipeline.metadata.labels = def.labels.clone();
    pipeline.spec.containers = def
        .steps
        .iter()
        .map(|step| Container {
            name: step.name.clone(),
            image: image.to_string(),
            command: vec![BINARY_PATH.to_string()],
            args: vec![promise.to_string(), step.name.clone()],
            env: env.clone(),
            volume_mounts: def.volume_mounts.clone(),
            resources: def.resources.clone(),
            security_context: Some(def.security_context.clone()),
            ..Container::default()
        })
        .collect();
    pipeline.spec.volumes = def.volumes.clone();
    if !def.permissions.is_empty() {
        pipeline.spec.rbac = Some(Rbac {
            service_account: None,
            permissions: def.permissions.clone(),
        });
    }
    pipeline
}
