//! Every attribute mistake a user can make gives a spanned error: one trybuild case each.
//! `TRYBUILD=overwrite cargo test -p promise-derive --test ui` rewrites the expected stderr
//! files. The cases live with the macros rather than in `promise-tests`: trybuild builds them
//! with this crate's dev-dependencies, so editing a promise does not rebuild their project.

#[test]
fn macro_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
