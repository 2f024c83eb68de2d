//! Tenants are hostile to each other: two requests never produce the same object on a
//! destination (kind, namespace, name), the same Crossplane composite, the same Secret or
//! connection string, or the same Ingress host, whatever their specs say. Checked over random
//! pairs of requests for every promise of the catalog, with identical or different specs and
//! identities chosen to look alike (`a-b`/`c` beside `a`/`b-c`).

use std::collections::BTreeSet;

use promise_core::render::render;
use promise_local as local;
use proptest::prelude::*;
use serde_json::Value;

/// Every promise with an API, and the requests its workflow accepts: the example request and
/// every fixture whose run completes.
fn requests() -> &'static [(String, Value, Vec<String>)] {
    static ONCE: std::sync::OnceLock<Vec<(String, Value, Vec<String>)>> =
        std::sync::OnceLock::new();
    ONCE.get_or_init(accepted_requests)
}

fn accepted_requests() -> Vec<(String, Value, Vec<String>)> {
    let catalog = promises::catalog();
    let rendered = render(&catalog).unwrap_or_else(|p| panic!("{p}"));
    let mut out = Vec::new();
    for definition in catalog.promises() {
        let name = definition.name();
        let Some(example) = rendered.files.get(&format!("{name}/example-request.yaml")) else {
            continue;
        };
        let promise: Value =
            serde_saphyr::from_str(&rendered.files[&format!("{name}/promise.yaml")]).expect("yaml");
        let mut accepted = vec![example.clone()];
        let fixtures = promise_tests::workspace_root()
            .join("tests/fixtures")
            .join(name);
        for entry in std::fs::read_dir(&fixtures).into_iter().flatten() {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("fixture");
            if matches!(run(&promise, &text), Some(report) if report.outcome == local::Outcome::Completed)
            {
                accepted.push(text);
            }
        }
        out.push((name.to_string(), promise, accepted));
    }
    assert!(
        out.len() >= 3,
        "every promise with an API takes part: {}",
        out.len()
    );
    out
}

fn run(promise: &Value, request: &str) -> Option<local::RunReport> {
    crate::pipeline::configure(promise, request, None).ok()
}

/// What a request's run claims: every object it writes anywhere (group/kind, namespace,
/// name), every Ingress host, TLS Secret and connection string.
fn claims(report: &local::RunReport) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for content in report.state_store.values() {
        for doc in content.split("\n---\n") {
            let Ok(object) = serde_saphyr::from_str::<Value>(doc) else {
                continue;
            };
            let text = |p: &str| object.pointer(p).and_then(Value::as_str).unwrap_or("");
            let group = text("/apiVersion").rsplit_once('/').map_or("", |(g, _)| g);
            out.insert(format!(
                "object {group}/{} {}/{}",
                text("/kind"),
                text("/metadata/namespace"),
                text("/metadata/name")
            ));
            for rule in object
                .pointer("/spec/rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.insert(format!("host {}", rule["host"].as_str().unwrap_or("")));
            }
            for tls in object
                .pointer("/spec/tls")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.insert(format!(
                    "secret {}/{}",
                    text("/metadata/namespace"),
                    tls["secretName"].as_str().unwrap_or("")
                ));
            }
        }
    }
    if let Some(connection) = report
        .status
        .get("connectionString")
        .and_then(Value::as_str)
    {
        out.insert(format!("connection {connection}"));
    }
    out
}

/// A request of `template` moved to `namespace/name`.
fn as_request(template: &str, namespace: &str, name: &str) -> String {
    let mut object: Value = serde_saphyr::from_str(template).expect("fixture");
    object["metadata"]["namespace"] = Value::String(namespace.into());
    object["metadata"]["name"] = Value::String(name.into());
    promise_core::yaml::to_string(&object).expect("yaml")
}

/// DNS labels that look alike: short parts joined by dashes.
fn look_alike() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!["a", "b", "c", "team", "orders", "x1"]),
        1..4,
    )
    .prop_map(|parts| parts.join("-"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn two_requests_never_produce_the_same_thing(
        first in (any::<prop::sample::Index>(), any::<prop::sample::Index>(), look_alike(), look_alike()),
        second in (any::<prop::sample::Index>(), any::<prop::sample::Index>(), look_alike(), look_alike()),
    ) {
        let all = requests();
        let pick = |(promise, spec, ns, name): &(prop::sample::Index, prop::sample::Index, String, String)| {
            let (promise_name, promise, specs) = &all[promise.index(all.len())];
            let request = as_request(specs[spec.index(specs.len())].as_str(), ns, name);
            (promise_name.clone(), promise, request, format!("{promise_name} {ns}/{name}"))
        };
        let (a_promise, a_object, a_request, a_id) = pick(&first);
        let (b_promise, b_object, b_request, b_id) = pick(&second);
        // One request, asked twice, is the same request.
        prop_assume!(a_id != b_id);
        let (Some(a), Some(b)) = (run(a_object, &a_request), run(b_object, &b_request)) else {
            return Err(TestCaseError::fail(format!("{a_id} or {b_id} did not run")));
        };
        let shared: Vec<String> = claims(&a).intersection(&claims(&b)).cloned().collect();
        prop_assert!(
            shared.is_empty(),
            "{a_id} ({a_promise}) and {b_id} ({b_promise}) both produce {shared:?}"
        );
    }
}

#[test]
fn the_manuals_collision_is_gone() {
    // Team A and team B both ask for a database named `orders`.
    let all = requests();
    let (_, promise, specs) = all
        .iter()
        .find(|(name, _, _)| name == "database")
        .expect("database promise");
    let a = run(promise, &as_request(&specs[0], "team-a", "orders")).expect("a runs");
    let b = run(promise, &as_request(&specs[0], "team-b", "orders")).expect("b runs");
    assert!(!claims(&a).is_empty());
    assert!(claims(&a).is_disjoint(&claims(&b)));
}
