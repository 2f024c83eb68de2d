//! Checked by the real thing: `kubeoracle` (the apiserver's own validation, `tests/oracles/`)
//! accepts every CRD, Promise and core object we produce, and agrees with our own admission
//! of requests, verdict, stored object and offending paths, over thousands of generated
//! requests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use promise_tests::differential;
use promise_tests::oracles::Session;

use crate::pipeline::configure;

use promise_core::render::render;
use serde_json::{Value, json};

fn kubeoracle() -> Session {
    let binary = promise_tests::oracles::oracle("kubeoracle");
    Session::start(&binary).unwrap_or_else(|e| panic!("{}: {e}", binary.display()))
}

/// Asks the oracle; only 0 (allowed) and 1 (refused) are answers.
fn ask(oracle: &mut Session, args: &[&str]) -> (i32, Value) {
    oracle
        .ask(args)
        .unwrap_or_else(|e| panic!("kubeoracle {args:?}: {e}"))
}

fn write(dir: &Path, name: &str, value: &impl serde::Serialize) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(value).expect("json")).expect("write");
    path.display().to_string()
}

fn rendered_promises() -> Vec<(String, Value)> {
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/promise.yaml"))
        .map(|(p, text)| {
            (
                p.trim_end_matches("/promise.yaml").to_string(),
                serde_saphyr::from_str(text).expect("yaml"),
            )
        })
        .collect()
}

const CEL_CRD: &str = r#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
"metadata":{"name":"widgets.test.example.com"},
"spec":{"group":"test.example.com","scope":"Namespaced",
"names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
"versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
"properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rule":"self.min <= self.max","message":"min must not exceed max"}],
"properties":{"min":{"type":"integer"},"max":{"type":"integer"}}}}}}}]}}"#;

#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
fn the_oracles_are_real() {
    let mut oracle = kubeoracle();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut crd: Value = serde_json::from_str(CEL_CRD).expect("crd");
    let good = write(dir.path(), "crd.json", &crd);
    assert_eq!(ask(&mut oracle, &["crd", &good]).0, 0);

    // A CRD whose name is not <plural>.<group>.
    crd["metadata"]["name"] = json!("gadgets.test.example.com");
    let misnamed = write(dir.path(), "misnamed.json", &crd);
    let (code, verdict) = ask(&mut oracle, &["crd", &misnamed]);
    assert_eq!(code, 1);
    assert!(
        verdict["errors"]
            .to_string()
            .contains("must be spec.names.plural+\\\".\\\"+spec.group"),
        "{verdict}"
    );

    // A request breaking a CEL rule.
    let widget = |min: i64, max: i64| {
        json!({"apiVersion": "test.example.com/v1", "kind": "Widget",
               "metadata": {"name": "w", "namespace": "default"}, "spec": {"min": min, "max": max}})
    };
    let ok = write(dir.path(), "ok.json", &widget(1, 2));
    assert_eq!(ask(&mut oracle, &["cr", "--crd", &good, &ok]).0, 0);
    let broken = write(dir.path(), "broken.json", &widget(3, 2));
    let (code, verdict) = ask(&mut oracle, &["cr", "--crd", &good, &broken]);
    assert_eq!(code, 1);
    assert!(
        verdict["errors"]
            .to_string()
            .contains("min must not exceed max"),
        "{verdict}"
    );

    // A Job with two containers of one name: what Kratix's admission dry-run refuses.
    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j", "namespace": "default"},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
            {"name": "step", "image": "busybox"}, {"name": "step", "image": "busybox"}]}}}});
    let job = write(dir.path(), "job.json", &job);
    let (code, verdict) = ask(&mut oracle, &["core", &job]);
    assert_eq!(code, 1);
    assert!(
        verdict["errors"].to_string().contains("Duplicate value"),
        "{verdict}"
    );
}

#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
fn every_rendered_api_crd_is_accepted_by_the_apiserver() {
    let mut oracle = kubeoracle();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for (name, promise) in rendered_promises() {
        let Some(api) = promise.pointer("/spec/api") else {
            continue;
        };
        let file = write(dir.path(), &format!("{name}.json"), api);
        let (code, verdict) = ask(&mut oracle, &["crd", &file]);
        assert_eq!(code, 0, "{name}: {verdict}");
        checked += 1;
    }
    assert!(checked >= 3, "{checked}");
}

