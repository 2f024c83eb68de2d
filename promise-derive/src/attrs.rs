//! Helpers shared by the macros: the derives they add and what they read of serde's attributes.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Attribute;

/// The derives every API type needs, with serde and schemars pointed at `promise_core`'s
/// re-exports so the user's crate needs no direct dependency on them.
pub(crate) fn api_derives() -> TokenStream {
    quote! {
        #[derive(
            ::promise_core::__private::serde::Serialize,
            ::promise_core::__private::serde::Deserialize,
            ::promise_core::__private::schemars::JsonSchema,
            ::core::clone::Clone,
            ::core::fmt::Debug,
            ::core::cmp::PartialEq,
        )]
        #[serde(crate = "::promise_core::__private::serde")]
        #[schemars(crate = "::promise_core::__private::schemars")]
    }
}

/// `#[serde(rename_all = "camelCase")]` unless the item chose its own `rename_all`:
/// Kubernetes API conventions want camelCase fields, and Rust wants snake_case ones.
pub(crate) fn camel_case_unless_renamed(attrs: &[Attribute]) -> TokenStream {
    if rename_all(attrs).is_some() {
        quote! {}
    } else {
        quote! { #[serde(rename_all = "camelCase")] }
    }
}

/// The item's `#[serde(rename_all = "...")]` rule, if it sets one.
pub(crate) fn rename_all(attrs: &[Attribute]) -> Option<String> {
    let mut found = None;
    visit_serde(attrs, |key, value| {
        if key == "rename_all" {
            found = value;
        }
    });
    found
}

/// How serde names a field.
pub(crate) enum SerdeField {
    /// `skip`, `skip_serializing` or `flatten`: no path of its own.
    Skipped,
    /// `rename = "..."`.
    Renamed(String),
    /// Named by the container's rule.
    Plain,
}

/// What serde's attributes say about a field's name.
pub(crate) fn serde_field(attrs: &[Attribute]) -> SerdeField {
    let mut out = SerdeField::Plain;
    visit_serde(attrs, |key, value| match (key, value) {
        ("skip" | "skip_serializing" | "flatten", _) => out = SerdeField::Skipped,
        ("rename", Some(name)) if !matches!(out, SerdeField::Skipped) => {
            out = SerdeField::Renamed(name)
        }
        _ => {}
    });
    out
}

/// Calls `f` with each `key` (and string value) of the item's `#[serde(...)]` attributes.
fn visit_serde(attrs: &[Attribute], mut f: impl FnMut(&str, Option<String>)) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        for (key, _, value) in serde_keys(attr) {
            f(&key, value);
        }
    }
}

/// The keys of one `#[serde(...)]` attribute, each with its span and string value, if any.
/// A malformed attribute yields what was read before the error: serde reports it, with its
/// own spans.
pub(crate) fn serde_keys(attr: &Attribute) -> Vec<(String, proc_macro2::Span, Option<String>)> {
    let mut keys = Vec::new();
    let _ = attr.parse_nested_meta(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let span = syn::spanned::Spanned::span(&meta.path);
        let mut value = None;
        if meta.input.peek(syn::Token![=]) {
            let mut expr = meta.value()?.parse::<syn::Expr>()?;
            // A value passed through a `macro_rules!` fragment arrives in an invisible group.
            while let syn::Expr::Group(group) = expr {
                expr = *group.expr;
            }
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = expr
            {
                value = Some(s.value());
            }
        } else if meta.input.peek(syn::token::Paren) {
            // One group, `rename(serialize = "..")`: not the rest of the attribute.
            meta.input.parse::<proc_macro2::Group>()?;
        }
        keys.push((key, span, value));
        Ok(())
    });
    keys
}

/// The item's doc comment, lines trimmed and joined as rustdoc shows them.
pub(crate) fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_string()
        })
        .collect();
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}
