//! function-patch-and-transform's input (`pt.fn.crossplane.io/v1beta1` `Resources`): every
//! patch type and transform its Go code supports, built so that required fields cannot be
//! left out and composite-side paths are typed.

use serde::Serialize;
use serde_json::Value;

use super::connection::ConnectionDetail;
use super::path::FieldPath;
use super::readiness::ReadinessCheck;
use super::transform::Transform;
use crate::Diagnostic;

/// Enums whose variants can be listed, so a `map` transform can cover all of them.
/// `#[api_type]` implements it for enums of unit variants.
pub trait Variants: Sized + Serialize + 'static {
    /// Every variant, in declaration order.
    const VARIANTS: &'static [Self];
}

/// The input of a function-patch-and-transform pipeline step.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// Always `pt.fn.crossplane.io/v1beta1`.
    pub api_version: &'static str,
    /// Always `Resources`.
    pub kind: &'static str,
    /// The composed resources.
    pub resources: Vec<ComposedTemplate>,
    /// Named groups of patches, included with [`Patch::patch_set`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patch_sets: Vec<PatchSet>,
}

impl Resources {
    /// An input composing `resources`.
    pub fn new(resources: Vec<ComposedTemplate>) -> Self {
        Self {
            api_version: "pt.fn.crossplane.io/v1beta1",
            kind: "Resources",
            resources,
            patch_sets: Vec::new(),
        }
    }

    /// Adds a named patch set.
    pub fn patch_set(mut self, name: impl Into<String>, patches: Vec<Patch>) -> Self {
        self.patch_sets.push(PatchSet {
            name: name.into(),
            patches,
        });
        self
    }
}

/// A named group of patches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatchSet {
    /// Name used by [`Patch::patch_set`].
    pub name: String,
    /// The patches; a patch set cannot include another one.
    pub patches: Vec<Patch>,
}

/// Produces a composed type's schema (from `Composed::schema`).
pub(crate) type SchemaFn = fn() -> Result<super::Schema, Diagnostic>;

/// One composed resource: its base object, patches, connection details and readiness.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComposedTemplate {
    /// Unique within the composition; becomes the composition-resource-name annotation.
    pub name: String,
    /// The object as a template.
    pub base: Value,
    /// Patches, applied in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<Patch>,
    /// Connection details exposed from this resource.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connection_details: Vec<ConnectionDetail>,
    /// How to tell the resource is ready; default: condition `Ready=True`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readiness_checks: Vec<ReadinessCheck>,
    /// The composed type's schema, for checking composed-side paths at render time.
    #[serde(skip)]
    pub(crate) schema: Option<SchemaFn>,
    /// Schemas of objects embedded in the composed one (provider-kubernetes' `manifest`),
    /// by the path they sit at.
    #[serde(skip)]
    pub(crate) embedded: Vec<(String, SchemaFn)>,
    /// Why the template could not be built (a base that does not serialize), reported at
    /// render time.
    #[serde(skip)]
    pub(crate) unbuilt: Option<String>,
}

/// Which way a patch goes, and what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PatchType {
    /// Composite field → composed field.
    FromCompositeFieldPath,
    /// Composed field → composite field (its status, in Crossplane v2).
    ToCompositeFieldPath,
    /// Several composite fields, formatted → composed field.
    CombineFromComposite,
    /// Several composed fields, formatted → composite field.
    CombineToComposite,
    /// Environment field → composed field.
    FromEnvironmentFieldPath,
    /// Composed field → environment field.
    ToEnvironmentFieldPath,
    /// Several environment fields → composed field.
    CombineFromEnvironment,
    /// Several composed fields → environment field.
    CombineToEnvironment,
    /// Includes a patch set.
    PatchSet,
}

/// A patch. Build it with the constructors, which require each type's fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Patch {
    #[serde(rename = "type")]
    type_: PatchType,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_field_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_field_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    combine: Option<Combine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch_set_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    transforms: Vec<Transform>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<PatchPolicy>,
}