#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_rendered_promise_is_accepted_by_kratixs_promise_crd() {
    let mut oracle = kubeoracle();
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let crd = upstream.join("kratix/platform.kratix.io_promises.yaml");
    let crd = crd.display().to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, promise) in rendered_promises() {
        let file = write(dir.path(), &format!("{name}.json"), &promise);
        let (code, verdict) = ask(&mut oracle, &["cr", "--crd", &crd, &file]);
        assert_eq!(code, 0, "{name}: {verdict}");
    }
}

/// Kinds `kubeoracle core` validates through their registry strategies.
const CORE_KINDS: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "Service",
    "Secret",
    "ConfigMap",
    "ServiceAccount",
    "Deployment",
    "Job",
    "Ingress",
    "NetworkPolicy",
];

#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
fn every_core_object_a_fixture_writes_is_accepted_by_the_apiserver() {
    let mut oracle = kubeoracle();
    let mut documents = Vec::new();
    let mut kinds = BTreeSet::new();
    for (name, promise) in rendered_promises() {
        let fixtures = promise_tests::workspace_root()
            .join("tests/fixtures")
            .join(&name);
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
            .into_iter()
            .flatten()
            .map(|e| e.expect("entry").path())
            .collect();
        inputs.sort();
        for input in inputs {
            let request = std::fs::read_to_string(&input).expect("fixture");
            let Ok(report) = configure(&promise, &request, None) else {
                continue;
            };
            for content in report.state_store.values() {
                for doc in content.split("\n---\n") {
                    let Ok(object) = serde_saphyr::from_str::<Value>(doc) else {
                        continue;
                    };
                    let kind = object["kind"].as_str().unwrap_or_default().to_string();
                    if CORE_KINDS.contains(&kind.as_str()) {
                        kinds.insert(kind);
                        documents.push(serde_json::to_string(&object).expect("json"));
                    }
                }
            }
        }
    }
    assert!(kinds.len() >= 6, "{kinds:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("objects.yaml");
    std::fs::write(&file, documents.join("\n---\n")).expect("write");
    let (code, verdict) = ask(&mut oracle, &["core", &file.display().to_string()]);
    assert_eq!(code, 0, "{verdict}");
}

/// At least 2,000 generated requests per run over every promise API: our admission (the one
/// the pipeline binary and `cargo xtask run` use) and the apiserver's must agree on the
/// verdict, the stored object and the offending paths. `cargo xtask differential --requests N`
/// runs longer.
#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
fn request_admission_agrees_with_the_apiserver() {
    let mut oracle = kubeoracle();
    let apis = differential::catalog_apis(&promises::catalog());
    assert!(apis.len() >= 3, "{}", apis.len());
    let mut rng = differential::Rng(0x9e37_79b9_7f4a_7c15);
    let report =
        differential::run(&mut oracle, &apis, 2_100 / apis.len() + 1, &mut rng).expect("run");
    assert_agreement(&report);
}

/// The same over every corpus API both sides can read, as many requests again.
#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn corpus_admission_agrees_with_the_apiserver() {
    let mut oracle = kubeoracle();
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let (apis, left_out) = differential::corpus_apis(&mut oracle, &upstream.join("corpus"));
    assert!(
        apis.len() >= 20,
        "{} corpus APIs ({left_out} left for import to report)",
        apis.len()
    );
    let mut rng = differential::Rng(0x7f4a_7c15_9e37_79b9);
    let report =
        differential::run(&mut oracle, &apis, 2_100 / apis.len() + 1, &mut rng).expect("run");
    assert_agreement(&report);
}

