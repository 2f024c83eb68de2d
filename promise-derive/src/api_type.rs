//! `#[api_type]`: derives for the structs and enums a promise API is made of, their typed
//! field paths, and the variant list of plain enums.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Fields, Item, ItemEnum, spanned::Spanned};

use crate::attrs::{SerdeField, api_derives, camel_case_unless_renamed, rename_all, serde_field};
use crate::paths;

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    if !args.is_empty() {
        errors.push(syn::Error::new(
            args.span(),
            "#[api_type] takes no arguments",
        ));
    }
    let mut item: Item = match syn::parse2(input) {
        Ok(item) => item,
        Err(err) => return err.to_compile_error(),
    };
    // A misspelled serde key: one error here, and the derives still succeed without it.
    errors.extend(crate::serde_keys::strip_unknown(&mut item));
    let (rename, extra) = match &item {
        Item::Struct(s) => (camel_case_unless_renamed(&s.attrs), paths::for_struct(s)),
        Item::Enum(e) => {
            default_variant_is_serialized(e, &mut errors);
            (quote! {}, variants(e))
        }
        other => {
            errors.push(syn::Error::new_spanned(
                other,
                "#[api_type] applies to a struct or an enum",
            ));
            (quote! {}, quote! {})
        }
    };
    let errors = errors.iter().map(syn::Error::to_compile_error);
    if !matches!(item, Item::Struct(_) | Item::Enum(_)) {
        return quote! { #(#errors)* #item };
    }
    let derives = api_derives();
    quote! {
        #(#errors)*
        #derives
        #rename
        #item

        #extra
    }
}

/// For an enum of unit variants: `Variants`, so a `map` transform can cover every one, and
/// `wire_name()`, each variant's name as serde writes it (labels, messages, paths).
fn variants(item: &ItemEnum) -> TokenStream {
    let unit = item
        .variants
        .iter()
        .all(|v| matches!(v.fields, Fields::Unit));
    if !unit || !item.generics.params.is_empty() || item.variants.is_empty() {
        return quote! {};
    }
    let name = &item.ident;
    let variants: Vec<_> = item.variants.iter().map(|v| &v.ident).collect();
    let rule = rename_all(&item.attrs);
    let wire: Vec<String> = item
        .variants
        .iter()
        .map(|v| match serde_field(&v.attrs) {
            SerdeField::Renamed(json) => json,
            _ => variant_name(&v.ident.to_string(), rule.as_deref()),
        })
        .collect();
    quote! {
        #[automatically_derived]
        impl ::promise_core::crossplane::Variants for #name {
            const VARIANTS: &'static [Self] = &[#(Self::#variants),*];
        }

        #[automatically_derived]
        impl #name {
            /// The variant's name as serde writes it: what a request holds and labels carry.
            pub fn wire_name(&self) -> &'static str {
                match self {
                    #(Self::#variants => #wire,)*
                }
            }
        }
    }
}

/// A variant's name under serde's `rename_all` rule for enums (variants are PascalCase).
fn variant_name(variant: &str, rule: Option<&str>) -> String {
    let snake = || {
        let mut out = String::new();
        for (i, c) in variant.char_indices() {
            if c.is_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    };
    match rule {
        Some("lowercase") => variant.to_ascii_lowercase(),
        Some("UPPERCASE") => variant.to_ascii_uppercase(),
        Some("camelCase") => {
            let mut chars = variant.chars();
            chars
                .next()
                .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
        Some("snake_case") => snake(),
        Some("SCREAMING_SNAKE_CASE") => snake().to_ascii_uppercase(),
        Some("kebab-case") => snake().replace('_', "-"),
        Some("SCREAMING-KEBAB-CASE") => snake().replace('_', "-").to_ascii_uppercase(),
        _ => variant.to_string(),
    }
}

/// A `#[default]` variant serde skips cannot be serialized, so the schema would silently have
/// no default: an error instead.
fn default_variant_is_serialized(item: &ItemEnum, errors: &mut Vec<syn::Error>) {
    for variant in &item.variants {
        let default = variant.attrs.iter().any(|a| a.path().is_ident("default"));
        if default && matches!(serde_field(&variant.attrs), SerdeField::Skipped) {
            errors.push(syn::Error::new_spanned(
                &variant.ident,
                "#[api_type] the `#[default]` variant is skipped by serde, so it cannot be \
                 serialized and the schema would have no default: serialize it, or choose \
                 another default",
            ));
        }
    }
}
