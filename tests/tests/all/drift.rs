//! `cargo test` catches a stale `rendered/`, as `cargo xtask render --check` does, and stale
//! doc-example tests, as `cargo xtask doctests --check` does.

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

#[test]
fn doc_example_tests_are_up_to_date() {
    let stale =
        promise_doctests::stale(&promise_tests::workspace_root()).unwrap_or_else(|refused| {
            let refused: Vec<String> = refused.iter().map(ToString::to_string).collect();
            panic!("{}", refused.join("\n"))
        });
    assert!(
        stale.is_empty(),
        "{stale:?}: run `{}` and commit the result",
        promise_doctests::COMMAND
    );
}
