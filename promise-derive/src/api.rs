//! `#[promise_api(...)]`: a spec struct becomes a namespaced Kratix Promise API.

use darling::{FromMeta, ast::NestedMeta, util::SpannedValue};
use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemStruct;

use crate::paths;
use crate::resource::{Errors, ResourceArgs, check_shape, combine, emit, parse_args, parse_struct};

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
    let (errors, expansion) = expand_struct(args, &item);
    emit(quote! { #errors #serde_errors }, expansion, &item)
}

/// Every error found (as `compile_error!` tokens), and the expansion wherever one can still be
/// made: beside errors too, so that the kind and its paths exist and no use of them adds an
/// error of its own.
fn expand_struct(args: TokenStream, item: &ItemStruct) -> (TokenStream, Option<TokenStream>) {
    let metas = match NestedMeta::parse_meta_list(args) {
        Ok(metas) => metas,
        Err(e) => return (e.to_compile_error(), None),
    };
    let mut errors = Errors::new(PREFIX);
    // darling reports every attribute error at once, with "did you mean" suggestions; the
    // struct's shape is checked either way, so they come together.
    let (args, unknown) = match parse_args::<ApiArgs>(&metas, &["scope"]) {
        Ok(parsed) => parsed,
        Err(darling) => {
            check_shape(item, &mut errors);
            return (errors.with_darling(darling), None);
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
    let expandable = args.resource.expandable(item);
    let errors = errors.into_tokens(unknown);
    if !expandable {
        return (errors, None);
    }
    let attributes = args.resource.kube_attributes(&checked, item, true);
    let kind = args.resource.kind_ident();
    let paths = paths::for_struct(item);
    let root_paths = paths::for_root(&kind, &item.ident, args.resource.status(), &item.vis);
    let expansion = quote! {
        #attributes
        #item

        #[automatically_derived]
        impl ::promise_core::PromiseApi for #kind {}

        #paths
        #root_paths
    };
    (errors, Some(expansion))
}
