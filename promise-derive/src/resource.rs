//! What `#[promise_api]` and `#[composite]` share: a spec struct becomes a custom resource
//! through kube-derive's `CustomResource`, with its names and printer columns checked here.

use darling::{FromMeta, ast::NestedMeta, util::SpannedValue};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Fields, ItemStruct, LitStr};

use crate::attrs::{api_derives, camel_case_unless_renamed, doc_comment};
use promise_rules as rules;

/// The keys both macros take.
#[derive(Debug, FromMeta)]
pub(crate) struct ResourceArgs {
    /// The API group, a domain such as `platform.example.com`.
    group: SpannedValue<String>,
    /// The one version the API serves and stores, such as `v1alpha1`.
    version: SpannedValue<String>,
    /// The request's kind, UpperCamelCase; also the name of the generated root type.
    kind: SpannedValue<String>,
    /// Lower-case plural used in URLs and the CRD name; defaults to the pluralised kind.
    plural: Option<SpannedValue<String>>,
    /// Lower-case singular; defaults to the lower-cased kind.
    singular: Option<SpannedValue<String>>,
    /// Short names for `kubectl get` (`db`), repeatable; kube-derive's spelling.
    #[darling(multiple, rename = "shortname")]
    short_names: Vec<SpannedValue<String>>,
    /// Categories for `kubectl get <category>`, repeatable.
    #[darling(multiple, rename = "category")]
    categories: Vec<SpannedValue<String>>,
    /// Columns `kubectl get` prints, repeatable; kube-derive's spelling.
    #[darling(multiple, rename = "printcolumn")]
    printer_columns: Vec<PrinterColumn>,
    /// The typed status.
    status: Option<syn::Path>,
    /// Marks this version deprecated, with the warning `kubectl` prints for requests of it
    /// (a promise serving several versions declares each with its own type).
    deprecated: Option<SpannedValue<String>>,
}

/// One `printcolumn(...)`: an `additionalPrinterColumns` entry, with kube-derive's keys.
#[derive(Debug, FromMeta)]
struct PrinterColumn {
    /// Column header.
    name: SpannedValue<String>,
    /// JSONPath into the object, starting with `.`, such as `.spec.engine`.
    json_path: SpannedValue<String>,
    /// OpenAPI type of the column: string (default), integer, number, boolean or date.
    #[darling(rename = "type_")]
    ty: Option<SpannedValue<String>>,
    /// Column description.
    description: Option<String>,
    /// OpenAPI format, such as `date-time`.
    format: Option<SpannedValue<String>>,
    /// 0 shows the column always; higher priorities only with `-o wide`.
    priority: Option<SpannedValue<i32>>,
}

const COLUMN_TYPES: &[&str] = &["string", "integer", "number", "boolean", "date"];
const COLUMN_FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "binary",
    "date",
    "date-time",
    "password",
];

