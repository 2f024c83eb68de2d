//! Our admission of requests against the apiserver's, through `kubeoracle`: generated
//! requests (valid and not) for each API, compared on the verdict, the stored object and the
//! offending paths. Run by `cargo test` (2,100 requests) and by
//! `cargo xtask differential --requests N` for longer runs.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use promise_local::{self as local, Admission};
use serde_json::{Value, json};

use crate::oracles::Session;

/// An API to generate requests for: a name, the Promise holding it, and a request to start
/// from.
pub struct Api {
    /// Where it comes from (a promise name, or a corpus file).
    pub name: String,
    /// The Promise, with `spec.api`.
    pub promise: Value,
    /// That API, read once, as requests are admitted against it.
    pub crd: CustomResourceDefinition,
    /// A request the mutations start from.
    pub base: Value,
}

/// How a run went.
#[derive(Debug, Default)]
pub struct Report {
    /// Requests compared.
    pub compared: usize,
    /// Requests both sides stored.
    pub stored: usize,
    /// Each disagreement: the API, the request and what differs.
    pub disagreements: Vec<String>,
}

/// A small deterministic generator (xorshift), so that a failing request can be replayed.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The CRD as Kratix installs it: its `ensureMetadataSchema` limits `metadata.name` to 63
/// characters in every version (kratix.md §a), which is the rule our admission applies.
pub fn as_kratix_installs(crd: &Value) -> Value {
    let mut crd = crd.clone();
    for version in crd["spec"]["versions"].as_array_mut().into_iter().flatten() {
        version["schema"]["openAPIV3Schema"]["properties"]["metadata"] = json!({
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 63}},
        });
    }
    crd
}

/// The storage version's `spec` schema of a Promise's API.
fn spec_schema(promise: &Value) -> Value {
    let versions = promise["spec"]["api"]["spec"]["versions"].as_array();
    let storage = versions
        .into_iter()
        .flatten()
        .find(|v| v["storage"] == true)
        .cloned()
        .unwrap_or(Value::Null);
    storage["schema"]["openAPIV3Schema"]["properties"]["spec"].clone()
}

/// A minimal request for an API given only as a schema: every required field filled with
/// the simplest value of its type.
pub fn base_request(promise: &Value) -> Value {
    let api = &promise["spec"]["api"]["spec"];
    let versions = api["versions"].as_array();
    let version = versions
        .into_iter()
        .flatten()
        .find(|v| v["storage"] == true)
        .and_then(|v| v["name"].as_str())
        .unwrap_or("v1");
    let mut request = json!({
        "apiVersion": format!("{}/{version}", api["group"].as_str().unwrap_or_default()),
        "kind": api["names"]["kind"],
        "metadata": {"name": "example", "namespace": "default"},
    });
    let spec = spec_schema(promise);
    if !spec.is_null() {
        request["spec"] = simplest(&spec);
    }
    request
}

