//! Comparisons that fail with a readable diff: a rendering or a workflow transcript is many
//! lines, and `assert_eq!` would print each side whole, on one line.

use std::collections::BTreeMap;

/// The unified diff from `expected` to `actual`, line by line.
pub(crate) fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

/// Panics with `what` and a diff when `actual` is not `expected`.
#[track_caller]
pub(crate) fn assert_same_text(what: &str, expected: &str, actual: &str) {
    if expected != actual {
        panic!("{what} differs:\n{}", diff(expected, actual));
    }
}

/// Panics with `what` and a diff of the first difference: the file lists, or a file's text.
#[track_caller]
pub(crate) fn assert_same_files(
    what: &str,
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) {
    let list = |files: &BTreeMap<String, String>| {
        files.keys().map(|p| format!("{p}\n")).collect::<String>()
    };
    assert_same_text(
        &format!("{what}: the file list"),
        &list(expected),
        &list(actual),
    );
    for (path, text) in expected {
        assert_same_text(&format!("{what}: {path}"), text, &actual[path]);
    }
}