/// `combine`: several values formatted into one string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Combine {
    strategy: &'static str,
    variables: Vec<CombineVariable>,
    string: CombineString,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct CombineVariable {
    from_field_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct CombineString {
    fmt: String,
}

/// `policy`: what to do with a missing source, and how to write the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchPolicy {
    /// `Optional` (default, the patch is skipped) or `Required` (the patch fails).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_field_path: Option<FromFieldPathPolicy>,
    /// How the value is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_field_path: Option<ToFieldPathPolicy>,
}

/// `policy.fromFieldPath`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FromFieldPathPolicy {
    /// Skip the patch when the source is missing.
    Optional,
    /// Fail until the source exists.
    Required,
}

/// `policy.toFieldPath`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ToFieldPathPolicy {
    /// Replace the destination (default).
    Replace,
    /// Merge objects, keeping the destination's values.
    MergeObjects,
    /// Merge objects and append arrays.
    MergeObjectsAppendArrays,
    /// Merge objects, overwriting the destination's values.
    ForceMergeObjects,
    /// Merge objects overwriting, and append arrays.
    ForceMergeObjectsAppendArrays,
}

/// A patch whose source has type `T`, before it is finished into a [`Patch`]: typed transforms
/// (such as an exhaustive [`map`](TypedPatch::map)) are only offered where they fit `T`.
#[derive(Debug, Clone)]
#[must_use = "finish the patch with `.into()` or pass it where a Patch is expected"]
pub struct TypedPatch<T> {
    patch: Patch,
    source: std::marker::PhantomData<fn() -> T>,
}

impl<T> TypedPatch<T> {
    /// Adds a transform.
    pub fn transform(mut self, transform: Transform) -> Self {
        self.patch.transforms.push(transform);
        self
    }

    /// Fails the patch while the source is missing instead of skipping it.
    pub fn required(mut self) -> Self {
        self.patch
            .policy
            .get_or_insert_with(PatchPolicy::default)
            .from_field_path = Some(FromFieldPathPolicy::Required);
        self
    }

    /// How the value is written to the destination.
    pub fn to_policy(mut self, policy: ToFieldPathPolicy) -> Self {
        self.patch
            .policy
            .get_or_insert_with(PatchPolicy::default)
            .to_field_path = Some(policy);
        self
    }
}

impl<T: Variants> TypedPatch<T> {
    /// A `map` transform over every variant of `T`: write `f` as a `match`, and the compiler
    /// checks that no variant is left out, so no value reaches Crossplane unmapped.
    pub fn map<V: Serialize>(self, f: impl Fn(&T) -> V) -> Self {
        let transform = Transform::map_variants(f);
        self.transform(transform)
    }
}

impl<T> From<TypedPatch<T>> for Patch {
    fn from(typed: TypedPatch<T>) -> Patch {
        typed.patch
    }
}

impl Patch {
    fn of(type_: PatchType) -> Self {
        Self {
            type_,
            from_field_path: None,
            to_field_path: None,
            combine: None,
            patch_set_name: None,
            transforms: Vec::new(),
            policy: None,
        }
    }

    /// Copies composite field `from` to composed field `to` (checked at render time).
    pub fn from_composite<T>(from: FieldPath<T>, to: &str) -> TypedPatch<T> {
        let mut patch = Self::of(PatchType::FromCompositeFieldPath);
        patch.from_field_path = Some(from.as_str().to_string());
        patch.to_field_path = Some(to.to_string());
        TypedPatch {
            patch,
            source: std::marker::PhantomData,
        }
    }

    /// Copies composed field `from` (checked at render time) to composite field `to`.
    pub fn to_composite<T>(from: &str, to: FieldPath<T>) -> TypedPatch<serde_json::Value> {
        let mut patch = Self::of(PatchType::ToCompositeFieldPath);
        patch.from_field_path = Some(from.to_string());
        patch.to_field_path = Some(to.as_str().to_string());
        TypedPatch {
            patch,
            source: std::marker::PhantomData,
        }
    }

    /// Formats composite fields with Go's `fmt` verbs into composed field `to`.
    pub fn combine_from_composite<T>(
        from: &[FieldPath<T>],
        fmt: &str,
        to: &str,
    ) -> TypedPatch<String> {
        let vars = from.iter().map(|p| p.as_str().to_string()).collect();
        Self::combine(PatchType::CombineFromComposite, vars, fmt, to.to_string())
    }

