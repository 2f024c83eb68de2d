//! Render-time checks over Crossplane objects: what Crossplane itself never validates
//! (function input, composed-side field paths) and what only fails once applied
//! (dangling composite type and function references, colliding CRD names).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Bundle, CompositeResourceDefinition, Composition, Resources, resolve_path};
use crate::Diagnostic;
use crate::names::rules;
use crate::problem::{Problem, Problems};
use crate::schema;

/// The bundle's objects as Promise dependencies (XRDs, then Compositions, then Functions),
/// after checking each on its own.
pub(crate) fn bundle(promise: &str, bundle: &Bundle, problems: &mut Problems) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, xrd) in bundle.xrds.iter().enumerate() {
        match xrd {
            Err(refused) => {
                problems.report_at(promise, &format!("crossplane xrd[{i}]"), refused.clone())
            }
            Ok(xrd) => {
                for (v, version) in xrd.spec.versions.iter().enumerate() {
                    for violation in schema::lint(&version.schema.open_api_v3_schema) {
                        let field = format!(
                            "xrd {:?} spec.versions[{v}].schema.openAPIV3Schema",
                            xrd.metadata.name
                        );
                        problems.report_at(promise, &field, schema::not_structural(violation));
                    }
                }
                if xrd.spec.versions.iter().filter(|v| v.referenceable).count() != 1 {
                    problems.report(
                        promise,
                        format!("xrd {:?} spec.versions", xrd.metadata.name),
                        None,
                        "exactly one version must be referenceable",
                    );
                }
                push(&mut out, xrd, promise, problems);
            }
        }
    }
    for composition in &bundle.compositions {
        self::composition(promise, composition, problems);
        push(&mut out, composition, promise, problems);
    }
    for function in &bundle.functions {
        if let Err(rule) = rules::dns1123_subdomain(function.name()) {
            problems.report(
                promise,
                "function metadata.name",
                Some(function.name()),
                rule,
            );
        }
        push(&mut out, function, promise, problems);
    }
    out
}

fn push(
    out: &mut Vec<Value>,
    object: &impl serde::Serialize,
    promise: &str,
    problems: &mut Problems,
) {
    match serde_json::to_value(object) {
        Ok(value) => out.push(value),
        Err(e) => problems.report(
            promise,
            "spec.dependencies",
            None,
            format!("cannot be serialized: {e}"),
        ),
    }
}

fn composition(promise: &str, composition: &Composition, problems: &mut Problems) {
    let name = &composition.metadata.name;
    let at = |field: &str| format!("composition {name:?} {field}");
    if let Err(rule) = rules::dns1123_subdomain(name) {
        problems.report(promise, at("metadata.name"), Some(name), rule);
    }
    for (key, value) in &composition.metadata.labels {
        if let Err(rule) = rules::label_key(key).and_then(|()| rules::label_value(value)) {
            problems.report(
                promise,
                at(&format!("metadata.labels[{key:?}]")),
                Some(value),
                rule,
            );
        }
    }
    let pipeline = &composition.spec.pipeline;
    if pipeline.is_empty() || pipeline.len() > 99 {
        problems.report(
            promise,
            at("spec.pipeline"),
            None,
            "must have 1 to 99 steps",
        );
    }
    let mut steps = BTreeSet::new();
    for step in pipeline {
        if !steps.insert(step.step.as_str()) {
            problems.report(
                promise,
                at("spec.pipeline[].step"),
                Some(&step.step),
                "step names must be unique",
            );
        }
    }
    for (i, resources) in composition.resources.iter().enumerate() {
        patch_and_transform(
            promise,
            &at(&format!("patch-and-transform input [{i}]")),
            resources,
            problems,
        );
    }
}

/// What function-patch-and-transform would reject at runtime, and composed-side paths the
/// composed type does not have.
fn patch_and_transform(promise: &str, at: &str, input: &Resources, problems: &mut Problems) {
    // The Composition's step input is this serialized; a failure left the input out.
    if let Err(e) = serde_json::to_value(input) {
        problems.report(promise, at, None, format!("cannot be serialized: {e}"));
    }
    let sets: BTreeMap<&str, _> = input
        .patch_sets
        .iter()
        .map(|s| (s.name.as_str(), &s.patches))
        .collect();
    for set in &input.patch_sets {
        if set.patches.iter().any(|p| p.included_set().is_some()) {
            problems.report(
                promise,
                format!("{at} patchSets[{:?}]", set.name),
                None,
                "a patch set cannot include another patch set",
            );
        }
        for (j, patch) in set.patches.iter().enumerate() {
            if let Err(rule) = patch.check() {
                problems.report(
                    promise,
                    format!("{at} patchSets[{:?}].patches[{j}]", set.name),
                    None,
                    rule,
                );
            }
        }
    }
    let mut names = BTreeSet::new();
    for template in &input.resources {
        let field = format!("{at} resources[{:?}]", template.name);
        if template.name.is_empty() || !names.insert(template.name.as_str()) {
            problems.report(
                promise,
                &field,
                Some(&template.name),
                "resource names must be non-empty and unique",
            );
        }
        if let Some(reason) = &template.unbuilt {
            problems.report(promise, &field, None, reason.clone());
        }
        let schema = match template.full_schema() {
            Some(Ok(schema)) => Some(schema),
            Some(Err(e)) => {
                problems.report(
                    promise,
                    &field,
                    None,
                    format!("the composed type's schema cannot be read: {e}"),
                );
                None
            }
            None => None,
        };
        // Each patch at its own index; a patch set's patches are checked against every
        // template that includes it, since their composed paths depend on the template.
        for (i, patch) in template.patches.iter().enumerate() {
            let included: Vec<(String, &super::Patch)> = match patch.included_set() {
                None => vec![(format!("{field}.patches[{i}]"), patch)],
                Some(set) => match sets.get(set) {
                    Some(patches) => patches
                        .iter()
                        .enumerate()
                        .map(|(j, p)| {
                            (
                                format!("{field}.patches[{i}] (patchSets[{set:?}].patches[{j}])"),
                                p,
                            )
                        })
                        .collect(),
                    None => {
                        problems.report(
                            promise,
                            format!("{field}.patches[{i}]"),
                            Some(set),
                            "names no patch set of this input",
                        );
                        Vec::new()
                    }
                },
            };
            for (at, patch) in included {
                if patch.included_set().is_none()
                    && let Err(rule) = patch.check()
                {
                    // A patch set's own rules are reported once, at the set.
                    if !at.contains("patchSets[") {
                        problems.report(promise, &at, None, rule);
                    }
                }
                for (key, path) in patch.composed_paths() {
                    check_path(
                        promise,
                        &format!("{at}.{key}"),
                        schema.as_ref(),
                        path,
                        problems,
                    );
                }
            }
        }
        for (i, check) in template.readiness_checks.iter().enumerate() {
            if let Some(path) = check.path() {
                check_path(
                    promise,
                    &format!("{field}.readinessChecks[{i}].fieldPath"),
                    schema.as_ref(),
                    path,
                    problems,
                );
            }
        }
        for (i, detail) in template.connection_details.iter().enumerate() {
            if let super::ConnectionDetail::FromFieldPath { path, .. } = detail {
                check_path(
                    promise,
                    &format!("{field}.connectionDetails[{i}].fromFieldPath"),
                    schema.as_ref(),
                    path,
                    problems,
                );
            }
        }
    }
}

