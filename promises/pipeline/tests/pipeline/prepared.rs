//! The spec schemas the build script prepared for the binary, from the committed rendering,
//! are the ones the promises render today: every version of every API, the same JSON.

use serde_json::Value;

include!(concat!(env!("OUT_DIR"), "/prepared.rs"));

#[test]
fn the_binary_holds_the_spec_schema_of_every_rendered_api_version() {
    let rendered = promise_core::render::render(&promises::catalog()).expect("the catalog renders");
    let mut installed = Vec::new();
    for (name, _) in promises::PROMISES {
        let promise: Value =
            serde_saphyr::from_str(&rendered.files[&format!("{name}/promise.yaml")])
                .expect("a rendered promise is YAML");
        let Some(api) = promise.pointer("/spec/api") else {
            continue;
        };
        for version in api["spec"]["versions"].as_array().expect("versions") {
            installed.push((
                format!(
                    "{}/{}",
                    api["spec"]["group"].as_str().expect("group"),
                    version["name"].as_str().expect("name")
                ),
                api["spec"]["names"]["kind"]
                    .as_str()
                    .expect("kind")
                    .to_string(),
                version
                    .pointer("/schema/openAPIV3Schema/properties/spec")
                    .cloned(),
            ));
        }
    }
    let prepared: Vec<_> = PREPARED
        .iter()
        .map(|p| {
            (
                p.api_version.to_string(),
                p.kind.to_string(),
                p.spec
                    .map(|json| serde_json::from_str::<Value>(json).expect("prepared JSON")),
            )
        })
        .collect();
    assert!(!installed.is_empty(), "the catalog renders no API");
    let by_api = |a: &(String, String, Option<Value>), b: &(String, String, Option<Value>)| {
        (&a.0, &a.1).cmp(&(&b.0, &b.1))
    };
    installed.sort_by(by_api);
    let mut prepared = prepared;
    prepared.sort_by(by_api);
    // Named, not printed: a schema is kilobytes on one line.
    let stale: Vec<String> = installed
        .iter()
        .filter(|api| !prepared.contains(api))
        .chain(prepared.iter().filter(|api| !installed.contains(api)))
        .map(|(api_version, kind, _)| format!("{api_version} {kind}"))
        .collect();
    assert!(
        stale.is_empty(),
        "the binary's spec schemas differ from what the promises render ({}): run `cargo xtask render`",
        stale.join(", ")
    );
}

#[test]
fn the_on_demand_table_names_each_promise_as_it_names_itself() {
    // The binary finds a promise by the name in the table; the container names the promise as
    // its definition does.
    for (name, promise) in promises::PROMISES {
        assert_eq!(promise().name(), *name);
    }
}
