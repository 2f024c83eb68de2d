//! What a step produces, collected in memory and written only when the step succeeds.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::Serialize;
use serde_json::{Map, Value};

use super::files::{MAX_METADATA_BYTES, Planned, read_regular, write_all_or_nothing};
use super::selectors::{self, DirectorySelector};
use super::{Context, StatusUpdate, StepError, WorkflowAction};
use crate::kratix::GoDuration;

/// `/kratix/metadata/workflow-control.yaml`: stop the workflow after this pipeline.
///
/// Kratix then skips writing this pipeline's output, marks the pipeline `Suspended` and
/// runs no later pipeline. `retry_after` wins over `suspend`; without it, removing the
/// object's `kratix.io/workflow-suspended` label resumes the workflow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowControl {
    /// Suspend until the label is removed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suspend: bool,
    /// Re-run the pipeline after this long, written in Go's duration syntax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<GoDuration>,
    /// Shown on the pipeline's status entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Everything a step writes: output files, status, destination selectors, workflow control.
///
/// ```
/// use promise_core::pipeline::Output;
///
/// let mut out = Output::default();
/// out.write("namespace.yaml", &serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}})).unwrap();
/// // A name its kind refuses is an error, before anything is written.
/// let service = serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "9shop"}});
/// assert!(out.write("service.yaml", &service).is_err());
/// assert!(out.write("../escape.yaml", &1).is_err());
/// assert!(out.write("/etc/passwd", &1).is_err());
/// ```
#[derive(Debug, Default)]
pub struct Output {
    files: BTreeMap<String, String>,
    status: StatusUpdate,
    selectors: Vec<DirectorySelector>,
    control: Option<WorkflowControl>,
}

impl Output {
    /// Writes `value` as YAML to `/kratix/output/<path>`. `path` is relative; its first
    /// directory, if any, is a group that [`select`](Output::select) can send elsewhere.
    pub fn write(&mut self, path: &str, value: &impl Serialize) -> Result<(), StepError> {
        let clean = relative_path(path)?;
        check_object(&clean, value)?;
        let yaml = crate::yaml::to_string(value).map_err(|e| {
            StepError::field("output", path, format!("cannot be written as YAML: {e}"))
        })?;
        self.add(clean, yaml)
    }

    /// Records a file unless its path is taken: by the same file, or by a directory of
    /// another file (`b` and `b/c.yaml` cannot both exist).
    fn add(&mut self, path: String, content: String) -> Result<(), StepError> {
        if self.files.contains_key(&path) {
            return Err(StepError::field(
                "output",
                path,
                "written twice by this step",
            ));
        }
        // `a` names a directory of `b`: `b` is `a/...`.
        let under = |a: &str, b: &str| b.strip_prefix(a).is_some_and(|rest| rest.starts_with('/'));
        if let Some(other) = self
            .files
            .keys()
            .find(|other| under(&path, other) || under(other, &path))
        {
            return Err(StepError::field(
                "output",
                path,
                format!("conflicts with {other:?}: one would be a file and a directory"),
            ));
        }
        self.files.insert(path, content);
        Ok(())
    }

    /// The status update.
    pub fn status(&mut self) -> &mut StatusUpdate {
        &mut self.status
    }

    /// Sends the files under `directory` (a top-level directory of the output), or with
    /// `None` the remaining files, to Destinations with all of `labels`.
    pub fn select<K: Into<String>, V: Into<String>>(
        &mut self,
        directory: Option<&str>,
        labels: impl IntoIterator<Item = (K, V)>,
    ) {
        self.selectors.push(DirectorySelector {
            directory: directory.map(str::to_string),
            match_labels: labels
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        });
    }

    /// Stops the workflow after this pipeline.
    pub fn control(&mut self, control: WorkflowControl) {
        self.control = Some(control);
    }

