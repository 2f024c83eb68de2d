//! The pipeline image holds nothing but the binary: run the static binary as the image's
//! non-root user, chrooted into a folder holding only itself and `/kratix`, with nothing but
//! Kratix's variables in its environment. Needs `cargo xtask image` first and root (for
//! chroot), so it is ignored by default; `.ci/run` runs it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

#[test]
#[ignore = "needs the static binary (`cargo xtask image`) and root; run by .ci/run"]
fn the_static_binary_runs_with_nothing_but_itself_and_kratix() {
    let root = promise_tests::workspace_root();
    let binary = root.join("target/image/promise-pipeline");
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo xtask image`",
        binary.display()
    );
    let uid = Command::new("id").arg("-u").output().expect("id");
    assert_eq!(
        String::from_utf8_lossy(&uid.stdout).trim(),
        "0",
        "chroot needs root"
    );

    let jail = std::env::temp_dir().join(format!("pipeline-image-{}", std::process::id()));
    let _ = fs::remove_dir_all(&jail);
    fs::create_dir_all(jail.join("usr/local/bin")).expect("mkdir");
    fs::copy(&binary, jail.join("usr/local/bin/promise-pipeline")).expect("copy");
    for dir in ["input", "output", "metadata"] {
        fs::create_dir_all(jail.join("kratix").join(dir)).expect("mkdir");
    }
    let request = fs::read(root.join("rendered/database/example-request.yaml")).expect("request");
    fs::write(jail.join("kratix/input/object.yaml"), request).expect("write");
    // Kratix's emptyDirs are writable by the pipeline's user; everything else is read-only to it.
    for dir in ["kratix/output", "kratix/metadata"] {
        fs::set_permissions(jail.join(dir), fs::Permissions::from_mode(0o777)).expect("chmod");
    }
    for dir in [
        "",
        "usr",
        "usr/local",
        "usr/local/bin",
        "kratix",
        "kratix/input",
    ] {
        fs::set_permissions(jail.join(dir), fs::Permissions::from_mode(0o555)).expect("chmod");
    }

    let listing = |dir: &str| {
        let mut names: Vec<String> = fs::read_dir(jail.join(dir))
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        listing(""),
        ["kratix", "usr"],
        "nothing else in the root filesystem"
    );

    for step in ["validate", "generate"] {
        let out = Command::new("/usr/sbin/chroot")
            .arg("--userspec=65532:65532")
            .arg(&jail)
            .args(["/usr/local/bin/promise-pipeline", "database", step])
            .env_clear()
            .env("KRATIX_WORKFLOW_ACTION", "configure")
            .env("KRATIX_WORKFLOW_TYPE", "resource")
            .env("KRATIX_PROMISE_NAME", "database")
            .env("KRATIX_PIPELINE_NAME", "configure-database")
            .env("KRATIX_OBJECT_KIND", "Database")
            .env("KRATIX_OBJECT_GROUP", "platform.aleklab.com")
            .env("KRATIX_OBJECT_VERSION", "v1alpha1")
            .env("KRATIX_OBJECT_NAME", "orders-db")
            .env("KRATIX_OBJECT_NAMESPACE", "ecommerce")
            .env("KRATIX_CRD_PLURAL", "databases")
            .env("KRATIX_CLUSTER_SCOPED", "false")
            .output()
            .expect("chroot");
        assert!(
            out.status.success(),
            "{step}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        listing("kratix/output"),
        ["namespace.yaml", "xdatabase.yaml"]
    );
    assert_eq!(listing("kratix/metadata"), ["status.yaml"]);

    for dir in [
        "",
        "usr",
        "usr/local",
        "usr/local/bin",
        "kratix",
        "kratix/input",
    ] {
        fs::set_permissions(jail.join(dir), fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    fs::remove_dir_all(&jail).expect("cleanup");
}
