//! User input, quoted in a message: cut short, so a hostile request cannot flood a log or a
//! status with its own text.

/// The most characters of one user-supplied value a message shows.
pub(crate) const MAX_SHOWN: usize = 80;

/// The most errors one report lists; the rest are counted.
pub(crate) const MAX_LISTED: usize = 20;

/// `value`, or its first 80 characters (`MAX_SHOWN`) and `…`.
///
/// The cut falls on a character boundary, so the excerpt is valid UTF-8.
pub fn excerpt(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(MAX_SHOWN) {
        Some((cut, _)) => format!("{}…", &value[..cut]).into(),
        None => value.into(),
    }
}

/// The first 20 lines (`MAX_LISTED`), then how many were left out.
pub fn capped_list(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for line in lines {
        if shown.len() < MAX_LISTED {
            shown.push(line);
        } else {
            more += 1;
        }
    }
    if more > 0 {
        shown.push(format!("... and {more} more"));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_on_a_character_boundary() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(1000);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), MAX_SHOWN + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn lists_are_capped_with_a_count() {
        let lines = capped_list((0..100).map(|i| i.to_string()));
        assert_eq!(lines.len(), MAX_LISTED + 1);
        assert_eq!(lines.last().unwrap(), "... and 80 more");
        assert_eq!(capped_list(["a".to_string()]), ["a"]);
    }
}
