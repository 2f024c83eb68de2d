//! Third-party containers beside typed steps, every Pipeline field set from the builder, an
//! API given as a CRD with resource workflows, and the checks every container gets.

use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, EmptyDirVolumeSource, EnvVar, ResourceRequirements, SecurityContext,
    Toleration, Volume, VolumeMount,
};
use k8s_openapi::api::rbac::v1::PolicyRule;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use promise_core::catalog::{Catalog, GivenApi, PromiseDefinition};
use promise_core::kratix::{Container, Permission, RestartPolicy};
use promise_core::pipeline::{
    Output, PipelineDef, PromiseRequest, Step, StepError, WorkflowAction, WorkflowType,
};
use promise_core::render::render;
use promise_local::{self as local, InProcess, Outcome, RunOptions};
use serde_json::{Value, json};

fn crd()
-> k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition {
    serde_json::from_value(json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "queues.example.org"},
        "spec": {
            "group": "example.org",
            "names": {"kind": "Queue", "plural": "queues", "singular": "queue"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1",
                "served": true,
                "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {"size": {"type": "integer", "default": 1}}}
                }}}
            }]
        }
    }))
    .expect("crd")
}

/// Writes a ConfigMap named after the request: typed code on an untyped request.
fn first(request: &PromiseRequest, out: &mut Output) -> Result<(), StepError> {
    let name = request.object["metadata"]["name"]
        .as_str()
        .unwrap_or("queue");
    let object = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("{name}-first")}, "data": {"size": request.object["spec"]["size"].to_string()}});
    out.write("first.yaml", &object)?;
    Ok(())
}

fn last(_: &PromiseRequest, out: &mut Output) -> Result<(), StepError> {
    out.status().field("message", "queued");
    Ok(())
}

