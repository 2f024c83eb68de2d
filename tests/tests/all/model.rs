//! The Kratix model reads YAML as strictly as Kratix: every Promise of the corpus and every
//! rendered Promise reads, a Pipeline or Container field Kratix does not know is an error
//! naming it, ObjectMeta fields Kratix ignores are accepted, and reading then writing keeps the
//! meaning.

use promise_core::kratix::{Pipeline, Promise};
use promise_core::render::render;
use serde_json::Value;

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_corpus_promise_reads() {
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![upstream.join("corpus")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    let (mut read, mut failures) = (0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        let documents: Vec<Value> = serde_saphyr::from_multiple(&text).expect("yaml");
        for document in documents.into_iter().filter(|d| d["kind"] == "Promise") {
            match serde_json::from_value::<Promise>(document) {
                Ok(_) => read += 1,
                Err(e) => failures.push(format!("{}: {e}", file.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(read >= 35, "{read} Promises read");
}

#[test]
fn rendered_promises_read_back_to_the_same_yaml() {
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    for (path, text) in rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/promise.yaml"))
    {
        let original: Value = serde_saphyr::from_str(text).expect("yaml");
        let promise: Promise =
            serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{path}: {e}"));
        let written = serde_json::to_value(&promise).expect("json");
        assert_eq!(written, original, "{path}");
    }
}

#[test]
fn pipelines_are_read_as_strictly_as_kratix_reads_them() {
    let pipeline = |extra_container: &str, extra_metadata: &str| {
        format!(
            "apiVersion: platform.kratix.io/v1alpha1\nkind: Pipeline\nmetadata:\n  name: p\n{extra_metadata}spec:\n  containers:\n  - name: a\n    image: busybox\n{extra_container}"
        )
    };
    // ObjectMeta fields Kratix ignores.
    let ok = pipeline("", "  namespace: default\n  creationTimestamp: null\n");
    assert!(serde_saphyr::from_str::<Pipeline>(&ok).is_ok());
    // A container field Kratix's strict decoding refuses, named.
    let err =
        serde_saphyr::from_str::<Pipeline>(&pipeline("    ports: []\n", "")).expect_err("ports");
    assert!(err.to_string().contains("ports"), "{err}");
    let err = serde_saphyr::from_str::<Pipeline>(&ok.replace("kind: Pipeline", "kind: Job"))
        .expect_err("kind");
    assert!(
        err.to_string().contains("kind must be \"Pipeline\""),
        "{err}"
    );
}
