//! The spec schemas the build script prepared for the binary are the ones Kratix installs:
//! every version of every rendered API, in the catalog's order, the same JSON.

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
    assert_eq!(prepared, installed);
}

#[test]
fn the_on_demand_table_names_each_promise_as_it_names_itself() {
    // The binary finds a promise by the name in the table; the container names the promise as
    // its definition does.
    for (name, promise) in promises::PROMISES {
        assert_eq!(promise().name(), *name);
    }
}
