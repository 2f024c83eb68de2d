//! Every attribute mistake a user can make gives a spanned error: a module per case, a few
//! files by theme (`promise_api_attributes`, `shapes_and_types`, `composite`). Each file is one
//! rustc run whose fixed cost (start, loading the dependencies, coherence) is most of a case's:
//! as 20 files the cases took 2.1-2.4 s of every `cargo test`, as 3 they take 1.2-1.3 s, with
//! the same 35 errors. `TRYBUILD=overwrite cargo test -p promise-derive --test ui` rewrites the
//! expected stderr files. The cases live with the macros rather than in `promise-tests`:
//! trybuild builds them with this crate's dev-dependencies, so editing a promise does not
//! rebuild their project.

#[test]
fn macro_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
