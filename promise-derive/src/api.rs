//! `#[promise_api(...)]`: a spec struct becomes a namespaced Kratix Promise API.

use darling::{FromMeta, ast::NestedMeta, util::SpannedValue};
use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemStruct;

use crate::paths;
use crate::resource::{Errors, ResourceArgs, check_shape, combine, combine_intact, parse_struct};

const PREFIX: &str = "#[promise_api]";

/// Values parsed from `#[promise_api(...)]`.
#[derive(Debug, FromMeta)]
struct ApiArgs {
    /// Names, columns and status, as for every custom resource.
    #[darling(flatten)]
    resource: ResourceArgs,
    /// Only `"Namespaced"`: Kratix rejects cluster-scoped promise APIs.
    scope: Option<SpannedValue<String>>,
}

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item = match parse_struct(&input, PREFIX, "the request's spec") {
        Ok(item) => item,
        Err(errors) => return combine(errors, input),
    };
    // A misspelled serde key is reported here and its attribute dropped (see `serde_keys`).
    let serde_errors = crate::serde_keys::strip_unknown_in_struct(&mut item);
    match expand_struct(args, &item) {
        Ok(tokens) if serde_errors.is_empty() => tokens,
        Ok(_) => combine_intact(serde_errors, &item),
        Err(errors) => combine_intact(quote! { #errors #serde_errors }, &item),
    }
}

/// The expansion, or every error found (as `compile_error!` tokens).
fn expand_struct(args: TokenStream, item: &ItemStruct) -> Result<TokenStream, TokenStream> {
    let metas = NestedMeta::parse_meta_list(args).map_err(|e| e.to_compile_error())?;
    let mut errors = Errors::new(PREFIX);
    // darling reports every attribute error at once, with "did you mean" suggestions; the
    // struct's shape is checked either way, so they come together.
    let args = match ApiArgs::from_list(&metas) {
        Ok(args) => args,
        Err(darling) => {
            check_shape(item, &mut errors);
            return Err(errors.with_darling(darling));
        }
    };
    let checked = args.resource.check(item, &mut errors);
    if let Some(scope) = &args.scope {
        match scope.as_str() {
            "Namespaced" => {}
            "Cluster" => errors.push(
                scope.span(),
                "Kratix requires namespaced promise APIs: its admission webhook rejects a \
                 Promise whose API has `scope: Cluster` (\"promise api needs to be namespace \
                 scoped\"); remove `scope` or set `scope = \"Namespaced\"`",
            ),
            other => errors.push(
                scope.span(),
                format!(
                    "unknown scope `{other}`; the only scope Kratix accepts is `\"Namespaced\"`"
                ),
            ),
        }
    }
    errors.finish()?;

    let attributes = args.resource.kube_attributes(&checked, item, true);
    let kind = args.resource.kind_ident();
    let paths = paths::for_struct(item);
    let root_paths = paths::for_root(&kind, &item.ident, args.resource.status(), &item.vis);
    Ok(quote! {
        #attributes
        #item

        #[automatically_derived]
        impl ::promise_core::PromiseApi for #kind {}

        #paths
        #root_paths
    })
}