/// The attributed item as a struct, or an error spanned at what it is instead.
pub(crate) fn parse_struct(
    input: &TokenStream,
    prefix: &str,
    what: &str,
) -> Result<ItemStruct, TokenStream> {
    match syn::parse2::<syn::Item>(input.clone()) {
        Ok(syn::Item::Struct(item)) => Ok(item),
        Ok(other) => {
            let message = format!("{prefix} applies to a struct with named fields: {what}");
            let err = match &other {
                syn::Item::Enum(e) => {
                    let (keyword, ident) = (&e.enum_token, &e.ident);
                    syn::Error::new_spanned(quote! { #keyword #ident }, message)
                }
                _ => syn::Error::new_spanned(&other, message),
            };
            Err(err.to_compile_error())
        }
        Err(err) => Err(err.to_compile_error()),
    }
}

/// All errors at once, followed by the untouched item so that its other uses still resolve.
pub(crate) fn combine(errors: TokenStream, item: TokenStream) -> TokenStream {
    quote! { #errors #item }
}

/// What a macro emits: its errors, then the expansion or, where none could be made, `item`
/// as `#[api_type]` would emit it: its `#[serde]` and `#[schemars]` attributes still have
/// their derives, so one mistake in the macro's own attribute is one error, not a cascade of
/// "cannot find attribute `serde`".
pub(crate) fn emit(
    errors: TokenStream,
    expansion: Option<TokenStream>,
    item: &ItemStruct,
) -> TokenStream {
    match expansion {
        Some(expansion) => quote! { #errors #expansion },
        None => {
            let derives = crate::attrs::api_derives();
            let rename = crate::attrs::camel_case_unless_renamed(&item.attrs);
            quote! { #errors #derives #rename #item }
        }
    }
}

/// The keys of [`ResourceArgs`], as written in the attribute: keep it with the struct (a key
/// missing here is dropped only when the attribute has another mistake, which fails the
/// build anyway).
const RESOURCE_KEYS: &[&str] = &[
    "group",
    "version",
    "kind",
    "plural",
    "singular",
    "shortname",
    "category",
    "printcolumn",
    "status",
    "deprecated",
];

/// Parses the macro's attribute, whose args are [`ResourceArgs`] and the keys `own`. When
/// darling refuses it and the keys it knows still parse without the others, those parsed
/// args come back with darling's errors: the keys that are right still check and expand, so
/// that a misspelt key is one error, not one more at every use of the kind. `Err` when even
/// the known keys do not parse.
pub(crate) fn parse_args<T: FromMeta>(
    metas: &[NestedMeta],
    own: &[&str],
) -> Result<(T, Option<darling::Error>), darling::Error> {
    let darling = match T::from_list(metas) {
        Ok(args) => return Ok((args, None)),
        Err(darling) => darling,
    };
    let kept: Vec<NestedMeta> = metas
        .iter()
        .filter(|meta| match meta {
            NestedMeta::Meta(meta) => meta
                .path()
                .get_ident()
                .is_some_and(|key| RESOURCE_KEYS.iter().chain(own).any(|k| key == k)),
            _ => false,
        })
        .cloned()
        .collect();
    if kept.len() == metas.len() {
        return Err(darling);
    }
    match T::from_list(&kept) {
        Ok(args) => Ok((args, Some(darling))),
        Err(_) => Err(darling),
    }
}

/// Names and columns, checked, ready for the `#[kube(...)]` attribute.
pub(crate) struct Checked {
    plural: String,
    singular: String,
    columns: Vec<TokenStream>,
}

impl ResourceArgs {
    /// The kind, as the root type's identifier.
    pub(crate) fn kind_ident(&self) -> syn::Ident {
        syn::Ident::new(self.kind.as_str(), self.kind.span())
    }

    /// Whether the item can still be expanded beside errors: the kind is an identifier other
    /// than the struct's, and the struct has named fields and no generics. The kind then
    /// exists, and its uses resolve.
    pub(crate) fn expandable(&self, item: &ItemStruct) -> bool {
        let kind = self.kind.as_str();
        rules::kind(kind).is_ok()
            && syn::parse_str::<syn::Ident>(kind).is_ok()
            && item.ident != kind
            && matches!(item.fields, Fields::Named(_))
            && item.generics.params.is_empty()
    }

    /// The status type, if any.
    pub(crate) fn status(&self) -> Option<&syn::Path> {
        self.status.as_ref()
    }

    /// Every naming and column rule, reported into `errors`.
    pub(crate) fn check(&self, item: &ItemStruct, errors: &mut Errors) -> Checked {
        check_shape(item, errors);
        check_kind_is_not_the_struct(item, self, errors);
        let plural = checked_plural(self, errors);
        let singular = self
            .singular
            .as_ref()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| self.kind.to_lowercase());
        errors.check(&self.group, "group", rules::api_group);
        errors.check(&self.version, "version", rules::api_version);
        errors.check(&self.kind, "kind", rules::kind);
        if let Some(singular) = &self.singular {
            errors.check(singular, "singular", rules::resource_name);
        }
        check_names(&self.short_names, "shortname", errors);
        check_names(&self.categories, "category", errors);
        if let Some(warning) = &self.deprecated
            && warning.trim().is_empty()
        {
            errors.push(
                warning.span(),
                "`deprecated` takes the warning clients print, which must not be empty",
            );
        }
        let columns = self
            .printer_columns
            .iter()
            .map(|c| printer_column(c, errors))
            .collect();
        Checked {
            plural,
            singular,
            columns,
        }
    }

    /// The derives and the `#[kube(...)]` attribute for the spec struct.
    pub(crate) fn kube_attributes(
        &self,
        checked: &Checked,
        item: &ItemStruct,
        namespaced: bool,
    ) -> TokenStream {
        let (group, version, kind) = (
            self.group.as_str(),
            self.version.as_str(),
            self.kind.as_str(),
        );
        let Checked {
            plural,
            singular,
            columns,
        } = checked;
        let short_names = self.short_names.iter().map(|s| s.as_str());
        let categories = self.categories.iter().map(|s| s.as_str());
        let status = self.status.as_ref().map(|path| {
            let path = LitStr::new(
                &quote!(#path).to_string().replace(' ', ""),
                Span::call_site(),
            );
            quote! { status = #path, }
        });
        let doc = doc_comment(&item.attrs)
            .map(|d| quote! { doc = #d, })
            .unwrap_or_default();
        let namespaced = namespaced.then(|| quote! { namespaced, });
        let deprecated = self.deprecated.as_ref().map(|warning| {
            let warning = warning.as_str();
            quote! { deprecated = #warning, }
        });
        let derives = api_derives();
        let rename = camel_case_unless_renamed(&item.attrs);
        quote! {
            #derives
            #[derive(::promise_core::__private::CustomResource)]
            #[kube(
                group = #group,
                version = #version,
                kind = #kind,
                #namespaced
                plural = #plural,
                singular = #singular,
                #( shortname = #short_names, )*
                #( category = #categories, )*
                #( #columns, )*
                #status
                #deprecated
                #doc
                derive = "PartialEq",
                crates(
                    kube_core = "::promise_core::__private::kube_core",
                    k8s_openapi = "::promise_core::__private::k8s_openapi",
                    schemars = "::promise_core::__private::schemars",
                    serde = "::promise_core::__private::serde",
                    serde_json = "::promise_core::__private::serde_json",
                    std = "::std",
                ),
            )]
            #rename
        }
    }
}

/// The spec struct must have named fields, no generics, and a name other than the kind.
/// The struct's own shape, which needs no attribute: checked even when the attribute does not
/// parse, so that both kinds of mistake are reported in one pass (serde_derive's way).
pub(crate) fn check_shape(item: &ItemStruct, errors: &mut Errors) {
    if !matches!(item.fields, Fields::Named(_)) {
        errors.push_spanned(
            &item.ident,
            "applies to a struct with named fields: the request's spec",
        );
    }
    if !item.generics.params.is_empty() {
        errors.push_spanned(
            &item.generics,
            "a promise API cannot be generic: the CRD has one schema",
        );
    }
}

fn check_kind_is_not_the_struct(item: &ItemStruct, args: &ResourceArgs, errors: &mut Errors) {
    if item.ident == args.kind.as_str() {
        errors.push(
            args.kind.span(),
            format!(
                "`kind = \"{kind}\"` names the generated root type, so the spec struct cannot \
                 have that name too; rename the struct to `{kind}Spec`",
                kind = args.kind.as_str()
            ),
        );
    }
}

fn checked_plural(args: &ResourceArgs, errors: &mut Errors) -> String {
    match &args.plural {
        Some(plural) => {
            errors.check(plural, "plural", rules::resource_name);
            plural.as_str().to_string()
        }
        None => pluralize(&args.kind.to_lowercase()),
    }
}

/// Short names and categories: lower-case labels, each given once.
fn check_names(names: &[SpannedValue<String>], key: &str, errors: &mut Errors) {
    for (i, name) in names.iter().enumerate() {
        errors.check(name, key, rules::resource_name);
        if names[..i]
            .iter()
            .any(|earlier| earlier.as_str() == name.as_str())
        {
            errors.push(name.span(), format!("duplicate {key} `{}`", name.as_str()));
        }
    }
}

fn printer_column(column: &PrinterColumn, errors: &mut Errors) -> TokenStream {
    let name = column.name.as_str();
    let json_path = column.json_path.as_str();
    if name.trim().is_empty() {
        errors.push(column.name.span(), "printcolumn `name` must not be empty");
    }
    if !json_path.starts_with('.') {
        errors.push(
            column.json_path.span(),
            format!(
                "printcolumn `json_path = \"{json_path}\"` must start with `.`; \
                 did you mean `.{}`?",
                json_path.trim_start_matches('$').trim_start_matches('.')
            ),
        );
    }
    let ty = match &column.ty {
        Some(ty) => {
            if !COLUMN_TYPES.contains(&ty.as_str()) {
                errors.push(ty.span(), one_of("printcolumn `type_`", ty, COLUMN_TYPES));
            }
            ty.as_str()
        }
        None => "string",
    };
    let format = column.format.as_ref().map(|format| {
        if !COLUMN_FORMATS.contains(&format.as_str()) {
            errors.push(
                format.span(),
                one_of("printcolumn `format`", format, COLUMN_FORMATS),
            );
        }
        let format = format.as_str();
        quote! { format = #format, }
    });
    // A negative priority is left out of the expansion, which goes on beside the error:
    // kube-derive does not read `-1`.
    let priority = column.priority.as_ref().and_then(|priority| {
        if **priority < 0 {
            errors.push(priority.span(), "printcolumn `priority` must be 0 or more");
            return None;
        }
        let priority = **priority;
        Some(quote! { priority = #priority, })
    });
    let description = column
        .description
        .as_ref()
        .map(|d| quote! { description = #d, });
    quote! {
        printcolumn(name = #name, type_ = #ty, json_path = #json_path, #description #format #priority)
    }
}

fn one_of(what: &str, value: &str, allowed: &[&str]) -> String {
    let allowed = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match allowed_suggestion(value, allowed.as_str()) {
        Some(s) => format!("unknown {what} `{value}`; did you mean `{s}`? Allowed: {allowed}"),
        None => format!("unknown {what} `{value}`; allowed: {allowed}"),
    }
}

/// The allowed value that differs from `value` only in case, if any.
fn allowed_suggestion<'a>(value: &str, allowed: &'a str) -> Option<&'a str> {
    allowed
        .split(", ")
        .map(|a| a.trim_matches('`'))
        .find(|a| a.eq_ignore_ascii_case(value))
}

/// The same naive pluralisation kube-derive applies, so the default matches what kube would do.
pub(crate) fn pluralize(word: &str) -> String {
    if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else if let Some(stem) = word.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    }
}

/// Semantic errors, collected so that the user sees them all in one build (serde_derive's
/// `Ctxt`), each spanned at the offending literal and prefixed with the macro's name.
pub(crate) struct Errors {
    prefix: &'static str,
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Errors of the macro named `prefix` (`#[promise_api]`).
    pub(crate) fn new(prefix: &'static str) -> Self {
        Self {
            prefix,
            errors: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors
            .push(syn::Error::new(span, format!("{} {message}", self.prefix)));
    }

    pub(crate) fn push_spanned(
        &mut self,
        tokens: impl quote::ToTokens,
        message: impl std::fmt::Display,
    ) {
        self.errors.push(syn::Error::new_spanned(
            tokens,
            format!("{} {message}", self.prefix),
        ));
    }

    pub(crate) fn check(
        &mut self,
        value: &SpannedValue<String>,
        key: &str,
        rule: impl Fn(&str) -> Result<(), rules::Broken>,
    ) {
        if let Err(broken) = rule(value.as_str()) {
            self.push(
                value.span(),
                format!("`{key} = \"{}\"` {broken}", value.as_str()),
            );
        }
    }

    /// `darling`'s errors for an attribute that did not parse, with every error found so far.
    pub(crate) fn with_darling(self, darling: darling::Error) -> TokenStream {
        let mut tokens = darling.write_errors();
        if let Err(ours) = self.finish() {
            tokens.extend(ours);
        }
        tokens
    }

    /// Every error as tokens: darling's for the keys it did not know (see [`parse_args`]),
    /// then ours; empty when there are none.
    pub(crate) fn into_tokens(self, unknown: Option<darling::Error>) -> TokenStream {
        match unknown {
            Some(darling) => self.with_darling(darling),
            None => self.finish().err().unwrap_or_default(),
        }
    }

    pub(crate) fn finish(self) -> Result<(), TokenStream> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self
                .errors
                .iter()
                .map(syn::Error::to_compile_error)
                .collect())
        }
    }
}
