//! Findings of the hostile-input study, each pinned in our own fixtures: request metadata
//! used as a path, output directories that are not ours, floods of errors, panics that exit
//! silently. (The binary's file handling is pinned in `promises/pipeline/tests/pipeline/binary.rs`.)

use std::fs;
use std::path::Path;
use std::process::Command;

use promise_core::pipeline::{WorkflowAction, WorkflowType, dispatch};
use promise_core::render::render;
use promise_local::tree::{Tree, check_dir, write_dir};
use promise_local::{self as local, InProcess, RunOptions};

use crate::pipeline::{kratix_root, rendered_promise};

const ORDERS: &str = "apiVersion: platform.aleklab.com/v1alpha1\nkind: Database\nmetadata:\n  name: orders-db\n  namespace: ecommerce\nspec:\n  name: orders\n  size: medium\n  environment: prod\n";

fn configure_vars(root: &Path) -> Vec<(String, String)> {
    [
        ("KRATIX_ROOT", root.display().to_string()),
        ("KRATIX_WORKFLOW_ACTION", "configure".into()),
        ("KRATIX_WORKFLOW_TYPE", "resource".into()),
        ("KRATIX_PROMISE_NAME", "database".into()),
        ("KRATIX_PIPELINE_NAME", "configure-database".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn generate(input: &str) -> Result<String, String> {
    let root = kratix_root(input.as_bytes());
    let vars = configure_vars(&root);
    let result = dispatch::run(
        &promises::catalog(),
        &["database".into(), "generate".into()],
        |n| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()),
    )
    .map_err(|e| e.to_string());
    fs::remove_dir_all(&root).expect("cleanup");
    result
}

#[test]
fn a_request_namespace_is_never_a_path() {
    for namespace in ["../../etc", "\"a\\nb\"", "\"\""] {
        let request = ORDERS.replace("namespace: ecommerce", &format!("namespace: {namespace}"));
        let err = generate(&request).expect_err(namespace);
        assert!(
            err.starts_with("metadata.namespace: "),
            "{namespace}: {err}"
        );

        // `cargo xtask run` refuses it before anything runs, and so writes nothing.
        let options = RunOptions::new(
            WorkflowType::Resource,
            WorkflowAction::Configure,
            crate::pipeline::destinations(),
        );
        let catalog = promises::catalog();
        let result = local::run(
            &rendered_promise("database"),
            Some(&request),
            &options,
            &mut InProcess(&catalog),
            &mut |_| {},
        );
        match result {
            // An empty namespace is defaulted, as kubectl does.
            Ok(report) if namespace == "\"\"" => assert!(
                report
                    .state_store
                    .keys()
                    .all(|k| k.contains("/resources/default/")),
                "{:?}",
                report.state_store.keys()
            ),
            Ok(report) => panic!("{namespace} ran: {:?}", report.state_store.keys()),
            Err(e) => assert!(
                matches!(&e, local::RunError::Invalid { violations, .. }
                    if violations.iter().any(|v| v.path.as_deref() == Some("metadata.namespace"))),
                "{e}"
            ),
        }
    }
}

#[test]
fn a_request_name_is_checked_as_kratix_checks_it() {
    for name in ["../x", "a\nb", &"a".repeat(64)] {
        let request = ORDERS.replace("name: orders-db", &format!("name: {name:?}"));
        let err = generate(&request).expect_err(name);
        assert!(err.starts_with("metadata.name: "), "{err}");
    }
}

#[test]
fn floods_of_errors_are_capped_and_user_input_is_cut_short() {
    let mut request = ORDERS.to_string();
    for i in 0..100_000 {
        request.push_str(&format!("  unknown{i}: 1\n"));
    }
    let err = generate(&request).expect_err("unknown fields");
    assert!(err.len() < 4_000, "{} bytes", err.len());
    assert!(err.contains("100000 problems"), "{}", &err[..200]);
    assert!(err.contains("... and 99980 more"), "{err}");

    let huge = "x".repeat(3_500_000);
    let err = generate(&ORDERS.replace("name: orders\n", &format!("name: {huge}\n")))
        .expect_err("huge name");
    assert!(err.len() < 1_000, "{} bytes", err.len());
    assert!(err.contains('…'), "{err}");
}

fn rendered() -> Tree {
    Tree::rendered(render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}")))
}

#[test]
fn an_output_directory_holding_other_files_is_refused_and_left_alone() {
    let project = tempfile::tempdir().expect("tempdir");
    fs::create_dir(project.path().join(".git")).expect("mkdir");
    fs::write(project.path().join(".git/HEAD"), "ref: refs/heads/main\n").expect("write");
    fs::write(project.path().join("README.md"), "# mine\n").expect("write");

    let err = write_dir(&rendered(), project.path()).expect_err("a project folder");
    assert!(err.to_string().contains("did not write"), "{err}");
    assert_eq!(
        fs::read_to_string(project.path().join(".git/HEAD")).expect("HEAD"),
        "ref: refs/heads/main\n"
    );
    assert_eq!(
        fs::read_to_string(project.path().join("README.md")).expect("README"),
        "# mine\n"
    );
    assert!(!project.path().join("database").exists(), "nothing written");

    // An earlier output of the same command, with a file someone added: refused too.
    let out = project.path().join("rendered");
    write_dir(&rendered(), &out).expect("first render");
    fs::write(out.join("notes.txt"), "mine\n").expect("write");
    let err = write_dir(&rendered(), &out).expect_err("a foreign file");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).expect("notes"),
        "mine\n"
    );

    // Nor is a folder someone added, even an empty one.
    fs::remove_file(out.join("notes.txt")).expect("rm");
    fs::create_dir(out.join("drafts")).expect("mkdir");
    let err = write_dir(&rendered(), &out).expect_err("a foreign folder");
    assert!(err.to_string().contains("drafts/"), "{err}");
    fs::remove_dir(out.join("drafts")).expect("rmdir");

    // Another command's output is not ours either.
    let mut golden = rendered();
    golden.written_by = local::RUN_COMMAND;
    let err = write_dir(&golden, &out).expect_err("render's directory");
    assert!(
        err.to_string()
            .contains("was written by `cargo xtask render`"),
        "{err}"
    );
}

