//! Rendering: a [`Catalog`] becomes the YAML files that go to git, checked first.
//!
//! Everything is checked before anything is returned: a promise with a bad name, a
//! non-structural schema, an example request its own API rejects, or a CRD name another
//! promise also defines yields [`Problems`], all of them, and no files.

mod api_meaning;
mod checks;
mod lint;
mod pipeline_checks;
mod pipelines;

use std::collections::BTreeMap;

use crate::catalog::{Catalog, LazyExample, PromiseDefinition};
use crate::kratix::{PROMISE_VERSION_LABEL, Promise};
use crate::problem::Problems;

pub use lint::{Lint, lint};

/// Rendered files, by path relative to the output directory (`database/promise.yaml`),
/// sorted, each ending in a newline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Contents by relative path, with `/` separators.
    pub files: BTreeMap<String, String>,
}

/// Checks every promise of `catalog` and renders `<promise>/promise.yaml` and, for promises
/// with an API, `<promise>/example-request.yaml`.
pub fn render(catalog: &Catalog) -> Result<Rendered, Problems> {
    let mut problems = Problems::default();
    // Deferred bundles are built once, here.
    let built: Vec<_> = catalog
        .promises()
        .iter()
        .map(|d| (d, d.crossplane_bundle()))
        .collect();
    let mut assembled = Vec::new();
    for (definition, bundle) in &built {
        let image = match catalog.pipeline_image() {
            Some(image) => image,
            None if definition.runs_the_pipeline_binary() => {
                problems.report(
                    definition.name(),
                    "spec.workflows",
                    None,
                    "typed steps run in the pipeline binary's image, and the catalog names none: \
                     set it with `Catalog::image` (the image `cargo xtask image` builds)",
                );
                continue;
            }
            None => "",
        };
        if let Some(promise) = assemble(definition, bundle.as_deref(), image, &mut problems) {
            assembled.push((*definition, promise));
        }
    }
    checks::across_promises(&assembled, &mut problems);
    let bundles: Vec<(&str, &crate::crossplane::Bundle)> = built
        .iter()
        .filter_map(|(d, b)| b.as_deref().map(|b| (d.name(), b)))
        .collect();
    let apis: Vec<(&str, String)> = assembled
        .iter()
        .filter_map(|(d, p)| {
            p.spec
                .api
                .as_ref()
                .and_then(|api| api.metadata.name.clone())
                .map(|n| (d.name(), n))
        })
        .collect();
    crate::crossplane::check::across(&bundles, &apis, &mut problems);
    let mut files = BTreeMap::new();
    if let Some(platform) = catalog.platform_definition() {
        for (definition, promise) in &assembled {
            let selectors = crate::kratix::squash_selectors(&promise.spec.destination_selectors);
            if let Some(problem) =
                crate::platform::check_selectors(platform, definition.name(), &selectors)
            {
                problems.push(problem);
            }
        }
        match platform.render() {
            Ok(platform_files) => files.extend(platform_files),
            Err(platform_problems) => problems.0.extend(platform_problems.0),
        }
    }
    for (definition, promise) in &assembled {
        let name = definition.name();
        match crate::yaml::to_string(promise) {
            Ok(yaml) => {
                files.insert(format!("{name}/promise.yaml"), yaml);
            }
            Err(e) => problems.report(
                name,
                "<promise>",
                None,
                format!("cannot be written as YAML: {e}"),
            ),
        }
        if let Some(Ok(example)) = definition.example.as_ref().map(LazyExample::get) {
            files.insert(format!("{name}/example-request.yaml"), example.yaml.clone());
        }
    }
    problems.into_result(Rendered { files })
}

/// The Kratix `Promise` a definition declares, or `None` after recording why it has none.
fn assemble(
    definition: &PromiseDefinition,
    bundle: Option<&crate::crossplane::Bundle>,
    image: &str,
    problems: &mut Problems,
) -> Option<Promise> {
    let before = problems.0.len();
    let name = definition.name();
    let mut promise = Promise::new(name);
    checks::promise_metadata(definition, problems);
    let mut labels = definition.labels.clone();
    if let Some(version) = &definition.version {
        labels.insert(PROMISE_VERSION_LABEL.to_string(), version.clone());
    }
    if !labels.is_empty() {
        promise.metadata.labels = Some(labels);
    }
    if !definition.annotations.is_empty() {
        promise.metadata.annotations = Some(definition.annotations.clone());
    }

    let before_api = problems.0.len();
    let api = definition
        .api
        .as_ref()
        .and_then(|source| checks::api(name, source, problems));
    // Against a schema that is itself broken, the example's violations would be noise.
    if problems.0.len() == before_api {
        checks::example(definition, api.as_ref(), problems);
    }
    promise.spec.api = api;
    promise.spec.destination_selectors = definition.destination_selectors.clone();
    checks::destination_selectors(name, &promise.spec.destination_selectors, problems);
    promise.spec.required_promises = definition.required_promises.clone();
    checks::required_promises(name, &promise.spec.required_promises, problems);
    let mut dependencies = match bundle {
        Some(bundle) => crate::crossplane::check::bundle(name, bundle, problems),
        None => Vec::new(),
    };
    dependencies.extend(checks::dependencies(
        name,
        &definition.dependencies,
        problems,
    ));
    promise.spec.dependencies = dependencies;
    promise.spec.workflows = pipelines::workflows(definition, image);
    checks::workflows(name, &promise.spec.workflows, problems);
    checks::step_names(definition, problems);
    (problems.0.len() == before).then_some(promise)
}
