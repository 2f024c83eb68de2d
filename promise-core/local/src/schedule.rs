//! Scheduling as Kratix schedules a pipeline's output: workload groups by destination
//! selectors, Destinations chosen per group, files laid out as the state store lays them out,
//! and the static dependencies, a Work of their own.

use std::collections::BTreeMap;

use md5::{Digest, Md5};
use serde_json::Value;

use super::root::{Root, read_yaml};
use super::{Destination, Placement, RunOptions, RunReport};
use promise_core::kratix::{Promise, squash_selectors};
use promise_core::pipeline::{DirectorySelector, WorkflowType, parse_written_selectors};
use promise_core::platform::FilepathMode;

/// Groups a pipeline's output by destination selectors and writes each group where Kratix
/// would: `<dest.path>/resources/<ns>/<promise>/<name>/<pipeline>/<sha5>/...` for resource
/// workflows, `<dest.path>/dependencies/<promise>/<pipeline>/<sha5>/...` for promise workflows.
pub(super) fn schedule(
    promise: &Promise,
    object: &Value,
    pipeline: &str,
    root: &Root,
    options: &RunOptions,
    report: &mut RunReport,
) -> Result<(), String> {
    let output = root.path.join("output");
    let files: Vec<(String, String)> = crate::tree::read_tree(&output)
        .map_err(|e| format!("{}: {e}", output.display()))?
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    // Kratix's work-creator rules: non-empty matchLabels, top-level directories only, no
    // directory twice (after `filepath.Clean`).
    let written: Vec<DirectorySelector> =
        read_yaml(&root.path.join("metadata/destination-selectors.yaml"))?.unwrap_or_default();
    let selectors = parse_written_selectors(written)
        .map_err(|e| format!("pipeline {pipeline}: destination-selectors.yaml: {e}"))?;
    // Kratix's work-creator reads each selected directory; one that is not there fails it.
    for directory in selectors.iter().filter_map(|s| s.directory.as_deref()) {
        if !output.join(directory).is_dir() {
            return Err(format!(
                "pipeline {pipeline}: destination-selectors.yaml selects directory {directory:?}, \
                 which is not a directory in /kratix/output: Kratix's work-creator fails on it"
            ));
        }
    }
    let mut groups: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut root_selectors = BTreeMap::new();
    for selector in selectors {
        match selector.directory {
            None => root_selectors.extend(selector.match_labels),
            Some(dir) => {
                groups.insert(dir, selector.match_labels);
            }
        }
    }
    // The default group: workflow selectors, with the Promise's own winning on a conflict.
    root_selectors.extend(squash_selectors(&promise.spec.destination_selectors));
    let mut by_group: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (path, content) in files {
        let top = path.split('/').next().unwrap_or_default();
        let group = if path.contains('/') && groups.contains_key(top) {
            top.to_string()
        } else {
            ".".to_string()
        };
        by_group.entry(group).or_default().push((path, content));
    }
    let resource = options.workflow_type == WorkflowType::Resource;
    let promise_name = promise.metadata.name.as_deref().unwrap_or_default();
    for (directory, files) in by_group {
        let labels = if directory == "." {
            root_selectors.clone()
        } else {
            groups[&directory].clone()
        };
        let candidates: Vec<&Destination> = options
            .destinations
            .iter()
            .filter(|d| d.matches(&labels))
            .collect();
        let mut names: Vec<String> = candidates.iter().map(|d| d.name.clone()).collect();
        names.sort();
        // Kratix picks one matching Destination at random for a resource's workload group;
        // locally the first by name, so golden files are stable.
        let chosen: Vec<String> = if resource {
            names.iter().take(1).cloned().collect()
        } else {
            names.clone()
        };
        let sha5 = sha5(&directory);
        for destination in options
            .destinations
            .iter()
            .filter(|d| chosen.contains(&d.name))
        {
            let base = if resource {
                // The Work lives in the pipeline's namespace: the request's, unless the Promise
                // sets `workflows.config.pipelineNamespace`.
                let ns = promise
                    .spec
                    .workflows
                    .config
                    .as_ref()
                    .and_then(|config| config.pipeline_namespace.as_deref())
                    .or_else(|| {
                        object
                            .pointer("/metadata/namespace")
                            .and_then(Value::as_str)
                    })
                    .unwrap_or("default");
                let name = object
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                format!(
                    "{}resources/{ns}/{promise_name}/{name}/{pipeline}/{sha5}",
                    destination.prefix()
                )
            } else {
                format!(
                    "{}dependencies/{promise_name}/{pipeline}/{sha5}",
                    destination.prefix()
                )
            };
            for (path, content) in &files {
                place(
                    &mut report.state_store,
                    destination,
                    &format!("{base}/{path}"),
                    path,
                    content,
                );
            }
        }
        report.placements.push(Placement {
            pipeline: pipeline.to_string(),
            directory,
            selectors: labels,
            candidates: names,
            chosen,
            files: files.into_iter().map(|(p, _)| p).collect(),
        });
    }
    Ok(())
}

