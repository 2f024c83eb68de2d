//! Checked by the real thing: `kubeoracle` (the apiserver's own validation, `tests/oracles/`)
//! accepts every CRD, Promise and core object we produce, and agrees with our own admission
//! of requests, verdict, stored object and offending paths, over thousands of generated
//! requests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use promise_core::local::{self, Admission, InProcess, RunOptions};
use promise_core::pipeline::{WorkflowAction, WorkflowType};
use promise_core::render::render;
use serde_json::{Value, json};

fn kubeoracle() -> Option<PathBuf> {
    promise_tests::oracles::oracle("kubeoracle")
}

/// Runs kubeoracle with `args`; returns its exit code and JSON output.
fn ask(oracle: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(oracle)
        .args(args)
        .output()
        .expect("run kubeoracle");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "kubeoracle {args:?} exited {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdict = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "kubeoracle {args:?}: {e}: {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (code, verdict)
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
fn the_oracles_are_real() {
    let Some(oracle) = kubeoracle() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut crd: Value = serde_json::from_str(CEL_CRD).expect("crd");
    let good = write(dir.path(), "crd.json", &crd);
    assert_eq!(ask(&oracle, &["crd", &good]).0, 0);

    // A CRD whose name is not <plural>.<group>.
    crd["metadata"]["name"] = json!("gadgets.test.example.com");
    let misnamed = write(dir.path(), "misnamed.json", &crd);
    let (code, verdict) = ask(&oracle, &["crd", &misnamed]);
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
    assert_eq!(ask(&oracle, &["cr", "--crd", &good, &ok]).0, 0);
    let broken = write(dir.path(), "broken.json", &widget(3, 2));
    let (code, verdict) = ask(&oracle, &["cr", "--crd", &good, &broken]);
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
    let (code, verdict) = ask(&oracle, &["core", &job]);
    assert_eq!(code, 1);
    assert!(
        verdict["errors"].to_string().contains("Duplicate value"),
        "{verdict}"
    );
}

#[test]
fn every_rendered_api_crd_is_accepted_by_the_apiserver() {
    let Some(oracle) = kubeoracle() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for (name, promise) in rendered_promises() {
        let Some(api) = promise.pointer("/spec/api") else {
            continue;
        };
        let file = write(dir.path(), &format!("{name}.json"), api);
        let (code, verdict) = ask(&oracle, &["crd", &file]);
        assert_eq!(code, 0, "{name}: {verdict}");
        checked += 1;
    }
    assert!(checked >= 3, "{checked}");
}

#[test]
fn every_rendered_promise_is_accepted_by_kratixs_promise_crd() {
    let Some(oracle) = kubeoracle() else { return };
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let crd = upstream.join("kratix/platform.kratix.io_promises.yaml");
    let crd = crd.display().to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, promise) in rendered_promises() {
        let file = write(dir.path(), &format!("{name}.json"), &promise);
        let (code, verdict) = ask(&oracle, &["cr", "--crd", &crd, &file]);
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
fn every_core_object_a_fixture_writes_is_accepted_by_the_apiserver() {
    let Some(oracle) = kubeoracle() else { return };
    let catalog = promises::catalog();
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
            let options = RunOptions {
                workflow_type: WorkflowType::Resource,
                action: WorkflowAction::Configure,
                destinations: promises::platform::destinations(),
            };
            let Ok(report) = local::run(
                &promise,
                Some(&request),
                &options,
                &mut InProcess(&catalog),
                &mut |_| {},
            ) else {
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
    let (code, verdict) = ask(&oracle, &["core", &file.display().to_string()]);
    assert_eq!(code, 0, "{verdict}");
}

/// A small deterministic generator (xorshift), so that a failing request can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values of every shape, valid and not, for a field of `schema`.
fn candidate(rng: &mut Rng, schema: &Value) -> Value {
    let mut pool: Vec<Value> = schema["enum"].as_array().cloned().unwrap_or_default();
    pool.extend([
        json!("x"),
        json!(""),
        json!("9abc"),
        json!("UPPER"),
        json!("a-b-c"),
        json!("x".repeat(70)),
        json!("15"),
        json!("8.0.1"),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(true),
        json!(false),
        Value::Null,
        json!({"a": 1}),
        json!([1]),
    ]);
    if let Some(properties) = schema["properties"].as_object() {
        let mut object = serde_json::Map::new();
        for (key, child) in properties {
            if rng.below(2) == 0 {
                object.insert(key.clone(), candidate(rng, child));
            }
        }
        pool.push(Value::Object(object));
    }
    rng.pick(&pool).clone()
}

/// A request like `example`, with a few fields changed, removed or added.
fn mutate(rng: &mut Rng, example: &Value, spec_schema: &Value) -> Value {
    let mut request = example.clone();
    for _ in 0..rng.below(4) {
        match rng.below(6) {
            0 => {
                request["metadata"]["name"] =
                    json!(rng.pick(&["ok-name", "Bad_Name", "x.y", "a", "-a", &"n".repeat(64)]))
            }
            1 => {
                request["metadata"]["namespace"] =
                    json!(rng.pick(&["team-a", "Team", "", "a.b", "default"]))
            }
            2 => {
                let unknown = rng.pick(&["zzz", "extra", "spec2"]);
                if rng.below(2) == 0 {
                    request["spec"][*unknown] = json!(1);
                } else {
                    request[*unknown] = json!("x");
                }
            }
            _ => {
                let Some(properties) = spec_schema["properties"].as_object() else {
                    continue;
                };
                let keys: Vec<&String> = properties.keys().collect();
                let key = rng.pick(&keys).to_string();
                if rng.below(4) == 0 {
                    if let Some(spec) = request["spec"].as_object_mut() {
                        spec.remove(&key);
                    }
                } else {
                    request["spec"][&key] = candidate(rng, &properties[&key]);
                }
            }
        }
    }
    request
}

/// The API's CRD as Kratix installs it: its `ensureMetadataSchema` limits `metadata.name` to
/// 63 characters in every version (kratix.md §a), which is the rule our admission applies.
fn as_kratix_installs(crd: &Value) -> Value {
    let mut crd = crd.clone();
    for version in crd["spec"]["versions"].as_array_mut().into_iter().flatten() {
        version["schema"]["openAPIV3Schema"]["properties"]["metadata"] = json!({
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 63}},
        });
    }
    crd
}

/// The paths the apiserver blames: its field errors, and the unknown fields it pruned.
fn oracle_paths(verdict: &Value) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = verdict["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["field"].as_str().unwrap_or_default().to_string())
        .collect();
    for warning in verdict["warnings"].as_array().into_iter().flatten() {
        let text = warning.as_str().unwrap_or_default();
        if let Some(path) = text
            .strip_prefix("unknown field \"")
            .and_then(|t| t.strip_suffix('"'))
        {
            paths.insert(path.to_string());
        }
    }
    paths
}

/// At least 2,000 generated requests per run, over every promise API: our admission (the
/// one the pipeline binary and `cargo xtask run` use) and the apiserver's must agree on the
/// verdict, the stored object and the offending paths. Unknown fields are compared through
/// the apiserver's pruning warnings: `kubectl apply`'s strict validation refuses them alone,
/// where we report them together with every other problem.
#[test]
fn request_admission_agrees_with_the_apiserver() {
    let Some(oracle) = kubeoracle() else { return };
    const REQUESTS: usize = 2_100;
    let dir = tempfile::tempdir().expect("tempdir");
    let promises: Vec<(String, Value)> = rendered_promises()
        .into_iter()
        .filter(|(_, p)| p.pointer("/spec/api").is_some())
        .collect();
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut disagreements = Vec::new();
    let (mut compared, mut stored) = (0, 0);
    for (name, promise) in &promises {
        let crd = write(
            dir.path(),
            &format!("{name}-crd.json"),
            &as_kratix_installs(&promise["spec"]["api"]),
        );
        let example: Value =
            serde_saphyr::from_str(&rendered.files[&format!("{name}/example-request.yaml")])
                .expect("example");
        let spec_schema = &promise["spec"]["api"]["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
            ["properties"]["spec"];
        let requests: Vec<Value> = (0..REQUESTS / promises.len() + 1)
            .map(|_| mutate(&mut rng, &example, spec_schema))
            .collect();
        let stream: Vec<String> = requests
            .iter()
            .map(|r| serde_json::to_string(r).expect("json"))
            .collect();
        let file = dir.path().join(format!("{name}-requests.yaml"));
        std::fs::write(&file, stream.join("\n---\n")).expect("write");
        let out = Command::new(&oracle)
            .args(["cr", "--each", "--prune", "--crd", &crd])
            .arg(&file)
            .output()
            .expect("kubeoracle");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let verdicts: Vec<Value> = serde_json::from_slice(&out.stdout).expect("verdicts");
        assert_eq!(verdicts.len(), requests.len());
        for (request, verdict) in requests.iter().zip(&verdicts) {
            compared += 1;
            let text = serde_json::to_string(request).expect("json");
            let theirs_stored = verdict["allowed"] == true
                && verdict["warnings"].as_array().is_none_or(Vec::is_empty);
            let disagreement = match local::admission(promise, &text) {
                Admission::Stored(ours) if theirs_stored => {
                    stored += 1;
                    let mut theirs = verdict["object"].clone();
                    if let Some(meta) = theirs["metadata"].as_object_mut() {
                        meta.remove("generation");
                    }
                    (ours != theirs)
                        .then(|| format!("stored\n  ours:   {ours}\n  theirs: {theirs}"))
                }
                Admission::Stored(_) => Some(format!("we store it; the apiserver: {verdict}")),
                Admission::Refused(violations) if !theirs_stored => {
                    let ours: BTreeSet<String> =
                        violations.iter().map(|v| v.path.clone()).collect();
                    let theirs = oracle_paths(verdict);
                    (ours != theirs).then(|| {
                        let lines: Vec<String> =
                            violations.iter().map(ToString::to_string).collect();
                        format!("paths\n  ours:   {lines:?}\n  theirs: {verdict}")
                    })
                }
                Admission::Refused(violations) => Some(format!(
                    "we refuse it ({}); the apiserver stores it",
                    violations
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                Admission::NotARequest(why) => Some(format!("not a request to us: {why}")),
            };
            if let Some(d) = disagreement {
                disagreements.push(format!("{name}: {text}\n  {d}"));
            }
        }
    }
    assert!(compared >= 2_000, "{compared}");
    // Both verdicts are well represented, so agreement means something either way.
    assert!(
        stored * 5 > compared && stored * 5 < compared * 4,
        "{stored} of {compared} stored"
    );
    assert!(
        disagreements.is_empty(),
        "{} of {compared} requests disagree; the first:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
