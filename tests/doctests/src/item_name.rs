//! The name a test gets from the item its example documents, in snake case.

// The snake case k8s-openapi gives field names (the importer's): `GoDuration` is
// `go_duration`, `XRDSchema` is `xrd_schema`, and a keyword stays out (`Type` is `type_`).
use promise_import::rust_field as snake_case;

/// The name of the item the lines begin with (after its attributes), in snake case: `fn`
/// and type names as they are, `impl Trait for Type` as `trait_for_type`; `item` when there is
/// none.
pub(crate) fn item_name(lines: &[&str]) -> String {
    const KEYWORDS: &[&str] = &[
        "fn", "struct", "enum", "trait", "type", "const", "static", "mod", "union",
    ];
    let Some(line) = lines
        .iter()
        .map(|line| line.trim())
        .find(|line| !(line.is_empty() || line.starts_with("#[") || line.starts_with("//")))
    else {
        return "item".to_owned();
    };
    // The item's own keyword: the first word after its visibility and qualifiers.
    let words: Vec<&str> = line
        .split_whitespace()
        .skip_while(|w| {
            w.starts_with("pub") || ["unsafe", "async", "default", "extern", "\"C\""].contains(w)
        })
        .collect();
    match words.first() {
        Some(w) if *w == "impl" || w.starts_with("impl<") => {
            // What follows `impl`, without its generic parameters.
            let rest = without_generics(&words.join(" ")["impl".len()..]);
            rest.trim_end_matches('{')
                .split(" for ")
                .map(|path| snake_case(last_segment(path)))
                .collect::<Vec<_>>()
                .join("_for_")
        }
        Some(&"macro_rules!") => words
            .get(1)
            .map_or("item".to_owned(), |w| snake_case(last_segment(w))),
        Some(_) => {
            // `const fn` is a function; `const NAME` a constant.
            let at = usize::from(words.first() == Some(&"const") && words.get(1) == Some(&"fn"));
            match (words.get(at), words.get(at + 1)) {
                (Some(keyword), Some(name)) if KEYWORDS.contains(keyword) => {
                    snake_case(last_segment(name))
                }
                _ => "item".to_owned(),
            }
        }
        None => "item".to_owned(),
    }
}

/// `text` without what stands between `<` and its `>`.
fn without_generics(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| {
            match c {
                '<' => depth += 1,
                '>' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

/// The identifier a path ends with: `Type` of `std::str::Type` or of `Type(a: i32)`.
fn last_segment(path: &str) -> &str {
    let path = path.trim();
    let end = path
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(path.len());
    // A lone `:` ends it too (`trait Composite: Serialize`).
    path[..end]
        .trim_end_matches(':')
        .rsplit("::")
        .next()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(line: &str) -> String {
        item_name(&["#[derive(Debug)]", "", line])
    }

    #[test]
    fn functions_types_and_impls_name_their_examples() {
        assert_eq!(
            named("pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {"),
            "from_vars"
        );
        assert_eq!(
            named("pub(crate) const fn cores(n: u64) -> Self {"),
            "cores"
        );
        assert_eq!(
            named("pub struct GoDuration(std::time::Duration);"),
            "go_duration"
        );
        assert_eq!(named("pub enum XRDSchema<S> {"), "xrd_schema");
        assert_eq!(
            named("impl std::str::FromStr for GoDuration {"),
            "from_str_for_go_duration"
        );
        assert_eq!(named("impl<S: Schema> Manifest<S> {"), "manifest");
        assert_eq!(named("pub trait Composite: Serialize {"), "composite");
        assert_eq!(named("let x = 1;"), "item");
        assert_eq!(item_name(&[]), "item");
    }
}
