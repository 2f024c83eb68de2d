//! Promise workflows, pipeline settings and the pipeline checks, on a small test catalog.

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::api::rbac::v1::PolicyRule;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::kratix::{GoDuration, Permission};
use promise_core::pipeline::{
    Output, PipelineDef, PromiseRequest, Request, Step, StepError, dispatch,
};
use promise_core::promise_api;
use promise_core::render::render;

/// A queue.
#[promise_api(group = "test.example.com", version = "v1", kind = "Queue")]
pub struct QueueSpec {
    /// Partitions.
    pub partitions: i32,
}

fn announce(promise: &PromiseRequest, out: &mut Output) -> Result<(), StepError> {
    let name = promise
        .object
        .pointer("/metadata/name")
        .and_then(|v| v.as_str())
        .unwrap_or("?");
    out.write("operator/namespace.yaml", &serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "queues"}}))?;
    out.select(Some("operator"), [("role", "operators")]);
    out.status().message(format!("Promise {name} configured"));
    Ok(())
}

fn configure(queue: &Request<Queue>, out: &mut Output) -> Result<(), StepError> {
    out.write(
        "queue.yaml",
        &serde_json::json!({"partitions": queue.spec.partitions}),
    )
}

fn other_configure(_: &Request<Queue>, _: &mut Output) -> Result<(), StepError> {
    Ok(())
}

fn catalog(pipeline_name: &str) -> Catalog {
    let mut request = Queue::new("orders", QueueSpec { partitions: 3 });
    request.metadata.namespace = Some("default".into());
    let resources = ResourceRequirements {
        limits: Some([("memory".to_string(), Quantity("64Mi".into()))].into()),
        ..ResourceRequirements::default()
    };
    let permission = Permission {
        resource_namespace: Some("*".into()),
        rule: PolicyRule {
            api_groups: Some(vec![String::new()]),
            resources: Some(vec!["secrets".into()]),
            verbs: vec!["get".into()],
            ..PolicyRule::default()
        },
    };
    Catalog::new()
        .image(promise_tests::TEST_IMAGE)
        .image("registry.example.com/promise-pipeline:test")
        .with(
            PromiseDefinition::builder("queue")
                .version("v1")
                .api::<Queue>()
                .example(request)
                .reconciliation_interval(GoDuration::from_secs(3600))
                .promise_configure(
                    PipelineDef::new("announce").step(Step::promise("announce", announce)),
                )
                .resource_configure(
                    PipelineDef::new(pipeline_name)
                        .step(Step::resource("configure", configure))
                        .env("LOG_LEVEL", "debug")
                        .secret_env("TOKEN", "queue-admin", "token")
                        .secret_volume("creds", "queue-creds", "/var/run/creds")
                        .resources(resources)
                        .permission(permission),
                )
                .build(),
        )
}

#[test]
fn pipeline_settings_render_on_every_container() {
    let rendered = render(&catalog("configure-queue")).unwrap_or_else(|p| panic!("{p}"));
    let yaml = &rendered.files["queue/promise.yaml"];
    let workflows = &yaml[yaml.find("  workflows:").expect("workflows")..];
    insta::assert_snapshot!(workflows);
}