    /// Formats composed fields into composite field `to`.
    pub fn combine_to_composite<T>(
        from: &[&str],
        fmt: &str,
        to: FieldPath<T>,
    ) -> TypedPatch<String> {
        let vars = from.iter().map(|p| p.to_string()).collect();
        Self::combine(
            PatchType::CombineToComposite,
            vars,
            fmt,
            to.as_str().to_string(),
        )
    }

    /// Copies environment field `from` to composed field `to`.
    pub fn from_environment(from: &str, to: &str) -> TypedPatch<serde_json::Value> {
        Self::plain(PatchType::FromEnvironmentFieldPath, from, to)
    }

    /// Copies composed field `from` to environment field `to`.
    pub fn to_environment(from: &str, to: &str) -> TypedPatch<serde_json::Value> {
        Self::plain(PatchType::ToEnvironmentFieldPath, from, to)
    }

    /// Formats environment fields into composed field `to`.
    pub fn combine_from_environment(from: &[&str], fmt: &str, to: &str) -> TypedPatch<String> {
        Self::combine(
            PatchType::CombineFromEnvironment,
            from.iter().map(|p| p.to_string()).collect(),
            fmt,
            to.to_string(),
        )
    }

    /// Formats composed fields into environment field `to`.
    pub fn combine_to_environment(from: &[&str], fmt: &str, to: &str) -> TypedPatch<String> {
        Self::combine(
            PatchType::CombineToEnvironment,
            from.iter().map(|p| p.to_string()).collect(),
            fmt,
            to.to_string(),
        )
    }

    /// Includes the patch set `name`.
    pub fn patch_set(name: &str) -> Patch {
        let mut patch = Self::of(PatchType::PatchSet);
        patch.patch_set_name = Some(name.to_string());
        patch
    }

    fn plain(type_: PatchType, from: &str, to: &str) -> TypedPatch<serde_json::Value> {
        let mut patch = Self::of(type_);
        patch.from_field_path = Some(from.to_string());
        patch.to_field_path = Some(to.to_string());
        TypedPatch {
            patch,
            source: std::marker::PhantomData,
        }
    }

    fn combine<T>(
        type_: PatchType,
        variables: Vec<String>,
        fmt: &str,
        to: String,
    ) -> TypedPatch<T> {
        let mut patch = Self::of(type_);
        patch.combine = Some(Combine {
            strategy: "string",
            variables: variables
                .into_iter()
                .map(|from_field_path| CombineVariable { from_field_path })
                .collect(),
            string: CombineString {
                fmt: fmt.to_string(),
            },
        });
        patch.to_field_path = Some(to);
        TypedPatch {
            patch,
            source: std::marker::PhantomData,
        }
    }

    /// Paths this patch reads from or writes to on the composed resource, with the field
    /// that holds each.
    pub(crate) fn composed_paths(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        let to = self.to_field_path.as_deref();
        let from = self.from_field_path.as_deref();
        match self.type_ {
            PatchType::FromCompositeFieldPath | PatchType::FromEnvironmentFieldPath => {
                out.extend(to.map(|p| ("toFieldPath", p)))
            }
            PatchType::CombineFromComposite | PatchType::CombineFromEnvironment => {
                out.extend(to.map(|p| ("toFieldPath", p)))
            }
            PatchType::ToCompositeFieldPath | PatchType::ToEnvironmentFieldPath => {
                out.extend(from.map(|p| ("fromFieldPath", p)))
            }
            PatchType::CombineToComposite | PatchType::CombineToEnvironment => {
                for v in self.combine.iter().flat_map(|c| &c.variables) {
                    out.push((
                        "combine.variables.fromFieldPath",
                        v.from_field_path.as_str(),
                    ));
                }
            }
            PatchType::PatchSet => {}
        }
        out
    }

    /// The patch set this patch includes, if it is a `PatchSet` patch.
    pub(crate) fn included_set(&self) -> Option<&str> {
        self.patch_set_name.as_deref()
    }

    /// Checks the rules function-patch-and-transform's `ValidatePatch` applies.
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(combine) = &self.combine {
            if combine.variables.is_empty() {
                return Err("combine needs at least one variable".into());
            }
            let verbs = count_verbs(&combine.string.fmt);
            if verbs != combine.variables.len() {
                return Err(format!(
                    "combine.string.fmt {:?} has {verbs} verbs for {} variables",
                    combine.string.fmt,
                    combine.variables.len()
                ));
            }
        }
        for transform in &self.transforms {
            transform.check()?;
        }
        Ok(())
    }
}

