//! Imported by `cargo xtask import` from `kratix/test/system/assets/compound-promise/promise.yaml`: the Promise `compound-promise`.
//!
//! Its pipelines run their original images as third-party containers: replace them by
//! typed steps one at a time (README, "Migrating an existing promise").

pub mod api;

use promise_core::catalog::{GivenApi, PromiseDefinition};
use promise_core::kratix::Container;
use promise_core::pipeline::PipelineDef;

/// The `compound-promise` Promise, as imported.
pub fn promise() -> PromiseDefinition {
    PromiseDefinition::builder("compound-promise")
        // Kratix accepts a Promise without `kratix.io/promise-version`, but PromiseRelease refuses it.
        .unversioned()
        .requires("sub-promise", Some("v1.0.0"))
        .api_crd_yaml(include_str!("api.yaml"))
        // The imported Promise has no example request.
        .no_example()
        .resource_configure(resource_configure_do_nothing())
        .build()
}

/// Pipeline `do-nothing`.
fn resource_configure_do_nothing() -> PipelineDef<GivenApi> {
    PipelineDef::new("do-nothing").container(Container {
        name: "do-nothing-with-care".into(),
        image: "busybox".into(),
        command: vec!["/bin/sh".into()],
        args: vec!["-c".into(), r#"echo "I am doing nothing""#.into()],
        ..Container::default()
    })
}
