//! Pipelines declared in Rust become Kratix `Pipeline` objects: one container per step,
//! each running the pipeline binary with the promise's and the step's names, and third-party
//! containers as given, in declaration order.

use crate::catalog::PromiseDefinition;
use crate::kratix::{Container, Pipeline, WorkflowActions, Workflows};
use k8s_openapi::api::core::v1::EnvVar;

use crate::pipeline::{
    BINARY_PATH, CONFIG_VAR, Member, PipelineDef, Step, WorkflowAction, WorkflowType,
};

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
    pipeline.metadata.annotations = def.annotations.clone();
    let image = def.image.as_deref().unwrap_or(image);
    pipeline.spec = def.pod.clone();
    pipeline.spec.containers = def
        .members
        .iter()
        .map(|member| match member {
            Member::Step(step) => step_container(promise, image, def, &env, step),
            Member::Container(container) => container.clone(),
        })
        .collect();
    pipeline
}

/// A step's container: the pipeline binary, told which promise and step to run.
fn step_container(
    promise: &str,
    image: &str,
    def: &PipelineDef<()>,
    env: &[EnvVar],
    step: &Step<()>,
) -> Container {
    let own = &step.container;
    Container {
        name: step.name.clone(),
        image: image.to_string(),
        command: vec![BINARY_PATH.to_string()],
        args: vec![promise.to_string(), step.name.clone()],
        env: env.iter().chain(&own.env).cloned().collect(),
        volume_mounts: def.volume_mounts.clone(),
        resources: own.resources.clone().or_else(|| def.resources.clone()),
        security_context: Some(
            own.security_context
                .clone()
                .unwrap_or_else(|| def.security_context.clone()),
        ),
        ..Container::default()
    }
}
