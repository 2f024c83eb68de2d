//! `cargo test` catches a stale `rendered/`, as `cargo xtask render --check` does.

use promise_core::render::render;
use promise_local::tree::{Tree, check_dir};

#[test]
fn rendered_is_up_to_date() {
    let rendered = Tree::rendered(
        render(&promises::catalog()).unwrap_or_else(|problems| panic!("{problems}")),
    );
    let dir = promise_tests::workspace_root().join("rendered");
    let drift = check_dir(&rendered, &dir).expect("read rendered/");
    assert!(drift.is_clean(), "{drift}");
}