/// At least 2,000 requests compared, both verdicts well represented (so that agreement means
/// something either way), and no disagreement.
fn assert_agreement(report: &differential::Report) {
    assert!(report.compared >= 2_000, "{}", report.compared);
    assert!(
        report.stored * 10 > report.compared && report.stored * 10 < report.compared * 9,
        "{} of {} stored",
        report.stored,
        report.compared
    );
    assert!(
        report.disagreements.is_empty(),
        "{} of {} requests disagree; the first:\n{}",
        report.disagreements.len(),
        report.compared,
        report
            .disagreements
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every object of `rendered/platform/` against its owner's CRD, by the apiserver's code.
#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_platform_object_is_accepted_by_the_apiserver() {
    let mut oracle = kubeoracle();
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let owners = [
        ("Destination", "kratix/platform.kratix.io_destinations.yaml"),
        (
            "GitStateStore",
            "kratix/platform.kratix.io_gitstatestores.yaml",
        ),
        (
            "BucketStateStore",
            "kratix/platform.kratix.io_bucketstatestores.yaml",
        ),
        ("Application", "argocd/application-crd.yaml"),
        (
            "ServiceMonitor",
            "prometheus-operator/monitoring.coreos.com_servicemonitors.yaml",
        ),
        (
            "ExternalSecret",
            "external-secrets/external-secrets.io_externalsecrets.yaml",
        ),
    ];
    let files = promises::platform::definition()
        .render()
        .unwrap_or_else(|p| panic!("{p}"));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for (path, text) in &files {
        let object: Value = serde_saphyr::from_str(text).expect("yaml");
        let Some(kind) = object["kind"].as_str() else {
            continue;
        };
        let (_, crd) = owners
            .iter()
            .find(|(k, _)| *k == kind)
            .unwrap_or_else(|| panic!("{path}: no owner CRD for {kind}"));
        let crd = upstream.join(crd).display().to_string();
        let file = write(dir.path(), "object.json", &object);
        let (code, verdict) = ask(&mut oracle, &["cr", "--crd", &crd, &file]);
        assert_eq!(code, 0, "{path}: {verdict}");
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
}

/// `cargo xtask lint` refuses a Promise's API exactly when the apiserver refuses the CRD
/// Kratix would create from it: checked over every corpus API, as Kratix reads it, and over
/// broken variants of each (a name that is not `<plural>.<group>`, a cluster scope, a schema
/// that is not structural).
#[test]
#[cfg_attr(go_missing, ignore = "needs Go to build the kubeoracle oracle")]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn lint_refuses_a_corpus_api_exactly_when_the_apiserver_does() {
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let mut oracle = kubeoracle();
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut checked, mut refused, mut disagreements) = (0, 0, Vec::new());
    for file in promise_tests::corpus_files(&upstream) {
        let text = std::fs::read_to_string(&file).expect("read");
        let read = promise_core::kratix::read_promises(&text).expect("reads");
        for promise in read.promises {
            let Some(crd) = promise.promise.spec.api.clone() else {
                continue;
            };
            let original = serde_json::to_value(&crd).expect("json");
            let mut variants = vec![("as written", original.clone())];
            let mut misnamed = original.clone();
            misnamed["metadata"]["name"] = json!(format!(
                "x{}",
                crd.metadata.name.clone().unwrap_or_default()
            ));
            variants.push(("misnamed", misnamed));
            let mut cluster = original.clone();
            cluster["spec"]["scope"] = json!("Cluster");
            variants.push(("cluster-scoped", cluster));
            let mut untyped = original.clone();
            untyped["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
                ["broken"] = json!({"description": "no type"});
            variants.push(("untyped field", untyped));
            for (variant, value) in variants {
                let crd_file = write(
                    dir.path(),
                    "crd.json",
                    &differential::as_kratix_installs(&value),
                );
                let (code, verdict) = ask(&mut oracle, &["crd", &crd_file]);
                let mut variant_promise = promise.promise.clone();
                variant_promise.spec.api = Some(serde_json::from_value(value).expect("crd"));
                let lint = promise_core::render::lint(&variant_promise);
                let ours: Vec<String> = lint
                    .errors
                    .0
                    .iter()
                    .filter(|p| {
                        p.diagnostic
                            .path
                            .as_deref()
                            .is_some_and(|path| path.starts_with("spec.api"))
                    })
                    .map(ToString::to_string)
                    .collect();
                // Cluster scope: the apiserver accepts such a CRD; Kratix refuses the Promise.
                let kratix_only = variant == "cluster-scoped";
                let apiserver_refuses = code == 1 || kratix_only;
                let lint_refuses = !ours.is_empty();
                if apiserver_refuses != lint_refuses {
                    disagreements.push(format!(
                        "{} ({variant}): apiserver {verdict}, lint {ours:?}",
                        file.display()
                    ));
                }
                refused += usize::from(apiserver_refuses);
                checked += 1;
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(
        checked >= 120 && refused >= 90,
        "{checked} checked, {refused} refused"
    );
}
