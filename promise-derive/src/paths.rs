//! Typed field paths: for each struct, a `<Name>Paths` type with one accessor per field,
//! named and nested exactly as serde serializes the struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, GenericArgument, ItemStruct, PathArguments, Type};

use crate::attrs::{SerdeField, rename_all, serde_field};

/// `<Name>Paths` and `HasPaths for <Name>`; nothing for generic structs or unnamed fields.
pub(crate) fn for_struct(item: &ItemStruct) -> TokenStream {
    let Fields::Named(fields) = &item.fields else {
        return quote! {};
    };
    if !item.generics.params.is_empty() {
        return quote! {};
    }
    let name = &item.ident;
    let vis = &item.vis;
    let paths = format_ident!("{}Paths", name);
    let rule = rename_all(&item.attrs).unwrap_or_else(|| "camelCase".to_string());
    let accessors = fields.named.iter().filter_map(|field| {
        let ident = field.ident.as_ref()?;
        let json = match serde_field(&field.attrs) {
            SerdeField::Skipped => return None,
            SerdeField::Renamed(json) => json,
            SerdeField::Plain => apply_rule(ident.to_string().trim_start_matches("r#"), &rule),
        };
        let ty = unwrap_option(&field.ty);
        let doc = format!("`{json}`");
        Some(quote! {
            #[doc = #doc]
            pub fn #ident(&self) -> ::promise_core::crossplane::FieldPath<#ty> {
                ::promise_core::crossplane::FieldPath::at(&self.0, #json)
            }
        })
    });
    let doc = format!("Typed field paths into [`{name}`].");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #vis struct #paths(::std::string::String);

        #[automatically_derived]
        impl #paths {
            #(#accessors)*
        }

        #[automatically_derived]
        impl ::promise_core::crossplane::HasPaths for #name {
            type Paths = #paths;
            fn paths_at(prefix: ::std::string::String) -> #paths {
                #paths(prefix)
            }
        }
    }
}

/// `Option<T>` → `T`: a path into an optional field reaches the value when it is set.
fn unwrap_option(ty: &Type) -> &Type {
    if let Type::Path(path) = ty
        && let Some(last) = path.path.segments.last()
        && last.ident == "Option"
        && let PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(GenericArgument::Type(inner)) = args.args.first()
    {
        return inner;
    }
    ty
}

/// serde's `rename_all` rules, for fields.
pub(crate) fn apply_rule(field: &str, rule: &str) -> String {
    let words: Vec<&str> = field.split('_').filter(|w| !w.is_empty()).collect();
    let capitalize = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    match rule {
        "camelCase" => words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    (*w).to_string()
                } else {
                    capitalize(w)
                }
            })
            .collect(),
        "PascalCase" => words.iter().map(|w| capitalize(w)).collect(),
        "lowercase" => field.to_lowercase(),
        "UPPERCASE" => field.to_uppercase(),
        "SCREAMING_SNAKE_CASE" => field.to_uppercase(),
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.replace('_', "-").to_uppercase(),
        _ => field.to_string(),
    }
}

/// `<Kind>Paths`, the typed paths of a custom resource's root (`metadata`, `spec` and, with a
/// status type, `status`), and `<Kind>::paths()`.
pub(crate) fn for_root(
    kind: &syn::Ident,
    spec: &syn::Ident,
    status: Option<&syn::Path>,
    vis: &syn::Visibility,
) -> TokenStream {
    let spec_paths = format_ident!("{}Paths", spec);
    let root_paths = format_ident!("{}Paths", kind);
    let status = status.map(|status| {
        quote! {
            /// `status`.
            pub fn status(&self) -> ::promise_core::crossplane::FieldPath<#status> {
                ::promise_core::crossplane::FieldPath::at("", "status")
            }
        }
    });
    let doc = format!("Typed field paths into [`{kind}`].");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        #vis struct #root_paths;

        #[automatically_derived]
        impl #root_paths {
            /// `metadata`.
            pub fn metadata(&self) -> ::promise_core::crossplane::ObjectMetaPaths {
                <::promise_core::__private::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta as ::promise_core::crossplane::HasPaths>::paths_at("metadata".into())
            }
            /// `spec`.
            pub fn spec(&self) -> #spec_paths {
                <#spec as ::promise_core::crossplane::HasPaths>::paths_at("spec".into())
            }
            #status
        }

        #[automatically_derived]
        impl #kind {
            /// Typed field paths: for patches, and for step errors that name a field.
            pub fn paths() -> #root_paths {
                #root_paths
            }
        }
    }
}
