//! Imported by `cargo xtask import` from `mp/sql/gcp/promise.yaml`: the Promise `sql`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use k8s_openapi::api::core::v1::{KeyToPath, SecretVolumeSource, Volume, VolumeMount};
use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `sql` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("sql")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_instance_configure())
        .resource_delete(resource_delete_instance_delete())
        .build()
}

/// Pipeline `instance-configure`.
fn resource_configure_instance_configure() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-configure")
        .container(Container {
            name: "gcp-configure-pipeline".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/gcp-configure-pipeline:v0.1.0".into(),
            volume_mounts: vec![VolumeMount {
                mount_path: "/creds".into(),
                name: "creds".into(),
                read_only: Some(true),
                ..VolumeMount::default()
            }],
            ..Container::default()
        })
        .volume(Volume {
            name: "creds".into(),
            secret: Some(SecretVolumeSource {
                items: Some(vec![
                    KeyToPath {
                        key: "project_id".into(),
                        path: "project_id".into(),
                        ..KeyToPath::default()
                    },
                    KeyToPath {
                        key: "credentialsjson".into(),
                        path: "credentials.json".into(),
                        ..KeyToPath::default()
                    },
                ]),
                secret_name: Some("gcp-credentials".into()),
                ..SecretVolumeSource::default()
            }),
            ..Volume::default()
        })
}

/// Pipeline `instance-delete`.
fn resource_delete_instance_delete() -> PipelineDef<GivenApi> {
    PipelineDef::new("instance-delete")
        .container(Container {
            name: "gcp-delete-pipeline".into(),
            image: "ghcr.io/syntasso/kratix-marketplace/gcp-configure-pipeline:v0.1.0".into(),
            volume_mounts: vec![VolumeMount {
                mount_path: "/creds".into(),
                name: "creds".into(),
                read_only: Some(true),
                ..VolumeMount::default()
            }],
            ..Container::default()
        })
        .volume(Volume {
            name: "creds".into(),
            secret: Some(SecretVolumeSource {
                items: Some(vec![
                    KeyToPath {
                        key: "project_id".into(),
                        path: "project_id".into(),
                        ..KeyToPath::default()
                    },
                    KeyToPath {
                        key: "credentialsjson".into(),
                        path: "credentials.json".into(),
                        ..KeyToPath::default()
                    },
                ]),
                secret_name: Some("gcp-credentials".into()),
                ..SecretVolumeSource::default()
            }),
            ..Volume::default()
        })
}
