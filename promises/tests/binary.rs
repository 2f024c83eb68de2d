//! The built `promise-pipeline` binary, end to end, in a temporary `KRATIX_ROOT`: what a
//! Kratix pod runs, with nothing but the `KRATIX_*` variables in its environment.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BINARY: &str = env!("CARGO_BIN_EXE_promise-pipeline");

fn root(name: &str, input: &[u8]) -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "promise-pipeline-e2e-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&root);
    for dir in ["input", "output", "metadata"] {
        fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    fs::write(root.join("input/object.yaml"), input).expect("write");
    root
}

fn run(root: &Path, pipeline: &str, action: &str, args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .env_clear()
        .env("KRATIX_ROOT", root)
        .env("KRATIX_WORKFLOW_ACTION", action)
        .env("KRATIX_WORKFLOW_TYPE", "resource")
        .env("KRATIX_PROMISE_NAME", "database")
        .env("KRATIX_PIPELINE_NAME", pipeline)
        .env("KRATIX_OBJECT_KIND", "Database")
        .env("KRATIX_OBJECT_GROUP", "platform.aleklab.com")
        .env("KRATIX_OBJECT_VERSION", "v1alpha1")
        .env("KRATIX_OBJECT_NAME", "orders-db")
        .env("KRATIX_OBJECT_NAMESPACE", "ecommerce")
        .env("KRATIX_CRD_PLURAL", "databases")
        .env("KRATIX_CLUSTER_SCOPED", "false")
        .output()
        .expect("run promise-pipeline")
}

const ORDERS: &str = "apiVersion: platform.aleklab.com/v1alpha1\nkind: Database\nmetadata:\n  name: orders-db\n  namespace: ecommerce\nspec:\n  name: orders\n  size: medium\n  environment: prod\n";

#[test]
fn the_binary_is_named_as_rendered_containers_name_it() {
    let name = Path::new(BINARY).file_stem().and_then(|s| s.to_str());
    assert_eq!(name, Some(promise_core::pipeline::BINARY_NAME));
    assert!(
        promise_core::pipeline::BINARY_PATH
            .ends_with(&format!("/{}", promise_core::pipeline::BINARY_NAME))
    );
}

#[test]
fn configure_workflow_end_to_end() {
    let root = root("configure", ORDERS.as_bytes());
    for step in ["validate", "generate"] {
        let out = run(
            &root,
            "configure-database",
            "configure",
            &["database", step],
        );
        assert!(
            out.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let xr = fs::read_to_string(root.join("output/xdatabase.yaml")).expect("xdatabase.yaml");
    assert!(
        xr.contains("version: \"15\""),
        "the schema default applies:\n{xr}"
    );
    let status = fs::read_to_string(root.join("metadata/status.yaml")).expect("status.yaml");
    // The database's namespace carries the request's identity, not only its spec.
    let identity = promise_core::names::RequestIdentity::new(
        "platform.aleklab.com",
        "Database",
        "ecommerce",
        "orders-db",
    )
    .expect("identity");
    let namespace = identity.label("db-orders").expect("name");
    assert_eq!(
        status,
        format!(
            "connectionString: postgresql://orders-rw.{namespace}.svc:5432/orders\nmessage: Database orders is being provisioned\nphase: Provisioning\n"
        )
    );
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn a_refused_request_exits_1_with_the_rule_and_writes_nothing() {
    let root = root(
        "refused",
        ORDERS.replace("size: medium", "size: small").as_bytes(),
    );
    let out = run(
        &root,
        "configure-database",
        "configure",
        &["database", "validate"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: spec.size: \"small\": environment prod requires size medium or large\n"
    );
    assert_eq!(fs::read_dir(root.join("output")).expect("ls").count(), 0);
    assert_eq!(fs::read_dir(root.join("metadata")).expect("ls").count(), 0);
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn any_input_gives_a_clean_error_never_a_panic() {
    let inputs: [&[u8]; 7] = [
        b"",
        b"\xff\xfe\x00garbage",
        b"[1, 2",
        b"42",
        b"apiVersion: platform.aleklab.com/v1alpha1\nkind: Database\nmetadata: {name: x}\nspec: 7\n",
        b"apiVersion: platform.aleklab.com/v1alpha1\nkind: Database\nmetadata: {name: x}\nspec: {name: x, environment: dev, engine: [1]}\n",
        b"a: &a [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    ];
    for (i, input) in inputs.iter().enumerate() {
        let root = root(&format!("garbage{i}"), input);
        let out = run(
            &root,
            "configure-database",
            "configure",
            &["database", "generate"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "input {i}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && !stderr.contains("panicked"),
            "input {i}: {stderr}"
        );
        assert_eq!(
            fs::read_dir(root.join("output")).expect("ls").count(),
            0,
            "input {i}"
        );
        fs::remove_dir_all(&root).expect("cleanup");
    }
}

#[test]
fn delete_workflow_writes_status_only() {
    let root = root("delete", ORDERS.as_bytes());
    let out = run(&root, "delete-database", "delete", &["database", "cleanup"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_dir(root.join("output")).expect("ls").count(), 0);
    let status = fs::read_to_string(root.join("metadata/status.yaml")).expect("status.yaml");
    assert!(status.contains("phase: Deleting"), "{status}");
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn wrong_arguments_and_variables_are_named() {
    let root = root("args", ORDERS.as_bytes());
    let cases: [(&str, &str, &[&str], &str); 4] = [
        (
            "configure-database",
            "configure",
            &[],
            "error: arguments: \"\": usage: promise-pipeline <promise> <step> | promise-pipeline list\n",
        ),
        (
            "configure-database",
            "configure",
            &["redis", "generate"],
            "error: arguments: \"redis\": no such promise; `promise-pipeline list` prints them\n",
        ),
        (
            "configure-database",
            "delete",
            &["database", "generate"],
            "error: KRATIX_PIPELINE_NAME: \"configure-database\": promise \"database\" has no resource.delete pipeline of that name\n",
        ),
        (
            "configure-database",
            "configure",
            &["database", "cleanup"],
            "error: arguments: \"cleanup\": pipeline \"configure-database\" has no such step; `promise-pipeline list` prints them\n",
        ),
    ];
    for (pipeline, action, args, expected) in cases {
        let out = run(&root, pipeline, action, args);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected);
    }
    fs::remove_dir_all(&root).expect("cleanup");
}