fn simplest(schema: &Value) -> Value {
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(default) = schema.get("default") {
        return default.clone();
    }
    match schema["type"].as_str() {
        Some("string") => json!("x"),
        Some("integer") | Some("number") => json!(schema["minimum"].as_i64().unwrap_or(1)),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        _ => {
            let mut object = serde_json::Map::new();
            for key in schema["required"].as_array().into_iter().flatten() {
                let key = key.as_str().unwrap_or_default();
                object.insert(key.into(), simplest(&schema["properties"][key]));
            }
            Value::Object(object)
        }
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

/// A request like `base`, with a few fields changed, removed or added.
fn mutate(rng: &mut Rng, base: &Value, spec_schema: &Value) -> Value {
    let mut request = base.clone();
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
                let unknown = *rng.pick(&["zzz", "extra", "spec2"]);
                if rng.below(2) == 0 && request["spec"].is_object() {
                    request["spec"][unknown] = json!(1);
                } else {
                    request[unknown] = json!("x");
                }
            }
            _ => {
                let Some(properties) = spec_schema["properties"].as_object() else {
                    continue;
                };
                if properties.is_empty() || !request["spec"].is_object() {
                    continue;
                }
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

/// Generates `per_api` requests for each API and compares both admissions. Unknown fields
/// are compared through the apiserver's pruning warnings: `kubectl apply`'s strict validation
/// refuses them alone, where we report them together with every other problem.
pub fn run(
    oracle: &mut Session,
    apis: &[Api],
    per_api: usize,
    rng: &mut Rng,
) -> io::Result<Report> {
    let dir = tempfile::tempdir()?;
    let mut report = Report::default();
    for (index, api) in apis.iter().enumerate() {
        let crd = dir.path().join(format!("{index}-crd.json"));
        std::fs::write(
            &crd,
            as_kratix_installs(&api.promise["spec"]["api"]).to_string(),
        )?;
        let schema = spec_schema(&api.promise);
        let requests: Vec<Value> = (0..per_api)
            .map(|_| mutate(rng, &api.base, &schema))
            .collect();
        let stream: Vec<String> = requests.iter().map(Value::to_string).collect();
        let file = dir.path().join(format!("{index}-requests.yaml"));
        std::fs::write(&file, stream.join("\n---\n"))?;
        let (crd, file) = (crd.display().to_string(), file.display().to_string());
        let (_, verdicts) = oracle
            .ask(&["cr", "--each", "--prune", "--crd", &crd, &file])
            .map_err(|e| io::Error::other(format!("{}: {e}", api.name)))?;
        let verdicts: Vec<Value> = serde_json::from_value(verdicts)?;
        if verdicts.len() != requests.len() {
            return Err(io::Error::other(format!(
                "{}: {} verdicts for {} requests",
                api.name,
                verdicts.len(),
                requests.len()
            )));
        }
        for (request, verdict) in requests.iter().zip(&verdicts) {
            report.compared += 1;
            let text = request.to_string();
            let theirs_stored = verdict["allowed"] == true
                && verdict["warnings"].as_array().is_none_or(Vec::is_empty);
            let disagreement = match local::admission(&api.crd, &text) {
                Admission::Stored(ours) if theirs_stored => {
                    report.stored += 1;
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
                        violations.iter().filter_map(|v| v.path.clone()).collect();
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
                report
                    .disagreements
                    .push(format!("{}: {text}\n  {d}", api.name));
            }
        }
    }
    Ok(report)
}

/// The APIs of a catalog's promises, starting from their example requests.
pub fn catalog_apis(catalog: &promise_core::catalog::Catalog) -> Vec<Api> {
    let rendered = promise_core::render::render(catalog).unwrap_or_else(|p| panic!("{p}"));
    let mut apis = Vec::new();
    for (path, text) in &rendered.files {
        let Some(name) = path.strip_suffix("/promise.yaml") else {
            continue;
        };
        let promise: Value = serde_saphyr::from_str(text).unwrap_or_default();
        let Some(example) = rendered.files.get(&format!("{name}/example-request.yaml")) else {
            continue;
        };
        let Ok(crd) = local::promise_api(&promise) else {
            continue;
        };
        apis.push(Api {
            name: name.to_string(),
            base: serde_saphyr::from_str(example).unwrap_or_default(),
            promise,
            crd,
        });
    }
    apis
}

/// The APIs of the corpus promises (`../shared/upstream/corpus`) that both the apiserver
/// (`kubeoracle crd`) and our admission read; the others are for import to report. Returns
/// the APIs and how many were left out.
pub fn corpus_apis(oracle: &mut Session, corpus: &Path) -> (Vec<Api>, usize) {
    let files = crate::yaml_files(corpus);
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut apis, mut left_out) = (Vec::new(), 0);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let documents: Vec<Value> = serde_saphyr::from_multiple(&text).unwrap_or_default();
        for (i, promise) in documents.into_iter().enumerate() {
            if promise["kind"] != "Promise" || promise.pointer("/spec/api").is_none() {
                continue;
            }
            let crd = dir.path().join("crd.json");
            std::fs::write(
                &crd,
                as_kratix_installs(&promise["spec"]["api"]).to_string(),
            )
            .expect("write");
            let accepted = oracle
                .ask(&["crd", &crd.display().to_string()])
                .is_ok_and(|(code, _)| code == 0);
            let base = base_request(&promise);
            let ours = local::promise_api(&promise).ok().filter(|crd| {
                !matches!(
                    local::admission(crd, &base.to_string()),
                    Admission::NotARequest(_)
                )
            });
            if let (true, Some(crd)) = (accepted, ours) {
                let name = file.strip_prefix(corpus).unwrap_or(&file).display();
                apis.push(Api {
                    name: format!("{name}#{i}"),
                    promise,
                    base,
                    crd,
                });
            } else {
                left_out += 1;
            }
        }
    }
    (apis, left_out)
}