fn every_field_pipeline() -> PipelineDef<GivenApi> {
    let legacy = Container {
        name: "legacy".into(),
        image: "ghcr.io/acme/legacy-queue:v3".into(),
        command: vec!["/bin/sh".into()],
        args: vec!["-c".into(), "cp /templates/* /kratix/output/".into()],
        env: vec![EnvVar {
            name: "MODE".into(),
            value: Some("legacy".into()),
            value_from: None,
        }],
        volume_mounts: vec![VolumeMount {
            name: "templates".into(),
            mount_path: "/templates".into(),
            ..VolumeMount::default()
        }],
        image_pull_policy: Some("IfNotPresent".into()),
        ..Container::default()
    };
    let mut limits = std::collections::BTreeMap::new();
    limits.insert("memory".to_string(), Quantity("64Mi".into()));
    PipelineDef::new("configure")
        .step(Step::object("first", first).env("STEP_ONLY", "1"))
        .container(legacy)
        .step(
            Step::object("last", last)
                .resources(ResourceRequirements {
                    limits: Some(limits),
                    ..ResourceRequirements::default()
                })
                .security_context(SecurityContext {
                    run_as_non_root: Some(true),
                    ..SecurityContext::default()
                }),
        )
        .image("ghcr.io/acme/promise-pipeline:v2")
        .image_pull_secret("registry")
        .backoff_limit(2)
        .node_selector("kubernetes.io/os", "linux")
        .toleration(Toleration {
            key: Some("dedicated".into()),
            operator: Some("Equal".into()),
            value: Some("pipelines".into()),
            effect: Some("NoSchedule".into()),
            ..Toleration::default()
        })
        .service_account("queue-pipelines")
        .permission(Permission {
            resource_namespace: Some("*".into()),
            rule: PolicyRule {
                api_groups: Some(vec![String::new()]),
                resources: Some(vec!["configmaps".into()]),
                verbs: vec!["get".into()],
                ..PolicyRule::default()
            },
        })
        .restart_policy(RestartPolicy::Never)
        .volume(Volume {
            name: "templates".into(),
            config_map: Some(ConfigMapVolumeSource {
                name: "queue-templates".into(),
                ..ConfigMapVolumeSource::default()
            }),
            ..Volume::default()
        })
        .volume(Volume {
            name: "scratch".into(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Volume::default()
        })
        .volume_mount(VolumeMount {
            name: "scratch".into(),
            mount_path: "/scratch".into(),
            ..VolumeMount::default()
        })
        .label("team", "queues")
        .annotation("example.org/owner", "queues")
}

fn catalog(pipeline: PipelineDef<GivenApi>) -> Catalog {
    Catalog::new().image(promise_tests::TEST_IMAGE).with(
        PromiseDefinition::builder("queue")
            .version("v1.0.0")
            .destination_selector([("environment", "dev")])
            .api_crd(crd())
            .example_object(json!({"apiVersion": "example.org/v1", "kind": "Queue", "metadata": {"name": "orders", "namespace": "default"}, "spec": {"size": 3}}))
            .resource_configure(pipeline)
            .build(),
    )
}

fn rendered_pipeline(catalog: &Catalog) -> (Value, Value) {
    let rendered = render(catalog).unwrap_or_else(|p| panic!("{p}"));
    let promise: Value =
        serde_saphyr::from_str(&rendered.files["queue/promise.yaml"]).expect("yaml");
    let pipeline = promise["spec"]["workflows"]["resource"]["configure"][0].clone();
    (promise, pipeline)
}

#[test]
fn every_pipeline_field_renders_from_the_builder() {
    let (_, pipeline) = rendered_pipeline(&catalog(every_field_pipeline()));
    let spec = &pipeline["spec"];
    let names: Vec<&str> = spec["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["first", "legacy", "last"]);
    let [first, legacy, last] = [0, 1, 2].map(|i| &spec["containers"][i]);
    // Steps run the pipeline binary from the pipeline's own image.
    assert_eq!(first["image"], "ghcr.io/acme/promise-pipeline:v2");
    assert_eq!(first["args"], json!(["queue", "first"]));
    assert_eq!(first["env"], json!([{"name": "STEP_ONLY", "value": "1"}]));
    assert_eq!(first["volumeMounts"][0]["mountPath"], "/scratch");
    assert_eq!(first["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(last["resources"]["limits"]["memory"], "64Mi");
    assert_eq!(last["securityContext"], json!({"runAsNonRoot": true}));
    assert!(last.get("env").is_none(), "{last}");
    // The third-party container, as given.
    assert_eq!(legacy["image"], "ghcr.io/acme/legacy-queue:v3");
    assert_eq!(legacy["imagePullPolicy"], "IfNotPresent");
    assert_eq!(legacy["volumeMounts"][0]["name"], "templates");
    assert!(legacy.get("securityContext").is_none(), "{legacy}");
    // Pod settings.
    assert_eq!(spec["imagePullSecrets"], json!([{"name": "registry"}]));
    assert_eq!(spec["jobOptions"], json!({"backoffLimit": 2}));
    assert_eq!(spec["nodeSelector"], json!({"kubernetes.io/os": "linux"}));
    assert_eq!(spec["tolerations"][0]["key"], "dedicated");
    assert_eq!(spec["rbac"]["serviceAccount"], "queue-pipelines");
    assert_eq!(spec["rbac"]["permissions"][0]["resourceNamespace"], "*");
    assert_eq!(spec["restartPolicy"], "Never");
    assert_eq!(spec["volumes"][0]["configMap"]["name"], "queue-templates");
    assert_eq!(spec["volumes"][1]["name"], "scratch");
    assert_eq!(pipeline["metadata"]["labels"], json!({"team": "queues"}));
    assert_eq!(
        pipeline["metadata"]["annotations"],
        json!({"example.org/owner": "queues"})
    );
}

fn options(stand_ins: &[(&str, &str)]) -> RunOptions {
    let mut options = RunOptions::new(
        WorkflowType::Resource,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    options.stand_ins = stand_ins
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    options
}

const REQUEST: &str = "apiVersion: example.org/v1\nkind: Queue\nmetadata:\n  name: orders\n  namespace: default\nspec:\n  size: 3\n";

#[test]
fn a_third_party_container_between_two_typed_steps_runs_through_its_stand_in() {
    let catalog = catalog(every_field_pipeline());
    let (promise, _) = rendered_pipeline(&catalog);
    // The stand-in sees the first step's output and the request, as the container would.
    let stand_in = r#"test -f output/first.yaml && grep -q 'name: orders' input/object.yaml && test "$MODE" = legacy && printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: legacy\n' > "$KRATIX_ROOT/output/legacy.yaml""#;
    let report = local::run(
        &promise,
        Some(REQUEST),
        &options(&[("legacy", stand_in)]),
        &mut InProcess(&catalog),
        &mut |_| {},
    )
    .expect("admitted");
    let ran: Vec<(&str, bool)> = report
        .containers
        .iter()
        .map(|c| (c.container.as_str(), c.ok))
        .collect();
    assert_eq!(
        ran,
        [("first", true), ("legacy", true), ("last", true)],
        "{:#?}",
        report.containers
    );
    assert_eq!(report.outcome, Outcome::Completed);
    assert_eq!(report.status["message"], "queued");
    let written: Vec<&String> = report.state_store.keys().collect();
    for file in ["first.yaml", "legacy.yaml"] {
        assert!(
            written.iter().any(|p| p.ends_with(file)),
            "{file}: {written:#?}"
        );
    }
    assert!(
        report
            .state_store
            .values()
            .any(|content| content.contains("size: '3'") || content.contains("size: \"3\"")),
        "{:#?}",
        report.state_store
    );
}

/// Why `promise` cannot run: an `Unrunnable` error, before any pipeline starts.
fn unrunnable(catalog: &Catalog, promise: &Value) -> String {
    let error = local::run(
        promise,
        Some(REQUEST),
        &options(&[]),
        &mut InProcess(catalog),
        &mut |_| panic!("nothing may run"),
    )
    .expect_err("the run is refused");
    assert!(matches!(error, local::RunError::Unrunnable(_)), "{error:?}");
    error.to_string()
}

/// The runner reads the Promise as Kratix's controller does: a pipeline Kratix would refuse
/// (a container field it does not accept) stops the run before anything runs, named.
#[test]
fn a_promise_kratix_cannot_read_stops_the_run_before_anything_runs() {
    let catalog = catalog(every_field_pipeline());
    let (mut promise, _) = rendered_pipeline(&catalog);
    let container =
        &mut promise["spec"]["workflows"]["resource"]["configure"][0]["spec"]["containers"][0];
    container["livenessProbe"] = json!({"exec": {"command": ["true"]}});
    let error = unrunnable(&catalog, &promise);
    assert!(
        error.contains("does not read as Kratix reads it") && error.contains("livenessProbe"),
        "{error}"
    );
}

#[test]
fn a_third_party_container_without_a_stand_in_stops_the_run_before_anything_runs() {
    let catalog = catalog(every_field_pipeline());
    let (promise, _) = rendered_pipeline(&catalog);
    let error = unrunnable(&catalog, &promise);
    assert!(
        error.contains("container \"legacy\"")
            && error.contains("ghcr.io/acme/legacy-queue:v3")
            && error.contains("--stand-in legacy="),
        "{error}"
    );
}

#[test]
fn a_failing_stand_in_fails_the_pipeline_with_its_output() {
    let catalog = catalog(every_field_pipeline());
    let (promise, _) = rendered_pipeline(&catalog);
    let report = local::run(
        &promise,
        Some(REQUEST),
        &options(&[("legacy", "echo template missing >&2; exit 3")]),
        &mut InProcess(&catalog),
        &mut |_| {},
    )
    .expect("admitted");
    match report.outcome {
        Outcome::Failed(message) => assert!(
            message.contains("container legacy") && message.contains("template missing"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(report.state_store.is_empty());
}

#[test]
fn every_container_gets_the_pod_checks() {
    let bad = Container {
        name: "work-writer".into(),
        image: "busybox".into(),
        image_pull_policy: Some("Sometimes".into()),
        volume_mounts: vec![
            VolumeMount {
                name: "shared-output".into(),
                mount_path: "/kratix/output/".into(),
                ..VolumeMount::default()
            },
            VolumeMount {
                name: "nowhere".into(),
                mount_path: "/data".into(),
                ..VolumeMount::default()
            },
        ],
        ..Container::default()
    };
    let pipeline = PipelineDef::new("configure")
        .step(Step::object("first", first))
        .container(bad)
        .container(Container {
            name: "first".into(),
            image: "busybox".into(),
            ..Container::default()
        })
        .volume(Volume {
            name: "shared-output".into(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Volume::default()
        })
        .label("kratix.io/promise-name", "other")
        .label("team", "not valid!")
        .backoff_limit(-1);
    let problems = render(&catalog(pipeline)).expect_err("refused").to_string();
    for expected in [
        r#"containers[1].name = "work-writer": Kratix adds a container of this name"#,
        r#"containers[1].imagePullPolicy = "Sometimes": must be one of Always, IfNotPresent, Never"#,
        r#"containers[1].volumeMounts[0].mountPath = "/kratix/output/": Kratix mounts its shared volumes here"#,
        r#"containers[1].volumeMounts[1].name = "nowhere": Not found"#,
        r#"spec.volumes[0].name = "shared-output": Kratix adds a volume of this name"#,
        r#"containers[2].name = "first": container names must be unique"#,
        r#"metadata.labels = "kratix.io/promise-name": Kratix sets this label on the pipeline's Job"#,
        r#"spec.jobOptions.backoffLimit = "-1": must be greater than or equal to 0"#,
        r#"metadata.labels["team"] = "not valid!": label value"#,
    ] {
        assert!(problems.contains(expected), "{expected}\n{problems}");
    }
}

#[test]
fn untyped_steps_refuse_input_without_a_kind_or_name() {
    let catalog = catalog(PipelineDef::new("configure").step(Step::object("first", first)));
    let run = |input: &str| {
        promise_core::pipeline::dispatch::run(&catalog, &["queue".into(), "first".into()], |k| {
            match k {
                "KRATIX_PROMISE_NAME" => Some("queue".into()),
                "KRATIX_WORKFLOW_TYPE" => Some("resource".into()),
                "KRATIX_WORKFLOW_ACTION" => Some("configure".into()),
                "KRATIX_PIPELINE_NAME" => Some("configure".into()),
                "KRATIX_ROOT" => Some(input.into()),
                _ => None,
            }
        })
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("input")).expect("mkdir");
    std::fs::write(
        dir.path().join("input/object.yaml"),
        "apiVersion: example.org/v1\nmetadata:\n  name: orders\n  namespace: default\n",
    )
    .expect("write");
    let error = run(dir.path().to_str().expect("utf-8"))
        .expect_err("no kind")
        .to_string();
    assert!(error.contains("kind"), "{error}");
}
