//! `#[api_type]`: derives for the structs and enums a promise API is made of.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Item, spanned::Spanned};

use crate::attrs::{api_derives, camel_case_unless_renamed};

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    if !args.is_empty() {
        errors.push(syn::Error::new(
            args.span(),
            "#[api_type] takes no arguments",
        ));
    }
    let item: Item = match syn::parse2(input) {
        Ok(item) => item,
        Err(err) => return err.to_compile_error(),
    };
    let rename = match &item {
        Item::Struct(s) => camel_case_unless_renamed(&s.attrs),
        Item::Enum(_) => quote! {},
        other => {
            errors.push(syn::Error::new_spanned(
                other,
                "#[api_type] applies to a struct or an enum",
            ));
            quote! {}
        }
    };
    if !errors.is_empty() {
        let errors = errors.iter().map(syn::Error::to_compile_error);
        return quote! { #(#errors)* #item };
    }
    let derives = api_derives();
    quote! {
        #derives
        #rename
        #item
    }
}
