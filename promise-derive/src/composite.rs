//! `#[composite(...)]`: a spec struct becomes a Crossplane composite resource (XR) whose XRD
//! is derived from the same type the pipeline fills in.

use darling::{FromMeta, ast::NestedMeta, util::SpannedValue};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, ItemStruct, parse_quote};

use crate::paths;
use crate::resource::{Errors, ResourceArgs, combine, emit, parse_args, parse_struct};
use promise_rules as rules;

const PREFIX: &str = "#[composite]";
const SCOPES: &[&str] = &["Namespaced", "Cluster", "LegacyCluster"];

/// Values parsed from `#[composite(...)]`.
#[derive(Debug, FromMeta)]
struct CompositeArgs {
    /// Names, columns and status, as for every custom resource.
    #[darling(flatten)]
    resource: ResourceArgs,
    /// `Namespaced` (default), `Cluster`, or `LegacyCluster` for Crossplane 1.x.
    scope: Option<SpannedValue<String>>,
    /// The claim's kind: only a `LegacyCluster` XR offers a claim.
    claim_kind: Option<SpannedValue<String>>,
    /// The claim's plural; defaults to the pluralised claim kind.
    claim_plural: Option<SpannedValue<String>>,
}

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item = match parse_struct(&input, PREFIX, "the composite's spec") {
        Ok(item) => item,
        Err(errors) => return combine(errors, input),
    };
    // A misspelled serde key is reported here and its attribute dropped (see `serde_keys`).
    let serde_errors = crate::serde_keys::strip_unknown_in_struct(&mut item);
    let (errors, expansion) = expand_struct(args, item.clone());
    emit(quote! { #errors #serde_errors }, expansion, &item)
}

/// Every error found, and the expansion wherever one can still be made (as
/// `#[promise_api]`'s).
fn expand_struct(args: TokenStream, mut item: ItemStruct) -> (TokenStream, Option<TokenStream>) {
    let metas = match NestedMeta::parse_meta_list(args) {
        Ok(metas) => metas,
        Err(e) => return (e.to_compile_error(), None),
    };
    let mut errors = Errors::new(PREFIX);
    // As `#[promise_api]`: the struct's shape is checked even when the attribute does not parse.
    let (args, unknown) =
        match parse_args::<CompositeArgs>(&metas, &["scope", "claim_kind", "claim_plural"]) {
            Ok(parsed) => parsed,
            Err(darling) => {
                crate::resource::check_shape(&item, &mut errors);
                return (errors.with_darling(darling), None);
            }
        };
    let checked = args.resource.check(&item, &mut errors);
    let scope = match &args.scope {
        None => "Namespaced",
        Some(scope) if SCOPES.contains(&scope.as_str()) => scope.as_str(),
        Some(scope) => {
            errors.push(
                scope.span(),
                format!(
                    "unknown scope `{}`; use `Namespaced`, `Cluster` or `LegacyCluster`",
                    scope.as_str()
                ),
            );
            "Namespaced"
        }
    };
    let claim = match (&args.claim_kind, scope) {
        (Some(kind), "LegacyCluster") => {
            errors.check(kind, "claim_kind", rules::kind);
            let plural = args
                .claim_plural
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| crate::resource::pluralize(&kind.to_lowercase()));
            if let Some(p) = &args.claim_plural {
                errors.check(p, "claim_plural", rules::resource_name);
            }
            let kind = kind.as_str();
            quote! { ::core::option::Option::Some((#kind, #plural)) }
        }
        (Some(kind), _) => {
            errors.push(kind.span(), "only a `scope = \"LegacyCluster\"` composite offers a claim; Crossplane v2 composites are namespaced instead");
            quote! { ::core::option::Option::None }
        }
        (None, _) => quote! { ::core::option::Option::None },
    };
    let mut expandable = args.resource.expandable(&item);
    if let Fields::Named(fields) = &item.fields
        && let Some(taken) = fields
            .named
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == "crossplane"))
    {
        errors.push_spanned(taken, "the field `crossplane` is added by the macro for Crossplane's composition selection; rename this one");
        expandable = false;
    }
    let errors = errors.into_tokens(unknown);
    if !expandable {
        return (errors, None);
    }

    let control: syn::Field = if scope == "LegacyCluster" {
        parse_quote! {
            /// How Crossplane 1.x picks this composite's Composition (not part of the XRD).
            #[serde(flatten, default)]
            #[schemars(skip)]
            pub crossplane: ::promise_core::crossplane::LegacyCrossplaneControl
        }
    } else {
        parse_quote! {
            /// `spec.crossplane`: how Crossplane picks this composite's Composition. Crossplane
            /// injects it into the XR's CRD, so it is not part of the XRD.
            #[serde(default, skip_serializing_if = "::promise_core::crossplane::CrossplaneControl::is_empty")]
            #[schemars(skip)]
            pub crossplane: ::promise_core::crossplane::CrossplaneControl
        }
    };
    // Paths are generated before the control field is added: it is not a schema field.
    let spec_paths = paths::for_struct(&item);
    if let Fields::Named(fields) = &mut item.fields {
        fields.named.push(control);
    }

    let attributes = args
        .resource
        .kube_attributes(&checked, &item, scope == "Namespaced");
    let kind = args.resource.kind_ident();
    let scope_ident = format_ident!("{}", scope);
    let spec = &item.ident;
    let root_paths = paths::for_root(&kind, spec, args.resource.status(), &item.vis);
    let expansion = quote! {
        #attributes
        #item

        #[automatically_derived]
        impl ::promise_core::crossplane::Composite for #kind {
            const SCOPE: ::promise_core::crossplane::CompositeScope = ::promise_core::crossplane::CompositeScope::#scope_ident;
            const CLAIM: ::core::option::Option<(&'static str, &'static str)> = #claim;
        }

        #spec_paths
        #root_paths
    };
    (errors, Some(expansion))
}