/// `%v`, `%s`, `%d`... in a Go format string; `%%` is a literal percent sign.
fn count_verbs(fmt: &str) -> usize {
    let mut count = 0;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.next() {
                Some('%') | None => {}
                Some(_) => count += 1,
            }
        }
    }
    count
}

/// Sets the dotted path `at` of `node` to `value`, creating the maps on the way.
fn set_at(node: &mut Value, at: &str, value: Value) {
    let (key, rest) = match at.split_once('.') {
        Some((key, rest)) => (key, Some(rest)),
        None => (at, None),
    };
    if !node.is_object() {
        *node = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = node {
        let child = map.entry(key).or_insert(Value::Null);
        match rest {
            Some(rest) => set_at(child, rest, value),
            None => *child = value,
        }
    }
}

impl ComposedTemplate {
    /// A composed resource named `name` whose base is the typed object `base`; its paths are
    /// checked against `K`'s schema at render time.
    pub fn new<K: super::Composed>(name: impl Into<String>, base: &K) -> Self {
        let (base, unbuilt) = match serde_json::to_value(base) {
            Ok(base) => (base, None),
            Err(e) => (
                Value::Null,
                Some(format!("the base cannot be serialized: {e}")),
            ),
        };
        Self {
            name: name.into(),
            base,
            patches: Vec::new(),
            connection_details: Vec::new(),
            readiness_checks: Vec::new(),
            schema: Some(K::schema),
            embedded: Vec::new(),
            unbuilt,
        }
    }

    /// Checks paths below `at` (such as provider-kubernetes' `spec.forProvider.manifest`,
    /// which its CRD leaves open) against the schema of the embedded object `K`.
    pub fn embedded<K: super::Composed>(mut self, at: &str) -> Self {
        self.embedded.push((at.to_string(), K::schema));
        self
    }

    /// Places the typed object `object` at the dotted path `at` of the base (such as
    /// provider-kubernetes' `spec.forProvider.manifest`), and checks paths into it against
    /// `K`'s schema, as [`embedded`](Self::embedded) does.
    pub fn embed<K: super::Composed + Serialize>(mut self, at: &str, object: &K) -> Self {
        match serde_json::to_value(object) {
            Ok(value) => set_at(&mut self.base, at, value),
            Err(e) => {
                self.unbuilt = Some(format!(
                    "the object embedded at {at} cannot be serialized: {e}"
                ));
            }
        }
        self.embedded::<K>(at)
    }

    /// The composed type's schema with the embedded objects' schemas grafted in.
    pub(crate) fn full_schema(&self) -> Option<Result<super::Schema, Diagnostic>> {
        let schema = self.schema.map(|f| f());
        let Some(Ok(mut schema)) = schema else {
            return schema;
        };
        for (at, embedded) in &self.embedded {
            let embedded = match embedded() {
                Ok(embedded) => embedded,
                Err(e) => {
                    return Some(Err(Diagnostic::new(format!(
                        "the schema embedded at {at}: {e}"
                    ))));
                }
            };
            if let Err(e) = super::path::graft(&mut schema, at, embedded) {
                return Some(Err(Diagnostic::new(e)));
            }
        }
        Some(Ok(schema))
    }

    /// Adds a patch.
    pub fn patch(mut self, patch: impl Into<Patch>) -> Self {
        self.patches.push(patch.into());
        self
    }

    /// Exposes a connection detail.
    pub fn connection_detail(mut self, detail: ConnectionDetail) -> Self {
        self.connection_details.push(detail);
        self
    }

    /// Adds a readiness check (replacing the default `Ready=True` condition check).
    pub fn readiness(mut self, check: ReadinessCheck) -> Self {
        self.readiness_checks.push(check);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_format_verbs_are_counted() {
        assert_eq!(count_verbs("%s-%s"), 2);
        assert_eq!(count_verbs("100%% %d"), 1);
        assert_eq!(count_verbs("plain"), 0);
    }
}