#[test]
fn a_promise_workflow_reads_the_promise_and_keeps_only_message() {
    let catalog = catalog("configure-queue");
    let root = std::env::temp_dir().join(format!("promise-workflow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("input")).expect("mkdir");
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    std::fs::write(
        root.join("input/object.yaml"),
        rendered.files["queue/promise.yaml"].as_bytes(),
    )
    .expect("write");
    let vars = [
        ("KRATIX_ROOT", root.display().to_string()),
        ("KRATIX_WORKFLOW_ACTION", "configure".to_string()),
        ("KRATIX_WORKFLOW_TYPE", "promise".to_string()),
        ("KRATIX_PROMISE_NAME", "queue".to_string()),
        ("KRATIX_PIPELINE_NAME", "announce".to_string()),
    ];
    let var = |n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
    let args = ["queue".to_string(), "announce".to_string()];
    let report = dispatch::run(&catalog, &args, var).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report,
        "queue/announce: wrote output/operator/namespace.yaml, metadata/status.yaml, metadata/destination-selectors.yaml"
    );
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect("read");
    assert_eq!(
        read("metadata/status.yaml"),
        "message: Promise queue configured\n"
    );
    assert_eq!(
        read("metadata/destination-selectors.yaml"),
        "- directory: operator\n  matchLabels:\n    role: operators\n"
    );

    // A resource step given the Promise as input is refused: the kinds differ.
    let vars2 = [
        ("KRATIX_ROOT", root.display().to_string()),
        ("KRATIX_WORKFLOW_ACTION", "configure".to_string()),
        ("KRATIX_WORKFLOW_TYPE", "resource".to_string()),
        ("KRATIX_PROMISE_NAME", "queue".to_string()),
        ("KRATIX_PIPELINE_NAME", "configure-queue".to_string()),
    ];
    let var2 = |n: &str| vars2.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
    let err = dispatch::run(
        &catalog,
        &["queue".to_string(), "configure".to_string()],
        var2,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"apiVersion: "platform.kratix.io/v1alpha1": must be "test.example.com/v1": this step handles test.example.com/v1 objects only"#
    );
    std::fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn a_pipeline_name_kratix_cannot_use_is_reported() {
    let long = "configure-the-queue-with-a-very-long-pipeline-name";
    let problems = render(&catalog(long)).expect_err("too long");
    let found: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(&format!(
            r#"promise "queue": spec.workflows.resource.configure[0].metadata.name = "{long}": Kratix names the pipeline's ServiceAccount "queue-resource-configure-{long}" (75 characters), which must be at most 60"#
        )),
        "{found:#?}"
    );
}

#[test]
fn two_steps_with_one_name_are_reported() {
    let def = PromiseDefinition::builder("queue")
        .version("v1")
        .api::<Queue>()
        .example({
            let mut q = Queue::new("q", QueueSpec { partitions: 1 });
            q.metadata.namespace = Some("default".into());
            q
        })
        .resource_configure(PipelineDef::new("first").step(Step::resource("configure", configure)))
        .resource_configure(
            PipelineDef::new("second").step(Step::resource("configure", other_configure)),
        )
        .build();
    let problems = render(&Catalog::new().image(promise_tests::TEST_IMAGE).with(def))
        .expect_err("ambiguous step");
    let found: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            r#"promise "queue": pipeline "second" step = "configure": another step of this promise has the same name; the pipeline binary finds steps by name"#
        ]
    );
}

#[derive(serde::Deserialize)]
struct QueueConfig {
    #[allow(dead_code)]
    broker: String,
}

fn configured(
    queue: &Request<Queue>,
    config: &QueueConfig,
    out: &mut Output,
) -> Result<(), StepError> {
    out.write(
        "queue.yaml",
        &serde_json::json!({"partitions": queue.spec.partitions, "broker": config.broker}),
    )
}

#[test]
fn a_step_reading_configuration_the_pipeline_lacks_is_reported() {
    let mut q = Queue::new("q", QueueSpec { partitions: 1 });
    q.metadata.namespace = Some("default".into());
    let def = |pipeline: PipelineDef<Queue>| {
        Catalog::new().image(promise_tests::TEST_IMAGE).with(
            PromiseDefinition::builder("queue")
                .version("v1")
                .api::<Queue>()
                .example(q.clone())
                .resource_configure(pipeline)
                .build(),
        )
    };
    let step = || Step::resource_configured("configure", configured);
    let missing =
        render(&def(PipelineDef::new("configure-queue").step(step()))).expect_err("no config");
    assert_eq!(
        missing.0[0].to_string(),
        r#"promise "queue": pipeline "configure-queue" step "configure" config: missing: this step reads its configuration from PROMISE_CONFIG; set it with PipelineDef::config"#
    );
    let wrong = render(&def(PipelineDef::new("configure-queue")
        .config(&serde_json::json!({"brokers": []}))
        .step(step())))
    .expect_err("wrong config");
    assert!(
        wrong.0[0]
            .to_string()
            .contains("does not fit the step's configuration type: missing field `broker`"),
        "{wrong}"
    );
    let good = render(&def(PipelineDef::new("configure-queue")
        .config(&serde_json::json!({"broker": "kafka:9092"}))
        .step(step())));
    let rendered = good.unwrap_or_else(|p| panic!("{p}"));
    assert!(
        rendered.files["queue/promise.yaml"].contains(r#"value: "{\"broker\":\"kafka:9092\"}""#),
        "{}",
        rendered.files["queue/promise.yaml"]
    );
}
