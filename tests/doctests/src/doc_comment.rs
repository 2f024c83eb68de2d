//! Doc comments as rustdoc reads them: their lines unindented, their fenced code blocks, and
//! what each block is (Rust to run, to compile, to ignore; another language; refused).

use crate::item_name::item_name;
use crate::{Example, Mode, Unsupported};

/// A run of doc comment lines: `///` or `//!`, the text after the prefix, and the file line
/// (from 0) of each.
struct DocBlock<'a> {
    /// Whether it is `//!`, documenting the module it is in.
    inner: bool,
    /// Its lines after the prefix and the indentation they share, with their file line.
    lines: Vec<(usize, &'a str)>,
    /// The first line after the block.
    end: usize,
}

/// Every Rust example in the doc comments of one file.
pub(crate) fn examples_in(
    text: &str,
    module: &[String],
    file: &str,
) -> Result<Vec<Example>, Vec<Unsupported>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut examples = Vec::new();
    let mut refused = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(block) = doc_block(&lines, i) else {
            i += 1;
            continue;
        };
        i = block.end;
        let item = if block.inner {
            "module".to_owned()
        } else {
            item_name(&lines[block.end..])
        };
        let unsupported = |line: usize, rule: String| Unsupported {
            file: file.to_owned(),
            line: line + 1,
            rule,
        };
        let blocks = code_blocks(&block);
        if let Some(line) = indented_code(&block, &blocks) {
            refused.push(unsupported(
                line,
                "an indented code block, which rustdoc would run as Rust: fence it with ```".into(),
            ));
        }
        for code in blocks {
            let line = code.line;
            if !code.closed {
                refused.push(unsupported(
                    line,
                    "a code block without its closing fence".into(),
                ));
                continue;
            }
            match example(code.info, &code.body) {
                Ok(Some((mode, text))) => examples.push(Example {
                    module: module.to_vec(),
                    item: item.clone(),
                    mode,
                    code: text,
                }),
                Ok(None) => {}
                Err(rule) => refused.push(unsupported(line, rule)),
            }
        }
    }
    if refused.is_empty() {
        Ok(examples)
    } else {
        Err(refused)
    }
}

/// The doc comment starting at line `start`, if one does; its lines are unindented by the
/// indentation they share, as rustdoc does.
fn doc_block<'a>(lines: &[&'a str], start: usize) -> Option<DocBlock<'a>> {
    let prefix = |line: &str| {
        let line = line.trim_start();
        if line.starts_with("////") {
            None
        } else if line.starts_with("///") {
            Some(false)
        } else if line.starts_with("//!") {
            Some(true)
        } else {
            None
        }
    };
    let inner = prefix(lines[start])?;
    let mut raw = Vec::new();
    let mut end = start;
    while end < lines.len() && prefix(lines[end]) == Some(inner) {
        raw.push((end, &lines[end].trim_start()[3..]));
        end += 1;
    }
    let indent = raw
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(_, text)| text.len() - text.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines = raw
        .into_iter()
        .map(|(n, text)| (n, text.get(indent..).unwrap_or("")))
        .collect();
    Some(DocBlock { inner, lines, end })
}

/// A fenced code block of a doc comment.
struct CodeBlock<'a> {
    /// The file line of its opening fence, from 0.
    line: usize,
    /// What follows the opening fence (`rust,no_run`).
    info: &'a str,
    /// Its lines, as the doc comment has them.
    body: Vec<&'a str>,
    /// Whether a closing fence ends it (rustdoc would take the rest of the comment).
    closed: bool,
}

/// Every fenced code block of a doc comment: opened by three or more backticks or tildes,
/// closed by at least as many of the same with nothing after them.
fn code_blocks<'a>(block: &DocBlock<'a>) -> Vec<CodeBlock<'a>> {
    let fence_of = |text: &'a str| {
        let trimmed = text.trim_start();
        let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let len = trimmed.len() - trimmed.trim_start_matches(mark).len();
        (len >= 3).then(|| (mark, len, trimmed[len..].trim()))
    };
    let mut found = Vec::new();
    let mut open: Option<(char, usize, CodeBlock<'a>)> = None;
    for &(line, text) in &block.lines {
        match (open.take(), fence_of(text)) {
            (None, Some((mark, len, info))) => {
                let body = Vec::new();
                open = Some((
                    mark,
                    len,
                    CodeBlock {
                        line,
                        info,
                        body,
                        closed: false,
                    },
                ));
            }
            (None, None) => {}
            (Some((mark, len, mut code)), Some((m, l, ""))) if m == mark && l >= len => {
                code.closed = true;
                found.push(code);
            }
            (Some((mark, len, mut code)), _) => {
                code.body.push(text);
                open = Some((mark, len, code));
            }
        }
    }
    found.extend(open.map(|(_, _, code)| code));
    found
}

/// The file line of a CommonMark indented code block outside `fences` (the comment's fenced
/// blocks), if the comment has one: four spaces after a blank line that follows a paragraph
/// (not a list, whose continuation lines are indented too). rustdoc runs those as Rust.
fn indented_code(block: &DocBlock<'_>, fences: &[CodeBlock<'_>]) -> Option<usize> {
    let fenced: Vec<usize> = fences
        .iter()
        .flat_map(|code| code.line..=code.line + code.body.len() + 1)
        .collect();
    let in_list = |text: &str| {
        let text = text.trim_end();
        text.starts_with(char::is_whitespace)
            || text.starts_with(['-', '*', '+'])
            || text
                .split_once(". ")
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
    };
    let mut paragraph = None;
    let mut after_blank = false;
    for &(line, text) in &block.lines {
        if text.trim().is_empty() {
            after_blank = true;
            continue;
        }
        if after_blank
            && text.starts_with("    ")
            && paragraph == Some(true)
            && !fenced.contains(&line)
        {
            return Some(line);
        }
        if !text.starts_with("    ") || !after_blank {
            paragraph = Some(!in_list(text));
        }
        after_blank = false;
    }
    None
}

