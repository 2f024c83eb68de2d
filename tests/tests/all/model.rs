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
    let files = promise_tests::corpus_files(&upstream);
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
        err.to_string()
            .contains(r#"kind: "Job": must be "Pipeline""#),
        "{err}"
    );
}

const PROMISE: &str = "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: queue\n  namespace: ignored\n  labels:\n    kratix.io/promise-version: v1\nspec:\n  api:\n    apiVersion: apiextensions.k8s.io/v1\n    kind: CustomResourceDefinition\n    metadata:\n      name: queues.example.org\n    spec:\n      group: example.org\n      names: {kind: Queue, plural: queues, singular: queue}\n      scope: Namespaced\n      versions:\n      - name: v1\n        served: true\n        storage: true\n        additionalPrinterColumns:\n        - name: Size\n          type: integer\n          JSONPath: .spec.size\n        schema:\n          openAPIV3Schema:\n            type: object\n            properties:\n              spec:\n                type: object\n                properties:\n                  size: {type: integer, regex: '^[0-9]+$'}\n";

#[test]
fn spec_api_keys_are_read_as_go_reads_them_each_with_a_warning() {
    let read = promise_core::kratix::read_promises(PROMISE).expect("reads");
    let promise = &read.promises[0];
    let warnings: Vec<String> = promise.warnings.iter().map(ToString::to_string).collect();
    let crd = promise.promise.spec.api.as_ref().expect("api");
    // `JSONPath` matched case-insensitively, as encoding/json does.
    assert_eq!(
        crd.spec.versions[0]
            .additional_printer_columns
            .as_ref()
            .expect("columns")[0]
            .json_path,
        ".spec.size"
    );
    for expected in [
        "additionalPrinterColumns[0].JSONPath = \"JSONPath\": read as `jsonPath`",
        "properties.size.regex = \"regex\": dropped: apiextensions/v1 has no such field",
        "metadata.namespace: dropped: Kratix does not read it",
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(expected)),
            "{expected}\n{warnings:#?}"
        );
    }
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
}

#[test]
fn lint_refuses_what_kratix_or_the_apiserver_refuses() {
    // As the Kratix repository's own config/samples/platform_v1alpha1_promise.yaml: a CRD
    // whose name is not <plural>.<group>.
    let misnamed = PROMISE.replace("name: queues.example.org", "name: queue.example.org");
    let read = promise_core::kratix::read_promises(&misnamed).expect("reads");
    let lint = promise_core::render::lint(&read.promises[0].promise);
    assert!(
        lint.errors
            .to_string()
            .contains("spec.api.metadata.name = \"queue.example.org\": must be `<plural>.<group>`"),
        "{}",
        lint.errors
    );
    // A container env secretKeyRef without its key: the Job's dry run refuses it.
    let keyless = format!(
        "{PROMISE}  workflows:\n    resource:\n      configure:\n      - apiVersion: platform.kratix.io/v1alpha1\n        kind: Pipeline\n        metadata: {{name: configure}}\n        spec:\n          containers:\n          - name: main\n            image: busybox\n            env:\n            - name: TOKEN\n              valueFrom:\n                secretKeyRef: {{name: creds}}\n"
    );
    let read = promise_core::kratix::read_promises(&keyless).expect("reads");
    let lint = promise_core::render::lint(&read.promises[0].promise);
    assert!(
        lint.errors.to_string().contains(
            "spec.workflows.resource.configure[0].spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value"
        ),
        "{}",
        lint.errors
    );
    // An unknown container field: Kratix's strict decoding refuses it, naming the pipeline.
    let strict = keyless.replace(
        "            image: busybox\n",
        "            image: busybox\n            ports: []\n",
    );
    let problems = promise_core::kratix::read_promises(&strict).expect_err("refused");
    let text = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains(
            "spec.workflows.resource.configure[0]: Kratix would refuse it: unknown field `ports`"
        ),
        "{text}"
    );
    // A cluster-scoped dependency with a namespace is only a warning.
    let namespaced = format!(
        "{PROMISE}  dependencies:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {{name: queues, namespace: default}}\n"
    );
    let read = promise_core::kratix::read_promises(&namespaced).expect("reads");
    let lint = promise_core::render::lint(&read.promises[0].promise);
    assert!(lint.errors.0.is_empty(), "{}", lint.errors);
    assert!(
        lint.warnings
            .iter()
            .any(|w| w.to_string().contains("Namespace is cluster-scoped")),
        "{:?}",
        lint.warnings
    );
}

#[test]
fn a_reconciliation_interval_in_any_go_spelling_reads_and_renders_back() {
    let yaml = "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: dns\n  labels:\n    kratix.io/promise-version: v1\nspec:\n  workflows:\n    config:\n      reconciliationInterval: 300s\n";
    let read = promise_core::kratix::read_promises(yaml).expect("reads");
    let promise = &read.promises[0].promise;
    let interval = promise
        .spec
        .workflows
        .config
        .as_ref()
        .and_then(|c| c.reconciliation_interval);
    assert_eq!(interval.map(|i| i.to_string()).as_deref(), Some("5m0s"));
    let definition = promise_core::catalog::PromiseDefinition::from_promise(promise);
    let rendered = render(&promise_core::catalog::Catalog::new().with(definition))
        .unwrap_or_else(|p| panic!("{p}"));
    assert!(rendered.files["dns/promise.yaml"].contains("reconciliationInterval: 5m0s"));
}

#[test]
fn a_key_given_in_two_spellings_is_an_error_not_a_guess() {
    // Go keeps whichever comes last; the reader cannot know, so it refuses.
    let both = PROMISE.replace(
        "          JSONPath: .spec.size\n",
        "          JSONPath: .spec.size\n          jsonPath: .spec.other\n",
    );
    let problems = promise_core::kratix::read_promises(&both).expect_err("refused");
    let text = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains(
            "additionalPrinterColumns[0].JSONPath = \"JSONPath\": `jsonPath` is given too"
        ),
        "{text}"
    );
}
