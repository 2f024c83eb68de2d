//! The spec schemas the pipeline binary takes from its build (`pipeline::prepared`): a step
//! checks its request against its API's prepared entry, and an entry that does not read is
//! an error naming it, with nothing written.

use std::fs;

use promise_core::pipeline::dispatch;
use promise_core::pipeline::prepared::PreparedSchema;

use crate::pipeline::{kratix_root, rendered_promise, written};

const ORDERS: &str = "apiVersion: platform.aleklab.com/v1alpha1\nkind: Database\nmetadata:\n  name: orders-db\n  namespace: ecommerce\nspec:\n  name: orders\n  size: medium\n  environment: prod\n";

/// Runs the database's generate step on [`ORDERS`] with `prepared`; the outcome and what
/// was written.
fn generate(prepared: &[PreparedSchema]) -> (Result<String, String>, String) {
    let root = kratix_root(ORDERS.as_bytes());
    let vars = [
        ("KRATIX_ROOT", root.display().to_string()),
        ("KRATIX_WORKFLOW_ACTION", "configure".into()),
        ("KRATIX_WORKFLOW_TYPE", "resource".into()),
        ("KRATIX_PROMISE_NAME", "database".into()),
        ("KRATIX_PIPELINE_NAME", "configure-database".into()),
    ];
    let result = dispatch::run_prepared(
        &promises::catalog(),
        &["database".into(), "generate".into()],
        |n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()),
        prepared,
    )
    .map_err(|e| e.to_string());
    let files = written(&root);
    fs::remove_dir_all(&root).expect("cleanup");
    (result, files)
}

/// The database API's rendered spec schema, with `edit` applied, as a prepared entry.
fn database_entry(edit: impl FnOnce(&mut serde_json::Value)) -> PreparedSchema {
    let promise = rendered_promise("database");
    let mut spec = promise["spec"]["api"]["spec"]["versions"][0]
        .pointer("/schema/openAPIV3Schema/properties/spec")
        .cloned()
        .expect("the database API has a spec schema");
    edit(&mut spec);
    PreparedSchema {
        api_version: "platform.aleklab.com/v1alpha1",
        kind: "Database",
        spec: Some(spec.to_string().leak()),
    }
}

#[test]
fn a_step_checks_its_request_against_the_prepared_schema() {
    let (unchanged, _) = generate(&[database_entry(|_| {})]);
    assert!(unchanged.is_ok(), "{unchanged:?}");
    // The same request, refused once the prepared schema allows only `small`: the step read
    // the table, not a schema of its own.
    let narrowed = database_entry(|spec| {
        spec["properties"]["size"]["enum"] = serde_json::json!(["small"]);
    });
    let (refused, files) = generate(&[narrowed]);
    let error = refused.expect_err("medium is not in the prepared enum");
    assert!(
        error.contains("spec.size") && error.contains("Unsupported value"),
        "{error}"
    );
    assert_eq!(
        files, "(nothing written)",
        "a refused request writes nothing"
    );
}

#[test]
fn a_prepared_schema_that_does_not_read_is_an_error_naming_it() {
    let broken = PreparedSchema {
        spec: Some("{\"type\": 7}"),
        ..database_entry(|_| {})
    };
    let (result, files) = generate(&[broken]);
    let error = result.expect_err("a broken table entry is an error");
    assert!(
        error.contains("the binary's prepared schema")
            && error.contains("platform.aleklab.com/v1alpha1 Database")
            && error.contains("rebuild the binary"),
        "{error}"
    );
    assert_eq!(files, "(nothing written)");
}
