//! Rendered objects against the verbatim upstream CRDs in `../shared/upstream`.

use std::path::Path;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, JSONSchemaProps,
};
use promise_core::render::render;
use promise_core::schema::{lint, validate_object};
use serde_json::Value;

fn storage_schema(crd: &CustomResourceDefinition) -> &JSONSchemaProps {
    let version = crd
        .spec
        .versions
        .iter()
        .find(|v| v.storage)
        .expect("a storage version");
    version
        .schema
        .as_ref()
        .and_then(|s| s.open_api_v3_schema.as_ref())
        .expect("a schema")
}

fn read_crd(path: &Path) -> CustomResourceDefinition {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn promise_crd() -> Option<CustomResourceDefinition> {
    let upstream = promise_tests::upstream()?;
    Some(read_crd(
        &upstream.join("kratix/platform.kratix.io_promises.yaml"),
    ))
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("rendered YAML parses")
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn every_rendered_promise_validates_against_the_kratix_promise_crd() {
    let Some(crd) = promise_crd() else { return };
    let schema = storage_schema(&crd);
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let mut checked = 0;
    for (path, text) in rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/promise.yaml"))
    {
        let promise = yaml(text);
        assert_eq!(
            promise["apiVersion"], "platform.kratix.io/v1alpha1",
            "{path}"
        );
        assert_eq!(promise["kind"], "Promise", "{path}");
        let violations = validate_object(&promise, schema);
        assert!(violations.is_empty(), "{path}: {violations:#?}");

        let api: CustomResourceDefinition =
            serde_json::from_value(promise["spec"]["api"].clone()).expect("spec.api is a CRD");
        assert_eq!(api.spec.scope, "Namespaced", "{path}");
        for version in &api.spec.versions {
            let schema = version
                .schema
                .as_ref()
                .and_then(|s| s.open_api_v3_schema.as_ref());
            let violations = lint(schema.expect("schema"));
            assert!(violations.is_empty(), "{path}: {violations:#?}");
        }
        checked += 1;
    }
    assert_eq!(checked, promises::catalog().promises().len());
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn the_promise_crd_rejects_what_kratix_rejects() {
    let Some(crd) = promise_crd() else { return };
    let schema = storage_schema(&crd);
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let mut promise = yaml(&rendered.files["database/promise.yaml"]);
    // Kratix dropped `healthChecks` (PR #325) and `destinationSelectors` entries are maps.
    promise["spec"]["healthChecks"] = serde_json::json!([]);
    promise["spec"]["destinationSelectors"][0]["matchLabels"]["environment"] = serde_json::json!(1);
    let found: Vec<String> = validate_object(&promise, schema)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        // Unknown fields first, pruned before validation as the apiserver does.
        [
            "spec.healthChecks: unknown field: not declared in the schema",
            "spec.destinationSelectors[0].matchLabels.environment: 1: Invalid value: must be of type string",
        ]
    );
}

#[test]
#[cfg_attr(
    upstream_missing,
    ignore = "needs ../shared/upstream beside the workspace"
)]
fn upstream_marketplace_promises_validate_too() {
    // The validator is only as good as its agreement with Kratix: promises Kratix ships must pass.
    let Some(crd) = promise_crd() else { return };
    let Some(upstream) = promise_tests::upstream() else {
        return;
    };
    let schema = storage_schema(&crd);
    let mut checked = 0;
    for name in ["namespace", "namespace-claim", "redis", "sql-aws"] {
        let path = upstream
            .join("kratix-marketplace")
            .join(name)
            .join("promise.yaml");
        let text = std::fs::read_to_string(&path).expect("read");
        let mut promise = yaml(&text);
        // Promises have a status subresource: the apiserver drops `status` on create.
        promise.as_object_mut().expect("an object").remove("status");
        let violations = validate_object(&promise, schema);
        assert!(violations.is_empty(), "{}: {violations:#?}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn example_requests_validate_against_their_rendered_api() {
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let mut checked = 0;
    for (path, text) in rendered
        .files
        .iter()
        .filter(|(p, _)| p.ends_with("/example-request.yaml"))
    {
        let promise_path = path.replace("example-request.yaml", "promise.yaml");
        let promise = yaml(&rendered.files[&promise_path]);
        let api: CustomResourceDefinition =
            serde_json::from_value(promise["spec"]["api"].clone()).expect("spec.api is a CRD");
        let request = yaml(text);
        let violations = validate_object(&request, storage_schema(&api));
        assert!(violations.is_empty(), "{path}: {violations:#?}");
        let group_version = format!("{}/{}", api.spec.group, api.spec.versions[0].name);
        assert_eq!(request["apiVersion"], group_version.as_str(), "{path}");
        assert_eq!(request["kind"], api.spec.names.kind.as_str(), "{path}");
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn the_database_version_default_is_the_string_15() {
    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let promise = yaml(&rendered.files["database/promise.yaml"]);
    let api: CustomResourceDefinition =
        serde_json::from_value(promise["spec"]["api"].clone()).expect("spec.api is a CRD");
    let mut request = serde_json::json!({
        "apiVersion": "platform.aleklab.com/v1alpha1", "kind": "Database",
        "metadata": {"name": "orders-db", "namespace": "ecommerce"},
        "spec": {"name": "orders", "engine": "postgres", "size": "medium", "environment": "prod"}
    });
    promise_core::schema::apply_defaults(&mut request, storage_schema(&api));
    assert_eq!(request["spec"]["version"], Value::String("15".into()));
    assert!(validate_object(&request, storage_schema(&api)).is_empty());
}
