//! The same source renders to the same bytes, and writing twice changes nothing.

use promise_core::render::render;
use promise_local::tree::{Tree, write_dir};

#[test]
fn rendering_twice_is_byte_identical() {
    let first = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let second = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    crate::compare::assert_same_files("the second rendering", &first.files, &second.files);
}

#[test]
fn writing_is_idempotent_and_removes_stale_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path().join("rendered");
    let rendered = Tree::rendered(render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}")));

    // An earlier render that also had a promise since retired.
    let mut earlier = rendered.clone();
    earlier
        .files
        .insert("retired/promise.yaml".into(), "stale\n".into());
    write_dir(&earlier, &dir).expect("write");

    let first = write_dir(&rendered, &dir).expect("write");
    assert!(
        first
            .iter()
            .any(|c| c.to_string() == "removed retired/promise.yaml"),
        "{first:?}"
    );
    assert!(
        !dir.join("retired").exists(),
        "the emptied directory is removed too"
    );

    let second = write_dir(&rendered, &dir).expect("write");
    assert!(second.is_empty(), "{second:?}");
    for (path, content) in &rendered.files {
        crate::compare::assert_same_text(
            &format!("{path} as written"),
            content,
            &std::fs::read_to_string(dir.join(path)).expect("read"),
        );
    }
}
