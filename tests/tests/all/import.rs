//! The corpus of real Promise files: every one lints without errors, and every one renders
//! back from its definition as Kratix reads it.

use promise_core::catalog::{Catalog, PromiseDefinition};
use promise_core::kratix::{read_promise, read_promises};
use promise_core::render::{lint, render};
use serde_json::Value;

/// The Promise as data, after Kratix's decoding.
fn as_read(promise: &promise_core::kratix::Promise) -> Value {
    serde_json::to_value(promise).expect("json")
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_corpus_promise_lints_without_errors() {
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let (mut linted, mut errors) = (0, Vec::new());
    for file in promise_tests::corpus_files(&upstream) {
        let text = std::fs::read_to_string(&file).expect("read");
        let read = read_promises(&text).unwrap_or_else(|e| panic!("{}: {e:?}", file.display()));
        for promise in &read.promises {
            linted += 1;
            let found = lint(&promise.promise);
            errors.extend(
                found
                    .errors
                    .0
                    .iter()
                    .map(|p| format!("{}: {p}", file.display())),
            );
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(linted, 40);
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_corpus_promise_renders_back_from_its_definition() {
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let mut round_trips = 0;
    for file in promise_tests::corpus_files(&upstream) {
        let text = std::fs::read_to_string(&file).expect("read");
        let read = read_promises(&text).unwrap_or_else(|e| panic!("{}: {e:?}", file.display()));
        for promise in &read.promises {
            let definition = PromiseDefinition::from_promise(&promise.promise);
            let name = definition.name().to_string();
            let rendered = render(&Catalog::new().with(definition))
                .unwrap_or_else(|p| panic!("{}: {p}", file.display()));
            let yaml = &rendered.files[&format!("{name}/promise.yaml")];
            let back: Value = serde_saphyr::from_str(yaml).expect("yaml");
            let back = read_promise(back).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(
                as_read(&back.promise),
                as_read(&promise.promise),
                "{}",
                file.display()
            );
            round_trips += 1;
        }
    }
    assert_eq!(round_trips, 40);
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_imported_corpus_module_compiles_and_renders_back_its_file() {
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let corpus = upstream.join("corpus");
    let imported = promise_corpus::promises();
    for (source, definition) in imported.iter().cloned() {
        let text = std::fs::read_to_string(corpus.join(source)).expect("corpus file");
        let read = read_promises(&text).unwrap_or_else(|e| panic!("{source}: {e:?}"));
        let name = definition.name().to_string();
        let original = read
            .promises
            .iter()
            .find(|p| p.promise.metadata.name.as_deref() == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{source}: no Promise {name:?}"));
        let rendered =
            render(&Catalog::new().with(definition)).unwrap_or_else(|p| panic!("{source}: {p}"));
        let back: Value =
            serde_saphyr::from_str(&rendered.files[&format!("{name}/promise.yaml")]).expect("yaml");
        let back = read_promise(back).unwrap_or_else(|e| panic!("{source}: {e:?}"));
        assert_eq!(
            as_read(&back.promise),
            as_read(&original.promise),
            "{source}"
        );
    }
    assert_eq!(imported.len(), 40);
}

/// Equal as data, numbers by value (a schema `number` reads back as a float).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn imported_spec_types_read_an_admitted_request_and_write_it_back() {
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let context = promise_core::pipeline::Context::from_vars(|name| {
        Some(
            match name {
                "KRATIX_WORKFLOW_TYPE" => "resource",
                "KRATIX_WORKFLOW_ACTION" => "configure",
                "KRATIX_CLUSTER_SCOPED" | "KRATIX_DRY_RUN" => "false",
                "PROMISE_RS_NOW" => "2026-01-01T00:00:00Z",
                _ => "x",
            }
            .to_string(),
        )
    })
    .expect("context");
    let typed = promise_corpus::typed_specs();
    for (source, round_trip) in &typed {
        let text = std::fs::read_to_string(upstream.join("corpus").join(source)).expect("read");
        let read = read_promises(&text).expect("reads");
        let promise = serde_json::to_value(&read.promises[0].promise).expect("json");
        let request = promise_tests::differential::base_request(&promise);
        let yaml = serde_saphyr::to_string(&request).expect("yaml");
        let api = promise_local::promise_api(&promise).unwrap_or_else(|e| panic!("{source}: {e}"));
        let object = match promise_local::admission(&api, &yaml) {
            promise_local::Admission::Stored(object) => object,
            other => panic!("{source}: {other:?}"),
        };
        let request = promise_core::pipeline::PromiseRequest {
            object: object.clone(),
            context: context.clone(),
        };
        let back = round_trip(&request).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert!(
            same(&back, &object["spec"]),
            "{source}: {back} != {}",
            object["spec"]
        );
    }
    assert!(typed.len() >= 30, "{} typed APIs", typed.len());
}
