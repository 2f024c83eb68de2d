//! `/kratix/metadata/destination-selectors.yaml`: where groups of output files go.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::StepError;
use crate::names::rules;

/// Sends the files under one top-level output directory (or, without a directory, the
/// files outside every selected directory) to Destinations carrying `match_labels`.
///
/// Kratix reads only top-level directories, and schedules a selected directory by its
/// selector alone: the Promise's own `destinationSelectors` do not apply to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectorySelector {
    /// A top-level directory of `/kratix/output`, or none for the default group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
    /// Labels a Destination must have; must not be empty.
    pub match_labels: BTreeMap<String, String>,
}

/// A directory as Kratix reads it after Go's `filepath.Clean`: `./platform/` is
/// `platform`, and `""` or `.` is the root (no directory).
pub(crate) fn normalize(directory: Option<&str>) -> Option<String> {
    let mut dir = directory?.trim();
    while let Some(rest) = dir.strip_prefix("./") {
        dir = rest;
    }
    let dir = dir.trim_end_matches('/');
    (!dir.is_empty() && dir != ".").then(|| dir.to_string())
}

impl DirectorySelector {
    /// Checks the rules Kratix's work-creator applies.
    pub(crate) fn check(&self) -> Result<(), StepError> {
        let at = match &self.directory {
            Some(dir) => format!("destinationSelectors[{dir:?}]"),
            None => "destinationSelectors[.]".into(),
        };
        if let Some(dir) = &self.directory
            && (dir.is_empty() || dir.contains('/') || dir == "." || dir == "..")
        {
            return Err(StepError::field(
                format!("{at}.directory"),
                dir,
                "must be one top-level directory name: Kratix schedules top-level directories only",
            ));
        }
        if self.match_labels.is_empty() {
            return Err(StepError::new(
                "must not be empty: Kratix rejects a selector without labels",
            )
            .at(&format!("{at}.matchLabels")));
        }
        for (key, value) in &self.match_labels {
            rules::label_key(key).map_err(|rule| {
                StepError::field(
                    format!("{at}.matchLabels"),
                    key,
                    format!("label key {rule}"),
                )
            })?;
            rules::label_value(value).map_err(|rule| {
                StepError::field(
                    format!("{at}.matchLabels[{key:?}]"),
                    value,
                    format!("label value {rule}"),
                )
            })?;
        }
        Ok(())
    }
}

/// Adds `new` to the selectors earlier steps wrote: one selector per directory.
pub(crate) fn merge(
    earlier: &mut Vec<DirectorySelector>,
    new: Vec<DirectorySelector>,
) -> Result<(), StepError> {
    for mut selector in new {
        selector.directory = normalize(selector.directory.as_deref());
        selector.check()?;
        match earlier.iter().find(|e| e.directory == selector.directory) {
            Some(existing) if existing == &selector => {}
            Some(existing) => {
                return Err(StepError::field(
                    "destinationSelectors.directory",
                    selector.directory.as_deref().unwrap_or("."),
                    format!(
                        "already selected with other labels {:?}; Kratix rejects duplicate directories",
                        existing.match_labels
                    ),
                ));
            }
            None => earlier.push(selector),
        }
    }
    Ok(())
}

/// Selectors as a container left them in `destination-selectors.yaml`, read as Kratix's
/// work-creator reads them (`ParseDestinationSelectors`): directories cleaned, every entry
/// with labels and a top-level directory, and no directory twice, not even in identical
/// entries.
pub fn parse_written(entries: Vec<DirectorySelector>) -> Result<Vec<DirectorySelector>, StepError> {
    let mut seen: Vec<DirectorySelector> = Vec::new();
    for mut entry in entries {
        entry.directory = normalize(entry.directory.as_deref());
        entry.check()?;
        if seen.iter().any(|e| e.directory == entry.directory) {
            return Err(StepError::field(
                "destinationSelectors.directory",
                entry.directory.as_deref().unwrap_or("."),
                "appears twice: Kratix's work-creator fails on duplicate entries, even identical ones",
            ));
        }
        seen.push(entry);
    }
    Ok(seen)
}