fn check_path(
    promise: &str,
    field: &str,
    schema: Option<&super::Schema>,
    path: &str,
    problems: &mut Problems,
) {
    if let Some(schema) = schema
        && let Err(broken) = resolve_path(schema, path)
    {
        problems.report(promise, field, Some(path), broken.rule);
    }
}

/// Across every promise: each compositeTypeRef names a rendered XRD's referenceable
/// version, each functionRef a rendered Function, and no CRD name is defined twice (promise
/// APIs, XRs and claims alike).
pub(crate) fn across(
    bundles: &[(&str, &Bundle)],
    apis: &[(&str, String)],
    problems: &mut Problems,
) {
    let xrds: Vec<(&str, &CompositeResourceDefinition)> = bundles
        .iter()
        .flat_map(|(p, b)| {
            b.xrds
                .iter()
                .filter_map(|x| x.as_ref().ok())
                .map(move |x| (*p, x))
        })
        .collect();
    let functions: BTreeSet<&str> = bundles
        .iter()
        .flat_map(|(_, b)| b.functions.iter().map(|f| f.name()))
        .collect();
    // Several promises may ship the same Function, but not two packages under one name:
    // whichever Destination applies last would win.
    let mut packages: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for (promise, bundle) in bundles {
        for function in &bundle.functions {
            match packages.get(function.name()) {
                Some((first, package)) if *package != function.spec.package => {
                    problems.push(Problem::about(
                        format!("promises {first:?} and {promise:?}"),
                        Diagnostic::shown(
                            format!("function {:?} spec.package", function.name()),
                            Some(format!("{:?} and {:?}", package, function.spec.package)),
                            "one Function name, two packages: pin the same version in both",
                        ),
                    ))
                }
                Some(_) => {}
                None => {
                    packages.insert(function.name(), (promise, &function.spec.package));
                }
            }
        }
    }

    let mut crds: BTreeMap<String, String> = BTreeMap::new();
    let mut define = |name: String, owner: String, problems: &mut Problems| {
        match crds.get(&name) {
        Some(first) => problems.push(Problem::about(
            format!("{first} and {owner}"),
            Diagnostic::field("CRD name", &name, "both define this CustomResourceDefinition; CRD names are cluster-wide, so one would replace the other"),
        )),
        None => {
            crds.insert(name, owner);
        }
    }
    };
    for (promise, crd) in apis {
        define(crd.clone(), format!("promise {promise:?} API"), problems);
    }
    for (promise, xrd) in &xrds {
        define(
            xrd.metadata.name.clone(),
            format!("promise {promise:?} XRD {:?}", xrd.spec.names.kind),
            problems,
        );
        if let Some(claim) = &xrd.spec.claim_names {
            define(
                format!("{}.{}", claim.plural, xrd.spec.group),
                format!("promise {promise:?} claim {:?}", claim.kind),
                problems,
            );
        }
    }

    for (promise, bundle) in bundles {
        for composition in &bundle.compositions {
            let reference = &composition.spec.composite_type_ref;
            let resolved = xrds.iter().any(|(_, xrd)| {
                xrd.spec.names.kind == reference.kind
                    && xrd.spec.versions.iter().any(|v| {
                        v.referenceable
                            && format!("{}/{}", xrd.spec.group, v.name) == reference.api_version
                    })
            });
            if !resolved {
                problems.report(
                    promise,
                    format!(
                        "composition {:?} spec.compositeTypeRef",
                        composition.metadata.name
                    ),
                    Some(&format!("{}, {}", reference.api_version, reference.kind)),
                    "no rendered XRD defines this kind at a referenceable version",
                );
            }
            for step in &composition.spec.pipeline {
                if !functions.contains(step.function_ref.name.as_str()) {
                    problems.report(
                        promise,
                        format!(
                            "composition {:?} spec.pipeline[{:?}].functionRef.name",
                            composition.metadata.name, step.step
                        ),
                        Some(&step.function_ref.name),
                        "no rendered Function has this name; add it to the bundle",
                    );
                }
            }
        }
    }
}
