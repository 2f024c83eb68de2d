//! `#[api_type]`: derives for the structs and enums a promise API is made of, their typed
//! field paths, and the variant list of plain enums.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Fields, Item, ItemEnum, spanned::Spanned};

use crate::attrs::{api_derives, camel_case_unless_renamed};
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
        Item::Enum(e) => (quote! {}, variants(e)),
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

/// `Variants` for an enum of unit variants, so a `map` transform can cover every one.
fn variants(item: &ItemEnum) -> TokenStream {
    let unit = item
        .variants
        .iter()
        .all(|v| matches!(v.fields, Fields::Unit));
    if !unit || !item.generics.params.is_empty() || item.variants.is_empty() {
        return quote! {};
    }
    let name = &item.ident;
    let variants = item.variants.iter().map(|v| &v.ident);
    quote! {
        #[automatically_derived]
        impl ::promise_core::crossplane::Variants for #name {
            const VARIANTS: &'static [Self] = &[#(Self::#variants),*];
        }
    }
}