#[test]
fn symbolic_links_in_an_output_directory_are_never_followed() {
    let base = tempfile::tempdir().expect("tempdir");
    let outside = base.path().join("outside");
    fs::create_dir(&outside).expect("mkdir");
    fs::write(outside.join("promise.yaml"), "precious\n").expect("write");
    let out = base.path().join("rendered");
    write_dir(&rendered(), &out).expect("first render");

    // A directory of the output replaced by a link out of it.
    fs::remove_dir_all(out.join("database")).expect("rm");
    std::os::unix::fs::symlink(&outside, out.join("database")).expect("link");
    let err = write_dir(&rendered(), &out).expect_err("a link inside");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    let err = check_dir(&rendered(), &out).expect_err("check does not follow it either");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(
        fs::read_to_string(outside.join("promise.yaml")).expect("read"),
        "precious\n"
    );

    // The output directory itself a link: refused, the target untouched.
    let link = base.path().join("link");
    std::os::unix::fs::symlink(&outside, &link).expect("link");
    assert!(write_dir(&rendered(), &link).is_err());
    assert_eq!(
        fs::read_dir(&outside).expect("ls").count(),
        1,
        "nothing written through the link"
    );
}

#[test]
fn a_refused_write_leaves_the_old_tree_whole() {
    let base = tempfile::tempdir().expect("tempdir");
    let out = base.path().join("rendered");
    let good = rendered();
    write_dir(&good, &out).expect("first render");
    let mut bad = good.clone();
    bad.files.insert("../escape.yaml".into(), "x: 1\n".into());
    bad.files
        .insert("database/promise.yaml".into(), "changed\n".into());
    assert!(write_dir(&bad, &out).is_err());
    assert!(check_dir(&good, &out).expect("check").is_clean());
    assert!(!base.path().join("escape.yaml").exists());
    // No staging directory is left beside it.
    let beside: Vec<_> = fs::read_dir(base.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(beside, ["rendered"]);
}

#[test]
fn a_panic_is_an_error_line_with_its_location_and_exit_1() {
    let root = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(root.path().join("input")).expect("mkdir");
    fs::write(
        root.path().join("input/object.yaml"),
        "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata: {name: boom}\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_panicking-pipeline"))
        .args(["boom", "explode"])
        .env_clear()
        .env("KRATIX_ROOT", root.path())
        .env("KRATIX_WORKFLOW_ACTION", "configure")
        .env("KRATIX_WORKFLOW_TYPE", "promise")
        .env("KRATIX_PROMISE_NAME", "boom")
        .env("KRATIX_PIPELINE_NAME", "explode")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: step boom/explode panicked at tests/src/bin/panicking-pipeline.rs:"
        ) && stderr.contains("index out of bounds"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
