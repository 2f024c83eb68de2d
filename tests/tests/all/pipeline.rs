//! Each promise's workflows, run in-process exactly as the rendered Promise describes them
//! (pipeline by pipeline, container by container, with the `KRATIX_*` variables Kratix sets),
//! over fixture requests, valid and adversarial. The snapshots pin each step's result, the
//! files written, the status, and the error text.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use promise_core::catalog::Catalog;
use promise_core::pipeline::dispatch;
use promise_core::render::{Rendered, render};
use serde_json::Value;

/// The catalog, built once for every test of this binary that runs a step.
pub(crate) static CATALOG: LazyLock<Catalog> = LazyLock::new(promises::catalog);

/// The catalog rendered once.
pub(crate) static RENDERED: LazyLock<Rendered> =
    LazyLock::new(|| render(&CATALOG).unwrap_or_else(|p| panic!("{p}")));

/// Every promise of the catalog, rendered once and read as Kratix reads it, by name.
pub(crate) static RENDERED_PROMISES: LazyLock<BTreeMap<String, Value>> = LazyLock::new(|| {
    RENDERED
        .files
        .iter()
        .filter_map(|(path, text)| {
            let name = path.strip_suffix("/promise.yaml")?;
            Some((
                name.to_string(),
                serde_saphyr::from_str(text).expect("rendered YAML"),
            ))
        })
        .collect()
});

/// A fresh `KRATIX_ROOT` with `input/object.yaml` holding `input`.
pub(crate) fn kratix_root(input: &[u8]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "kratix-root-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&root);
    for dir in ["input", "output", "metadata"] {
        fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    fs::write(root.join("input/object.yaml"), input).expect("write input");
    root
}

/// The platform's Destinations, as `cargo xtask run` schedules to them.
pub(crate) fn destinations() -> Vec<promise_local::Destination> {
    promise_local::platform_destinations(&promises::platform::definition())
}

/// The rendered Promise named `promise`, as Kratix would read it.
pub(crate) fn rendered_promise(promise: &str) -> Value {
    RENDERED_PROMISES
        .get(promise)
        .unwrap_or_else(|| panic!("the catalog renders no promise {promise:?}"))
        .clone()
}

/// Runs the resource configure workflow of the rendered `promise` for `request`, as `cargo
/// xtask run` does, with the catalog's steps run in-process (or `executor`'s containers) and
/// the platform's Destinations. `Err` when the request is not admitted.
pub(crate) fn configure(
    promise: &Value,
    request: &str,
    executor: Option<&mut dyn promise_local::Executor>,
) -> Result<promise_local::RunReport, promise_local::RunError> {
    use promise_core::pipeline::{WorkflowAction, WorkflowType};
    use promise_local::{self as local, InProcess, RunOptions};
    let options = RunOptions::new(
        WorkflowType::Resource,
        WorkflowAction::Configure,
        crate::pipeline::destinations(),
    );
    match executor {
        Some(executor) => local::run(promise, Some(request), &options, executor, &mut |_| {}),
        None => {
            let mut in_process = InProcess(&CATALOG);
            local::run(
                promise,
                Some(request),
                &options,
                &mut in_process,
                &mut |_| {},
            )
        }
    }
}

/// Runs the `ty`.`action` workflow of `promise` in `root`; returns a transcript of each
/// container's result. Stops at the first failing container, as Kratix does.
pub(crate) fn run_workflow(promise: &str, ty: &str, action: &str, root: &Path) -> String {
    let catalog = &*CATALOG;
    let object: Value = fs::read(root.join("input/object.yaml"))
        .ok()
        .and_then(|b| serde_saphyr::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let meta = |key: &str| {
        object
            .pointer(&format!("/metadata/{key}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let promise_object = rendered_promise(promise);
    let pipelines = promise_object["spec"]["workflows"][ty][action]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut transcript = Vec::new();
    for pipeline in &pipelines {
        let pipeline_name = pipeline["metadata"]["name"]
            .as_str()
            .expect("pipeline name")
            .to_string();
        for container in pipeline["spec"]["containers"]
            .as_array()
            .expect("containers")
        {
            let args: Vec<String> = container["args"]
                .as_array()
                .expect("args")
                .iter()
                .map(|a| a.as_str().expect("arg").to_string())
                .collect();
            let vars = [
                ("KRATIX_ROOT", root.display().to_string()),
                ("KRATIX_WORKFLOW_ACTION", action.to_string()),
                ("KRATIX_WORKFLOW_TYPE", ty.to_string()),
                ("KRATIX_PROMISE_NAME", promise.to_string()),
                ("KRATIX_PIPELINE_NAME", pipeline_name.clone()),
                ("KRATIX_OBJECT_NAME", meta("name")),
                ("KRATIX_OBJECT_NAMESPACE", meta("namespace")),
                ("KRATIX_CLUSTER_SCOPED", "false".into()),
                // Time is an input: pinned as `cargo xtask run` pins it.
                (
                    promise_core::pipeline::NOW_VAR,
                    promise_local::PINNED_NOW.into(),
                ),
            ];
            // The container's own variables, as rendered (the pipeline's configuration among them).
            let rendered_env: Vec<(String, String)> = container["env"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| {
                    Some((
                        e["name"].as_str()?.to_string(),
                        e["value"].as_str()?.to_string(),
                    ))
                })
                .collect();
            let var = |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone())
                    .or_else(|| {
                        rendered_env
                            .iter()
                            .find(|(k, _)| k == name)
                            .map(|(_, v)| v.clone())
                    })
            };
            let step = format!(
                "{pipeline_name}/{}",
                container["name"].as_str().unwrap_or("?")
            );
            match dispatch::run(catalog, &args, var) {
                Ok(report) => transcript.push(format!("{step}: ok: {report}")),
                Err(error) => {
                    transcript.push(format!("{step}: error: {error}"));
                    return transcript.join("\n");
                }
            }
        }
    }
    transcript.join("\n")
}

/// Every file under `output/` and `metadata/`, with its content.
pub(crate) fn written(root: &Path) -> String {
    let mut files = Vec::new();
    for dir in ["output", "metadata"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).expect("read_dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path
                        .strip_prefix(root)
                        .expect("prefix")
                        .display()
                        .to_string();
                    files.push(format!(
                        "--- {rel}\n{}",
                        fs::read_to_string(&path).expect("read")
                    ));
                }
            }
        }
    }
    files.sort();
    if files.is_empty() {
        "(nothing written)".into()
    } else {
        files.join("")
    }
}