/// How a block with this info string runs and its code, `None` when it is not Rust, or the
/// rule it breaks.
fn example(info: &str, body: &[&str]) -> Result<Option<(Mode, String)>, String> {
    const REFUSED: &[&str] = &[
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "edition2015",
        "edition2018",
        "edition2021",
        "edition2024",
    ];
    let tags: Vec<&str> = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let known = |t: &&str| {
        ["rust", "ignore", "no_run", "should_panic"].contains(t)
            || REFUSED.contains(t)
            || t.starts_with("ignore-")
    };
    if tags.iter().any(|t| !known(t)) && !tags.contains(&"rust") {
        return Ok(None);
    }
    if let Some(tag) = tags
        .iter()
        .find(|t| REFUSED.contains(t) || t.starts_with("ignore-"))
    {
        return Err(format!(
            "`{tag}` is not supported here: an example runs as a test of promise-doctests \
             (a compile error belongs in promise-derive/tests/ui)"
        ));
    }
    let mode = if tags.contains(&"ignore") {
        Mode::Ignore
    } else if tags.contains(&"no_run") {
        Mode::NoRun
    } else if tags.contains(&"should_panic") {
        Mode::ShouldPanic
    } else {
        Mode::Run
    };
    let code: Vec<String> = body.iter().map(|line| unhide(line)).collect();
    for line in &code {
        let line = line.trim_start();
        if line.starts_with("#![") || line.starts_with("extern crate") {
            return Err(format!(
                "`{}` is not supported here: the example's code is the body of a test function",
                line.trim_end()
            ));
        }
        if line.starts_with("fn main(") {
            return Err(
                "an example with its own `fn main` is not supported here: write its body, as \
                 rustdoc would wrap it"
                    .into(),
            );
        }
    }
    Ok(Some((mode, code.join("\n"))))
}

/// A line of code as the test sees it: rustdoc's hidden lines (`# ` or a lone `#`) shown,
/// `##` turned into `#`.
fn unhide(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if trimmed == "#" {
        String::new()
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        format!("{indent}{rest}")
    } else if let Some(rest) = trimmed.strip_prefix("##") {
        format!("{indent}#{rest}")
    } else {
        line.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn examples(text: &str) -> Result<Vec<Example>, Vec<Unsupported>> {
        examples_in(text, &["names".to_owned()], "promise-core/src/names.rs")
    }

    #[test]
    fn an_example_keeps_its_hidden_lines_and_its_mode() {
        let text = concat!(
            "/// Checks a name.\n///\n/// ```\n/// # use promise_core::names::check;\n",
            "/// assert!(check(\"a\").is_ok());\n/// ## not hidden\n/// ```\n///\n",
            "/// ```rust,should_panic\n/// check(\"\").unwrap();\n/// ```\n",
            "#[must_use]\npub(crate) fn check(name: &str) -> bool { true }\n",
        );
        let found = examples(text).expect("supported");
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].item.as_str(), found[0].mode),
            ("check", Mode::Run)
        );
        assert_eq!(
            found[0].code,
            "use promise_core::names::check;\nassert!(check(\"a\").is_ok());\n# not hidden"
        );
        assert_eq!(
            (found[1].item.as_str(), found[1].mode),
            ("check", Mode::ShouldPanic)
        );
    }

    #[test]
    fn other_languages_are_skipped_and_module_docs_are_named_module() {
        let text = "//! ```yaml\n//! a: 1\n//! ```\n//! ```\n//! let x = 1;\n//! ```\n";
        let found = examples(text).expect("supported");
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].item.as_str(), found[0].code.as_str()),
            ("module", "let x = 1;")
        );
    }

    #[test]
    fn an_indented_doc_comment_is_unindented_as_rustdoc_does() {
        let text = "    ///   ```\n    ///   let x = 1;\n    ///   ```\n    fn f() {}\n";
        let found = examples(text).expect("supported");
        assert_eq!(
            (found[0].item.as_str(), found[0].code.as_str()),
            ("f", "let x = 1;")
        );
    }

    #[test]
    fn blocks_it_cannot_run_as_a_test_are_refused_with_file_line_and_rule() {
        let text = concat!(
            "/// ```compile_fail\n/// let x: i32 = \"no\";\n/// ```\nfn a() {}\n",
            "/// ```\n/// fn main() {}\n/// ```\nfn b() {}\n",
            "/// ```\n/// #![allow(unused)]\n/// ```\nfn c() {}\n",
            "/// Text.\n///\n///     let indented = 1;\nfn e() {}\n",
            "/// - a list\n///\n///     continued, not code\nfn f() {}\n",
            "/// ```\n/// open\nfn d() {}\n",
        );
        let refused = examples(text).expect_err("refused");
        let shown: Vec<String> = refused.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert!(
            shown[0].starts_with("promise-core/src/names.rs:1: `compile_fail` is not supported")
        );
        assert!(
            shown[1].starts_with("promise-core/src/names.rs:5: an example with its own `fn main`")
        );
        assert!(
            shown[2]
                .starts_with("promise-core/src/names.rs:9: `#![allow(unused)]` is not supported")
        );
        assert!(shown[3].starts_with("promise-core/src/names.rs:15: an indented code block"));
        assert_eq!(
            shown[4],
            "promise-core/src/names.rs:21: a code block without its closing fence"
        );
    }
}
