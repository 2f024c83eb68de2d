//! `#[serde(...)]` keys checked before serde sees them. A misspelled key makes serde's derive
//! emit no impl at all, and every type holding this one then fails to derive too: one typo,
//! a screen of E0277 naming other modules. Reported here instead, with the closest key, and the
//! attribute dropped, so the derives succeed and the typo is the only error.

use syn::{Attribute, Fields, Item, ItemStruct};

use crate::attrs::serde_keys;
use promise_rules::closest;

/// Keys serde_derive accepts on a container (struct or enum).
const CONTAINER: &[&str] = &[
    "rename",
    "rename_all",
    "rename_all_fields",
    "deny_unknown_fields",
    "tag",
    "content",
    "untagged",
    "bound",
    "default",
    "remote",
    "transparent",
    "from",
    "try_from",
    "into",
    "crate",
    "expecting",
    "variant_identifier",
    "field_identifier",
];

/// Keys serde_derive accepts on a field.
const FIELD: &[&str] = &[
    "rename",
    "alias",
    "default",
    "flatten",
    "skip",
    "skip_serializing",
    "skip_deserializing",
    "skip_serializing_if",
    "serialize_with",
    "deserialize_with",
    "with",
    "borrow",
    "bound",
    "getter",
];

/// Keys serde_derive accepts on an enum variant.
const VARIANT: &[&str] = &[
    "rename",
    "alias",
    "rename_all",
    "skip",
    "skip_serializing",
    "skip_deserializing",
    "serialize_with",
    "deserialize_with",
    "with",
    "bound",
    "borrow",
    "other",
    "untagged",
];

/// [`strip_unknown`] for a struct, as compile errors.
pub(crate) fn strip_unknown_in_struct(item: &mut ItemStruct) -> proc_macro2::TokenStream {
    let mut errors = Vec::new();
    check(&mut item.attrs, CONTAINER, "container", &mut errors);
    fields(&mut item.fields, &mut errors);
    errors.iter().map(syn::Error::to_compile_error).collect()
}

/// Drops every `#[serde(...)]` attribute of `item` (container, fields, variants) holding a key
/// serde does not know, and returns an error for each such key.
pub(crate) fn strip_unknown(item: &mut Item) -> Vec<syn::Error> {
    let mut errors = Vec::new();
    match item {
        Item::Struct(s) => {
            check(&mut s.attrs, CONTAINER, "container", &mut errors);
            fields(&mut s.fields, &mut errors);
        }
        Item::Enum(e) => {
            check(&mut e.attrs, CONTAINER, "container", &mut errors);
            for variant in &mut e.variants {
                check(&mut variant.attrs, VARIANT, "variant", &mut errors);
                fields(&mut variant.fields, &mut errors);
            }
        }
        _ => {}
    }
    errors
}

fn fields(fields: &mut Fields, errors: &mut Vec<syn::Error>) {
    for field in fields.iter_mut() {
        check(&mut field.attrs, FIELD, "field", errors);
    }
}

fn check(attrs: &mut Vec<Attribute>, known: &[&str], what: &str, errors: &mut Vec<syn::Error>) {
    attrs.retain(|attr| {
        if !attr.path().is_ident("serde") {
            return true;
        }
        let before = errors.len();
        for (key, span, _) in serde_keys(attr) {
            if !known.contains(&key.as_str()) {
                let hint = match closest(&key, known.iter().copied()) {
                    Some(best) => format!("; did you mean `{best}`?"),
                    None => String::new(),
                };
                errors.push(syn::Error::new(
                    span,
                    format!("unknown serde {what} attribute `{key}`{hint}"),
                ));
            }
        }
        errors.len() == before
    });
}
