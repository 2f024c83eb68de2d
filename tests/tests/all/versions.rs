//! An API serving several versions: one storage version, per-version printer columns and
//! deprecation warnings; a request of any served version reaches typed steps as the storage
//! version, as Kratix's reader reads it.

use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::pipeline::{
    Output, PipelineDef, Request, Step, StepError, WorkflowAction, WorkflowType,
};
use promise_core::render::render;
use promise_local::{self as local, InProcess, Outcome, RunOptions};
use serde_json::Value;

mod v1alpha1 {
    use promise_core::promise_api;

    /// A message queue (first version).
    #[promise_api(
        group = "queues.example.com",
        version = "v1alpha1",
        kind = "Queue",
        deprecated = "queues.example.com/v1alpha1 Queue is deprecated; use v1beta1",
        printcolumn(name = "Size", json_path = ".spec.size")
    )]
    pub struct QueueSpec {
        /// Messages kept.
        pub size: i32,
    }
}

mod v1beta1 {
    use promise_core::promise_api;

    /// A message queue.
    #[promise_api(
        group = "queues.example.com",
        version = "v1beta1",
        kind = "Queue",
        printcolumn(name = "Size", json_path = ".spec.size"),
        printcolumn(
            name = "Retention",
            json_path = ".spec.retentionHours",
            type_ = "integer"
        )
    )]
    pub struct QueueSpec {
        /// Messages kept.
        pub size: i32,
        /// Hours messages are kept.
        #[serde(default = "default_retention")]
        pub retention_hours: i32,
    }

    fn default_retention() -> i32 {
        24
    }
}

fn record(request: &Request<v1beta1::Queue>, out: &mut Output) -> Result<(), StepError> {
    out.status()
        .field("seenRetention", request.spec.retention_hours)
        .field("seenSize", request.spec.size);
    Ok(())
}

fn catalog() -> Catalog {
    Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("queue")
            .version("v1.0.0")
            .destination_selector([("environment", "dev")])
            .api::<v1beta1::Queue>()
            .also_serves::<v1alpha1::Queue>()
            .example(v1beta1::Queue::new(
                "orders",
                v1beta1::QueueSpec {
                    size: 3,
                    retention_hours: 24,
                },
            ))
            .resource_configure(
                PipelineDef::new("configure").step(Step::resource("record", record)),
            )
            .build(),
    )
}

fn rendered_promise() -> Value {
    let rendered = render(&catalog()).unwrap_or_else(|p| panic!("{p}"));
    serde_saphyr::from_str(&rendered.files["queue/promise.yaml"]).expect("yaml")
}

#[test]
fn both_versions_are_served_and_only_the_named_one_is_stored() {
    let promise = rendered_promise();
    let versions = promise["spec"]["api"]["spec"]["versions"]
        .as_array()
        .expect("versions");
    let by_name = |name: &str| {
        versions
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {versions:#?}"))
    };
    let (alpha, beta) = (by_name("v1alpha1"), by_name("v1beta1"));
    assert_eq!(beta["storage"], true);
    assert_eq!(alpha["storage"], false);
    assert_eq!(alpha["served"], true);
    assert_eq!(alpha["deprecated"], true);
    assert_eq!(
        alpha["deprecationWarning"],
        "queues.example.com/v1alpha1 Queue is deprecated; use v1beta1"
    );
    let columns = |v: &Value| -> Vec<String> {
        v["additionalPrinterColumns"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(columns(alpha), ["Size"]);
    assert_eq!(columns(beta), ["Size", "Retention"]);
}

#[test]
fn a_request_of_the_old_version_reaches_typed_steps_as_the_storage_version() {
    let request = "apiVersion: queues.example.com/v1alpha1\nkind: Queue\nmetadata:\n  name: orders\n  namespace: default\nspec:\n  size: 5\n";
    let catalog = catalog();
    let options = RunOptions::new(
        WorkflowType::Resource,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    let report = local::run(
        &rendered_promise(),
        Some(request),
        &options,
        &mut InProcess(&catalog),
        &mut |_| {},
    )
    .expect("admitted");
    assert_eq!(
        report.outcome,
        Outcome::Completed,
        "{:#?}",
        report.containers
    );
    assert_eq!(report.status["seenSize"], 5);
    // The storage version's default, applied when the object is read as v1beta1.
    assert_eq!(report.status["seenRetention"], 24);
    let unserved = request.replace("v1alpha1", "v1");
    let error = local::run(
        &rendered_promise(),
        Some(&unserved),
        &options,
        &mut InProcess(&catalog),
        &mut |_| {},
    )
    .expect_err("not served")
    .to_string();
    assert!(
        error.contains("queues.example.com/v1beta1 or queues.example.com/v1alpha1"),
        "{error}"
    );
}

mod other {
    use promise_core::promise_api;

    /// Another kind in the same group.
    #[promise_api(group = "queues.example.com", version = "v1", kind = "Topic")]
    pub struct TopicSpec {
        pub partitions: i32,
    }
}

#[test]
fn versions_of_different_kinds_are_refused() {
    let catalog = Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("queue")
            .version("v1.0.0")
            .api::<v1beta1::Queue>()
            .also_serves::<other::Topic>()
            .example(v1beta1::Queue::new(
                "orders",
                v1beta1::QueueSpec {
                    size: 3,
                    retention_hours: 24,
                },
            ))
            .build(),
    );
    let problems = render(&catalog).expect_err("refused").to_string();
    assert!(
        problems.contains("spec.api.spec.names")
            && problems.contains("must have the storage version's names"),
        "{problems}"
    );
}
