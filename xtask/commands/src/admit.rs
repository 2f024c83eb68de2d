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
        Ok(Answer::Stored(yaml)) => {
            print!("{yaml}");
            ExitCode::SUCCESS
        }
        Ok(Answer::Refused(why)) => {
            eprintln!("{why}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The apiserver's answer to a request.
#[derive(Debug)]
enum Answer {
    /// The object as stored, as YAML.
    Stored(String),
    /// Its violations, as `kubectl apply` prints them.
    Refused(String),
}

fn admit(catalog: &Catalog, promise: &str, file: &Path) -> Result<Answer, String> {
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
        Admission::Stored(object) => promise_core::yaml::to_string(&object)
            .map(Answer::Stored)
            .map_err(|e| e.to_string()),
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
            Ok(Answer::Refused(refused.to_string()))
        }
        Admission::NotARequest(why) => Err(format!("{}: {why}", file.display())),
    }
}

#[cfg(test)]
mod tests {
    use promise_core::catalog::{Catalog, PromiseDefinition};

    use super::{Answer, admit};

    const ZONES: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: zones.example.com}
spec:
  group: example.com
  names: {kind: Zone, plural: zones, singular: zone, listKind: ZoneList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              ttl: {type: integer, minimum: 60, default: 300}
";

    fn catalog() -> Catalog {
        Catalog::new().with(
            PromiseDefinition::builder("dns")
                .version("v1")
                .destination_selector([("environment", "platform")])
                .api_crd_yaml(ZONES)
                .example_object(serde_json::json!({
                    "apiVersion": "example.com/v1", "kind": "Zone",
                    "metadata": {"name": "shop"}, "spec": {"ttl": 600},
                }))
                .build(),
        )
    }

    fn answer(promise: &str, request: &str) -> Result<Answer, String> {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("request.yaml");
        std::fs::write(&file, request).expect("write");
        admit(&catalog(), promise, &file)
    }

    #[test]
    fn a_valid_request_is_printed_as_stored_with_its_defaults() {
        let request = "apiVersion: example.com/v1\nkind: Zone\nmetadata: {name: shop, namespace: web}\nspec: {}\n";
        let Ok(Answer::Stored(yaml)) = answer("dns", request) else {
            panic!("stored: {:?}", answer("dns", request));
        };
        assert!(yaml.contains("kind: Zone"), "{yaml}");
        assert!(
            yaml.contains("ttl: 300"),
            "the schema's default is applied: {yaml}"
        );
    }

    #[test]
    fn a_bad_request_is_refused_at_its_field_and_an_unknown_promise_is_named() {
        let request =
            "apiVersion: example.com/v1\nkind: Zone\nmetadata: {name: shop}\nspec: {ttl: 5}\n";
        let Ok(Answer::Refused(why)) = answer("dns", request) else {
            panic!("refused: {:?}", answer("dns", request));
        };
        assert!(why.contains("spec.ttl") && why.contains("60"), "{why}");
        let unknown = answer("no-such-promise", request).expect_err("no such promise");
        assert!(
            unknown.contains("\"no-such-promise\"") && unknown.contains("dns"),
            "{unknown}"
        );
    }
}
