//! `cargo xtask admit <promise> FILE`: the request as the apiserver would store it (unknown
//! fields refused as `kubectl apply` refuses them, nulls and defaults as the apiserver applies
//! them), printed as YAML; or its violations, `kubectl apply` style, and exit 1.

use std::path::Path;
use std::process::ExitCode;

use promise_core::catalog::Catalog;
use promise_core::render::render;
use promise_local::{self as local, Admission};
use serde_json::Value;

pub fn run(catalog: &Catalog, promise: &str, file: &Path) -> ExitCode {
    match admit(catalog, promise, file) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn admit(catalog: &Catalog, promise: &str, file: &Path) -> Result<ExitCode, String> {
    let rendered = render(catalog).map_err(|p| p.to_string())?;
    let text = rendered
        .files
        .get(&format!("{promise}/promise.yaml"))
        .ok_or_else(|| {
            let names: Vec<&str> = catalog.promises().iter().map(|p| p.name()).collect();
            format!(
                "no promise {promise:?}; the catalog has {}",
                names.join(", ")
            )
        })?;
    let promise_object: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let request = promise_core::pipeline::read_metadata_file(file)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{}: no such file", file.display()))?;
    let request = String::from_utf8(request).map_err(|e| format!("{}: {e}", file.display()))?;
    let api = local::promise_api(&promise_object).map_err(|e| e.to_string())?;
    match local::admission(&api, &request) {
        Admission::Stored(object) => {
            print!(
                "{}",
                promise_core::yaml::to_string(&object).map_err(|e| e.to_string())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Admission::Refused(violations) => {
            let name = serde_saphyr::from_str::<Value>(&request)
                .ok()
                .and_then(|r| {
                    r.pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .unwrap_or_default();
            // Printed as a refused run prints it, the way `kubectl apply` does.
            let refused = local::RunError::Invalid {
                kind: api.spec.names.kind.clone(),
                name,
                violations,
            };
            eprintln!("{refused}");
            Ok(ExitCode::FAILURE)
        }
        Admission::NotARequest(why) => Err(format!("{}: {why}", file.display())),
    }
}