#[test]
fn configure_workflows() {
    // `tests/fixtures/<promise>/<request>.yaml`: each request through its promise's workflow.
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"),
        "*/*.yaml",
        |path| {
            let promise = path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .expect("promise folder");
            let root = kratix_root(&fs::read(path).expect("fixture"));
            let transcript = run_workflow(promise, "resource", "configure", &root);
            insta::assert_snapshot!(format!("{transcript}\n\n{}", written(&root)));
            fs::remove_dir_all(&root).expect("cleanup");
        }
    );
}

#[test]
fn database_delete_reports_and_writes_no_output() {
    let fixture = promise_tests::workspace_root().join("tests/fixtures/database/orders-db.yaml");
    let root = kratix_root(&fs::read(fixture).expect("fixture"));
    let transcript = run_workflow("database", "resource", "delete", &root);
    insta::assert_snapshot!(format!("{transcript}\n\n{}", written(&root)));
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn running_a_workflow_twice_gives_identical_output() {
    let fixture = promise_tests::workspace_root().join("tests/fixtures/database/orders-db.yaml");
    let root = kratix_root(&fs::read(fixture).expect("fixture"));
    let first = run_workflow("database", "resource", "configure", &root);
    let first_files = written(&root);
    let second = run_workflow("database", "resource", "configure", &root);
    crate::compare::assert_same_text("the second run's transcript", &first, &second);
    crate::compare::assert_same_text("the second run's files", &first_files, &written(&root));
    assert!(
        first_files.contains("output/namespace.yaml"),
        "{first_files}"
    );
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn a_failing_step_leaves_earlier_output_untouched() {
    let fixture = promise_tests::workspace_root().join("tests/fixtures/database/orders-db.yaml");
    let root = kratix_root(&fs::read(fixture).expect("fixture"));
    run_workflow("database", "resource", "configure", &root);
    let before = written(&root);
    fs::write(root.join("input/object.yaml"), "spec: [broken").expect("write");
    let transcript = run_workflow("database", "resource", "configure", &root);
    assert!(
        transcript.contains("error: input/object.yaml: not valid YAML"),
        "{transcript}"
    );
    assert_eq!(before, written(&root));
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn huge_inputs_are_refused_without_parsing() {
    let mut input =
        b"apiVersion: platform.aleklab.com/v1alpha1\nkind: Database\nspec:\n  name: \"".to_vec();
    input.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024));
    input.extend(b"\"\n");
    let root = kratix_root(&input);
    let transcript = run_workflow("database", "resource", "configure", &root);
    assert!(
        transcript.ends_with(&format!(
            "error: input/object.yaml: is {} bytes, more than the 4194304 accepted; it was not read",
            input.len()
        )),
        "{transcript}"
    );
    assert_eq!(written(&root), "(nothing written)");
    fs::remove_dir_all(&root).expect("cleanup");
}

/// Every object the pipelines write, over every fixture: core objects deserialize into their
/// k8s-openapi types; requests for other promises validate against those promises' APIs.
#[test]
fn every_object_written_is_a_valid_object_of_its_kind() {
    use k8s_openapi::api::{apps::v1::Deployment, core::v1, networking::v1 as net};
    let fixtures = promise_tests::workspace_root().join("tests/fixtures");
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for promise_dir in fs::read_dir(&fixtures).expect("fixtures") {
        let promise_dir = promise_dir.expect("entry").path();
        let promise = promise_dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        for fixture in fs::read_dir(&promise_dir).expect("fixtures") {
            let root = kratix_root(&fs::read(fixture.expect("entry").path()).expect("fixture"));
            run_workflow(&promise, "resource", "configure", &root);
            let mut stack = vec![root.join("output")];
            while let Some(dir) = stack.pop() {
                for entry in fs::read_dir(&dir).expect("read_dir") {
                    let path = entry.expect("entry").path();
                    if path.is_dir() {
                        stack.push(path);
                        continue;
                    }
                    let text = fs::read_to_string(&path).expect("read");
                    let value: Value = serde_saphyr::from_str(&text).expect("YAML");
                    let kind = value["kind"].as_str().expect("kind").to_string();
                    let shown = path.display().to_string();
                    match kind.as_str() {
                        "Namespace" => {
                            drop(serde_saphyr::from_str::<v1::Namespace>(&text).expect(&shown))
                        }
                        "ResourceQuota" => {
                            drop(serde_saphyr::from_str::<v1::ResourceQuota>(&text).expect(&shown))
                        }
                        "Service" => {
                            drop(serde_saphyr::from_str::<v1::Service>(&text).expect(&shown))
                        }
                        "Deployment" => {
                            drop(serde_saphyr::from_str::<Deployment>(&text).expect(&shown))
                        }
                        "NetworkPolicy" => {
                            drop(serde_saphyr::from_str::<net::NetworkPolicy>(&text).expect(&shown))
                        }
                        "Ingress" => {
                            drop(serde_saphyr::from_str::<net::Ingress>(&text).expect(&shown))
                        }
                        "Database" => {
                            // A request for the database promise: its own API must accept it.
                            let api = &rendered_promise("database")["spec"]["api"];
                            let api: k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition =
                                serde_json::from_value(api.clone()).expect("crd");
                            let schema = api.spec.versions[0]
                                .schema
                                .as_ref()
                                .and_then(|s| s.open_api_v3_schema.as_ref())
                                .expect("schema");
                            let violations = promise_core::schema::validate_object(&value, schema);
                            assert!(violations.is_empty(), "{shown}: {violations:#?}");
                        }
                        "XDatabase" | "XBucket" => {}
                        other => panic!("{shown}: unexpected kind {other}"),
                    }
                    *seen.entry(kind).or_default() += 1;
                }
            }
            fs::remove_dir_all(&root).expect("cleanup");
        }
    }
    for kind in [
        "Namespace",
        "ResourceQuota",
        "Service",
        "Deployment",
        "NetworkPolicy",
        "Ingress",
        "Database",
        "XDatabase",
        "XBucket",
    ] {
        assert!(
            seen.contains_key(kind),
            "no fixture produced a {kind}: {seen:?}"
        );
    }
}
