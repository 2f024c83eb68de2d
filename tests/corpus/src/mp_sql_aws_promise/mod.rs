//! Imported by `cargo xtask import` from `mp/sql/aws/promise.yaml`: the Promise `aws-rds`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, SecretKeySelector};
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `aws-rds` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("aws-rds")
        .version("v1.0.0-beta.1")
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_rds_configure())
        .resource_configure(resource_configure_rds_wait())
        .resource_delete(resource_delete_rds_delete())
        .build()
}

/// Pipeline `rds-configure`.
fn resource_configure_rds_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("rds-configure").container(Container {
        name: "configure-rds-instance".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/aws-rds-pipelines:v0.1.0".into(),
        env: vec![
            EnvVar {
                name: "AWS_ACCESS_KEY_ID".into(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        key: "accessKeyID".into(),
                        name: "aws-rds".into(),
                        ..SecretKeySelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            },
            EnvVar {
                name: "AWS_SECRET_ACCESS_KEY".into(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        key: "secretAccessKey".into(),
                        name: "aws-rds".into(),
                        ..SecretKeySelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            },
        ],
        ..Container::default()
    })
}

/// Pipeline `rds-wait`.
fn resource_configure_rds_wait() -> PipelineDef<GivenApi> {
    PipelineDef::new("rds-wait").container(Container {
        name: "wait-instance".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/aws-rds-pipelines:v0.1.0".into(),
        command: vec!["wait-instance".into()],
        env: vec![
            EnvVar {
                name: "AWS_ACCESS_KEY_ID".into(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        key: "accessKeyID".into(),
                        name: "aws-rds".into(),
                        ..SecretKeySelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            },
            EnvVar {
                name: "AWS_SECRET_ACCESS_KEY".into(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        key: "secretAccessKey".into(),
                        name: "aws-rds".into(),
                        ..SecretKeySelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            },
        ],
        ..Container::default()
    })
}

/// Pipeline `rds-delete`.
fn resource_delete_rds_delete() -> PipelineDef<GivenApi> {
    PipelineDef::new("rds-delete").container(Container {
        name: "delete-rds-instance".into(),
        image: "ghcr.io/syntasso/kratix-marketplace/aws-rds-pipelines:v0.1.0".into(),
        env: vec![
            EnvVar {
                name: "AWS_ACCESS_KEY_ID".into(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        key: "accessKeyID".into(),
                        name: "aws-rds".into(),
                        ..SecretKeySelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            },
            EnvVar {
                name: "AWS_SECRET_ACCESS_KEY".into(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        key: "secretAccessKey".into(),
                        name: "aws-rds".into(),
                        ..SecretKeySelector::default()
                    }),
                    ..EnvVarSource::default()
                }),
                ..EnvVar::default()
            },
        ],
        ..Container::default()
    })
}