/// `spec.dependencies`, written with the Promise to every Destination its selectors match.
pub(super) fn static_dependencies(
    promise: &Promise,
    promise_name: &str,
    options: &RunOptions,
    report: &mut RunReport,
) {
    let dependencies = &promise.spec.dependencies;
    if dependencies.is_empty() {
        return;
    }
    let content: String = dependencies
        .iter()
        .map(|d| {
            format!(
                "---\n{}",
                promise_core::yaml::to_string(d).unwrap_or_default()
            )
        })
        .collect();
    let labels = squash_selectors(&promise.spec.destination_selectors);
    let mut chosen: Vec<String> = options
        .destinations
        .iter()
        .filter(|d| d.matches(&labels))
        .map(|d| d.name.clone())
        .collect();
    chosen.sort();
    let file = format!("static/{promise_name}-dependencies.yaml");
    for destination in options
        .destinations
        .iter()
        .filter(|d| chosen.contains(&d.name))
    {
        let nested = format!(
            "{}dependencies/{promise_name}/{}/{file}",
            destination.prefix(),
            sha5(".")
        );
        place(
            &mut report.state_store,
            destination,
            &nested,
            &file,
            &content,
        );
    }
    report.placements.push(Placement {
        pipeline: String::new(),
        directory: ".".into(),
        selectors: labels,
        candidates: chosen.clone(),
        chosen,
        files: vec![file],
    });
}

/// Writes one file into the state store as `destination`'s filepath mode lays it out:
/// `nested` (the full `nestedByMetadata` path), flat at `<dest.path>/<relative>` (`none`), or
/// appended to `<dest.path>/<filename>` (`aggregatedYAML`).
fn place(
    store: &mut BTreeMap<String, String>,
    destination: &Destination,
    nested: &str,
    relative: &str,
    content: &str,
) {
    match &destination.filepath {
        FilepathMode::NestedByMetadata => {
            store.insert(nested.to_string(), content.to_string());
        }
        FilepathMode::None => {
            store.insert(
                format!("{}{relative}", destination.prefix()),
                content.to_string(),
            );
        }
        FilepathMode::AggregatedYaml { filename } => {
            let all = store
                .entry(format!("{}{filename}", destination.prefix()))
                .or_default();
            if !all.is_empty() && !all.ends_with('\n') {
                all.push('\n');
            }
            if !content.starts_with("---") {
                all.push_str("---\n");
            }
            all.push_str(content);
        }
    }
}

/// The first five hex digits of the md5 of a workload group's directory, Kratix's group id.
fn sha5(directory: &str) -> String {
    let digest = Md5::digest(directory.as_bytes());
    digest
        .iter()
        .take(3)
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..5]
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_ids_are_kratix_md5_prefixes() {
        // kratix.md §c: `.` → 5058f, `foo` → acbd1.
        assert_eq!(sha5("."), "5058f");
        assert_eq!(sha5("foo"), "acbd1");
    }
}