    /// The output files so far, by relative path.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// Checks everything against the contract, then writes it: each file through a
    /// temporary file in its target directory, renamed into place only once all are ready
    /// (see [`files`](super::files)).
    /// Returns the paths written, relative to the root.
    pub(crate) fn commit(
        self,
        ctx: &Context,
        current_status: Option<&Value>,
    ) -> Result<Vec<String>, StepError> {
        let delete = ctx.action == WorkflowAction::Delete;
        if delete && !self.files.is_empty() {
            let first = self.files.keys().next().cloned().unwrap_or_default();
            return Err(StepError::field(
                "output",
                first,
                "Kratix ignores the output of delete workflows; clean up in the step or let Kratix remove the Works",
            ));
        }
        if delete && !self.selectors.is_empty() {
            return Err(
                StepError::new("Kratix ignores destination selectors in delete workflows")
                    .at("destinationSelectors"),
            );
        }
        let mut plan: Vec<Planned> = self
            .files
            .into_iter()
            .map(|(path, content)| Planned {
                relative: format!("output/{path}"),
                content,
            })
            .collect();
        let metadata = ctx.metadata_dir();
        if !self.status.is_empty() {
            let mut earlier = read_map(&metadata.join("status.yaml"))?;
            // An earlier step, maybe not ours, wrote it: it obeys the same rules as ours.
            super::status::check_earlier(&earlier, ctx)
                .map_err(|e| e.at("metadata/status.yaml (written by an earlier step)"))?;
            self.status.merge_into(&mut earlier, current_status, ctx)?;
            plan.push(Planned {
                relative: "metadata/status.yaml".into(),
                content: yaml(&earlier)?,
            });
        }
        if !self.selectors.is_empty() {
            let mut merged = selectors::parse_written(
                read_yaml(&metadata.join("destination-selectors.yaml"))?.unwrap_or_default(),
            )
            .map_err(|e| {
                e.at("metadata/destination-selectors.yaml (written by an earlier step)")
            })?;
            selectors::merge(&mut merged, self.selectors)?;
            plan.push(Planned {
                relative: "metadata/destination-selectors.yaml".into(),
                content: yaml(&merged)?,
            });
        }
        if let Some(control) = self.control {
            if control.message.as_deref().is_some_and(|m| m.contains('\n')) {
                return Err(StepError::new("must be one line").at("workflowControl.message"));
            }
            plan.push(Planned {
                relative: "metadata/workflow-control.yaml".into(),
                content: yaml(&control)?,
            });
        }
        write_all_or_nothing(&ctx.root, &plan)?;
        Ok(plan.into_iter().map(|p| p.relative).collect())
    }
}

/// A Kubernetes object's metadata, checked by its kind's rules (see `object_names`).
fn check_object(file: &str, value: &impl Serialize) -> Result<(), StepError> {
    let header = super::object_header::header_of(value)
        .map_err(|e| StepError::field("output", file, format!("cannot be written as YAML: {e}")))?;
    super::object_names::check(file, &header)
}

/// A relative path made of plain components, with `/` separators.
fn relative_path(path: &str) -> Result<String, StepError> {
    let rule = "must be a relative path of plain names, inside /kratix/output";
    if path.is_empty() || path.contains('\0') || path.contains('\\') {
        return Err(StepError::field("output", path, rule));
    }
    let mut parts = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return Err(StepError::field("output", path, rule)),
        }
    }
    if parts.is_empty() {
        return Err(StepError::field("output", path, rule));
    }
    Ok(parts.join("/"))
}

fn yaml(value: &impl Serialize) -> Result<String, StepError> {
    crate::yaml::to_string(value)
        .map_err(|e| StepError::new(format!("cannot be written as YAML: {e}")))
}

fn read_map(file: &Path) -> Result<Map<String, Value>, StepError> {
    Ok(read_yaml::<Option<Map<String, Value>>>(file)?
        .flatten()
        .unwrap_or_default())
}

/// A metadata file an earlier step of this pipeline wrote, if any: a regular file of at most
/// 1 MiB (`MAX_METADATA_BYTES`), read without following a link or blocking.
pub fn read_yaml<T: serde::de::DeserializeOwned>(file: &Path) -> Result<Option<T>, StepError> {
    let shown = format!(
        "metadata/{}",
        file.file_name().unwrap_or_default().to_string_lossy()
    );
    let Some(bytes) = read_regular(file, &shown, MAX_METADATA_BYTES)? else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| StepError::new(format!("not UTF-8: {e}")).at(&shown))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_saphyr::from_str(text).map(Some).map_err(|e| {
        let first = e.to_string().lines().next().unwrap_or("").to_string();
        StepError::new(format!(
            "written by an earlier step, but not readable: {first}"
        ))
        .at(&shown)
    })
}
