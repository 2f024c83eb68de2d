//! The exact bytes of every rendered file, as `cargo xtask render` writes it, reviewed as a
//! snapshot diff in merge requests.

use promise_core::render::render;
use promise_local::tree::Tree;

#[test]
fn rendered_files() {
    let rendered = Tree::rendered(
        render(&promises::catalog()).unwrap_or_else(|problems| panic!("{problems}")),
    );
    assert!(!rendered.files.is_empty());
    for (path, content) in &rendered.files {
        let name = path
            .replace('/', "__")
            .trim_end_matches(".yaml")
            .to_string();
        insta::assert_snapshot!(name, content);
    }
}
