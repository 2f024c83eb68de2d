//! A schema's `pattern`, matched as the apiserver matches it.
//!
//! The name patterns our name types put into schemas ([`patterns`]) are matched by hand:
//! compiling them with `regex` was most of what checking a request costs a container (about
//! 0.14 M instructions of a 1.3 M-instruction run). Any other pattern is compiled once per
//! process.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use crate::names::patterns;

/// Whether `text` matches `pattern`; `None` when the pattern does not compile.
pub(crate) fn is_match(pattern: &str, text: &str) -> Option<bool> {
    match pattern {
        patterns::DNS1123_LABEL => Some(label(text, |b| {
            b.is_ascii_lowercase() || b.is_ascii_digit()
        })),
        patterns::DNS1035_LABEL => Some(label(text, |b| b.is_ascii_lowercase())),
        patterns::DNS1123_SUBDOMAIN => Some(
            text.split('.')
                .all(|part| label(part, |b| b.is_ascii_lowercase() || b.is_ascii_digit())),
        ),
        _ => compiled(pattern).map(|re| re.is_match(text)),
    }
}

/// `^F([-a-z0-9]*[a-z0-9])?$` where `F` is what `first` accepts.
fn label(text: &str, first: fn(u8) -> bool) -> bool {
    let alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    match text.as_bytes() {
        [] => false,
        [only] => first(*only),
        [head, middle @ .., last] => {
            first(*head)
                && middle.iter().all(|b| alphanumeric(b) || *b == b'-')
                && alphanumeric(last)
        }
    }
}

/// Patterns compile once per process: the same schema is checked against many objects.
fn compiled(pattern: &str) -> Option<regex::Regex> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(pattern.to_string())
        .or_insert_with(|| regex::Regex::new(pattern).ok())
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to six characters over an alphabet that exercises each rule
    /// (lower-case letter, digit, `-`, `.`, upper case, `_`, a newline, a non-ASCII letter).
    fn every_short_string() -> Vec<String> {
        const ALPHABET: [char; 8] = ['a', '0', '-', '.', 'A', '_', '\n', 'é'];
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..6 {
            last = last
                .iter()
                .flat_map(|s| ALPHABET.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn the_name_patterns_match_exactly_what_their_regex_matches() {
        let strings = every_short_string();
        for pattern in [
            patterns::DNS1123_LABEL,
            patterns::DNS1035_LABEL,
            patterns::DNS1123_SUBDOMAIN,
        ] {
            let regex = regex::Regex::new(pattern).expect("compiles");
            let mut matched = 0;
            for text in &strings {
                assert_eq!(
                    is_match(pattern, text),
                    Some(regex.is_match(text)),
                    "{pattern} on {text:?}"
                );
                matched += usize::from(regex.is_match(text));
            }
            assert!(
                matched > 100,
                "{pattern}: the alphabet exercises matches too"
            );
        }
    }

    #[test]
    fn other_patterns_are_compiled_and_broken_ones_reported() {
        assert_eq!(is_match(r"^[0-9]+(\.[0-9]+){0,2}$", "1.2.3"), Some(true));
        assert_eq!(is_match(r"^[0-9]+(\.[0-9]+){0,2}$", "1.2.3.4"), Some(false));
        assert_eq!(is_match("(", "x"), None);
    }
}
