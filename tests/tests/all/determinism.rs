//! The same source renders to the same bytes, and writing twice changes nothing.

use promise_core::render::{render, write_dir};

#[test]
fn rendering_twice_is_byte_identical() {
    let first = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let second = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(first, second);
}

#[test]
fn writing_is_idempotent_and_removes_stale_files() {
    let dir = std::env::temp_dir().join(format!("promise-render-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("retired")).expect("mkdir");
    std::fs::write(dir.join("retired/promise.yaml"), "stale").expect("write");

    let rendered = render(&promises::catalog()).unwrap_or_else(|p| panic!("{p}"));
    let first = write_dir(&rendered, &dir).expect("write");
    let created = first
        .iter()
        .filter(|c| c.to_string().starts_with("created"))
        .count();
    assert_eq!(created, rendered.files.len(), "{first:?}");
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
        assert_eq!(
            &std::fs::read_to_string(dir.join(path)).expect("read"),
            content
        );
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
