//! Every attribute mistake a user can make gives a spanned error: one trybuild case each.
//! `TRYBUILD=overwrite cargo test -p promise-tests ui` rewrites the expected stderr files.

#[test]
fn macro_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail(promise_tests::workspace_root().join("tests/ui/*.rs"));
}
