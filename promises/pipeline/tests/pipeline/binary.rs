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

// Findings of the hostile-input study, each pinned: the binary never hangs, never follows a
// link planted by an earlier container, never leaves a temporary file, never exits silently.

/// Runs `generate` with `root`, through `sh` so a test can set limits first, and under
/// `timeout`, so a hang fails the test.
fn run_generate_with(root: &Path, shell_prefix: &str, extra: &[(&str, &[u8])]) -> Output {
    use std::os::unix::ffi::OsStrExt;
    let mut command = Command::new("sh");
    command
        .arg("-c")
        // `timeout` turns a hang into exit 124 instead of a stuck test run.
        .arg(format!(
            "{shell_prefix} exec timeout 20 \"$0\" database generate"
        ))
        .arg(BINARY)
        .env_clear()
        .env("KRATIX_ROOT", root)
        .env("KRATIX_WORKFLOW_ACTION", "configure")
        .env("KRATIX_WORKFLOW_TYPE", "resource")
        .env("KRATIX_PROMISE_NAME", "database")
        .env("KRATIX_PIPELINE_NAME", "configure-database");
    for (name, value) in extra {
        command.env(name, std::ffi::OsStr::from_bytes(value));
    }
    command.output().expect("run promise-pipeline")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir`, relative, sorted: what the run left behind.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("ls") {
            let path = entry.expect("entry").path();
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .expect("prefix")
                        .display()
                        .to_string(),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_fifo_as_input_or_metadata_is_refused_without_hanging() {
    for fifo in ["input/object.yaml", "metadata/status.yaml"] {
        let root = root(
            &format!("fifo-{}", fifo.replace('/', "-")),
            ORDERS.as_bytes(),
        );
        let path = root.join(fifo);
        let _ = fs::remove_file(&path);
        let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
        assert!(made.success());
        let out = run_generate_with(&root, "", &[]);
        assert_eq!(out.status.code(), Some(1), "{fifo}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is not a regular file"),
            "{fifo}: {}",
            stderr(&out)
        );
        fs::remove_dir_all(&root).expect("cleanup");
    }
}

#[test]
fn links_planted_by_an_earlier_container_are_refused() {
    let root = root("planted-links", ORDERS.as_bytes());
    let outside = root.with_extension("outside");
    fs::write(&outside, "precious\n").expect("write");
    // A link where the step writes its output, and one where it merges its status.
    std::os::unix::fs::symlink(&outside, root.join("output/namespace.yaml")).expect("link");
    let out = run_generate_with(&root, "", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
    fs::remove_file(root.join("output/namespace.yaml")).expect("rm");

    std::os::unix::fs::symlink(&outside, root.join("metadata/status.yaml")).expect("link");
    let out = run_generate_with(&root, "", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&outside).expect("read"), "precious\n");
    // Nothing else was written, and no temporary file is left.
    assert_eq!(tree(&root.join("output")), Vec::<String>::new());
    assert_eq!(tree(&root.join("metadata")), ["status.yaml"]);
    fs::remove_dir_all(&root).expect("cleanup");
    fs::remove_file(&outside).expect("cleanup");
}

#[test]
fn a_full_disk_leaves_no_temporary_file() {
    let root = root("full-disk", ORDERS.as_bytes());
    // A file-size limit of 0 blocks makes every write fail (EFBIG) as a full disk would;
    // the signal it raises is ignored, as it is inherited across exec.
    let out = run_generate_with(&root, "ulimit -f 0; trap '' XFSZ;", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&root.join("output")), Vec::<String>::new());
    assert_eq!(tree(&root.join("metadata")), Vec::<String>::new());
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn a_huge_status_left_by_an_earlier_step_is_refused_unread() {
    let root = root("huge-status", ORDERS.as_bytes());
    // 100 MB, sparse: the binary must refuse it by its size, not by reading it.
    let file = fs::File::create(root.join("metadata/status.yaml")).expect("create");
    file.set_len(100 * 1024 * 1024).expect("set_len");
    let out = run_generate_with(&root, "", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("metadata/status.yaml: is 104857600 bytes, more than the 1048576 accepted; it was not read"),
        "{}",
        stderr(&out)
    );
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn a_kratix_key_left_by_an_earlier_step_is_refused() {
    let root = root("kratix-key", ORDERS.as_bytes());
    fs::write(
        root.join("metadata/status.yaml"),
        "kratix: {workflows: 1}\n",
    )
    .expect("write");
    let out = run_generate_with(&root, "", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .starts_with("error: metadata/status.yaml (written by an earlier step).status.kratix"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&root.join("output")), Vec::<String>::new());
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn non_utf8_arguments_and_variables_are_clean_errors() {
    use std::os::unix::ffi::OsStrExt;
    let root = root("non-utf8", ORDERS.as_bytes());
    let out = Command::new(BINARY)
        .arg(std::ffi::OsStr::from_bytes(b"data\xffbase"))
        .arg("generate")
        .env_clear()
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: argument 1: \"data\u{fffd}base\": must be valid UTF-8\n"
    );

    let out = run_generate_with(&root, "", &[("KRATIX_ROOT", b"/kratix\xff")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: KRATIX_ROOT: \"/kratix\u{fffd}\": must be valid UTF-8"),
        "{}",
        stderr(&out)
    );
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn a_stdout_that_cannot_be_written_is_an_error_not_a_silent_exit() {
    let root = root("closed-stdout", ORDERS.as_bytes());
    // Writing to /dev/full fails (ENOSPC) as writing to a closed pipe does (EPIPE): after the
    // output is written, the report cannot be.
    let out = run_generate_with(&root, "exec >/dev/full;", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: stdout: cannot write to stdout"),
        "{}",
        stderr(&out)
    );
    fs::remove_dir_all(&root).expect("cleanup");
}

#[test]
fn request_metadata_is_checked_before_it_is_used() {
    for (namespace, rule) in [
        ("../../etc", "must be a DNS-1123 label"),
        ("\"a\\nb\"", "must be a DNS-1123 label"),
    ] {
        let input = ORDERS.replace("namespace: ecommerce", &format!("namespace: {namespace}"));
        let root = root("bad-namespace", input.as_bytes());
        let out = run_generate_with(&root, "", &[]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: metadata.namespace: ") && stderr(&out).contains(rule),
            "{}",
            stderr(&out)
        );
        assert_eq!(tree(&root.join("output")), Vec::<String>::new());
        fs::remove_dir_all(&root).expect("cleanup");
    }
}
