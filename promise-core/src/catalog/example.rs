//! A promise's example request, serialized only when rendering asks for it: the pipeline
//! binary builds a promise's definition to run one step, and never renders its example.

use std::fmt;
use std::sync::{Arc, LazyLock};

use serde::Serialize;

/// An example request: the value its schema is checked against, and the YAML written,
/// serialized from the typed request so that fields keep their declared order.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub(crate) value: serde_json::Value,
    pub(crate) yaml: String,
}

type Serialized = Result<Example, String>;

/// An [`Example`] serialized on first use, once, however often the definition is cloned.
#[derive(Clone)]
pub(crate) struct LazyExample(Arc<LazyLock<Serialized, Box<dyn FnOnce() -> Serialized + Send>>>);

impl LazyExample {
    /// `request`, to be serialized when first asked for.
    pub(crate) fn new(request: impl Serialize + Send + 'static) -> Self {
        Self(Arc::new(LazyLock::new(Box::new(move || {
            let value = serde_json::to_value(&request).map_err(|e| e.to_string())?;
            let yaml = crate::yaml::to_string(&request).map_err(|e| e.to_string())?;
            Ok(Example { value, yaml })
        }))))
    }

    /// The serialized example, or why it cannot be serialized.
    pub(crate) fn get(&self) -> &Serialized {
        &self.0
    }
}

impl fmt::Debug for LazyExample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::LazyExample;

    #[test]
    fn an_example_is_serialized_once_with_its_fields_in_declared_order() {
        #[derive(serde::Serialize)]
        struct Request {
            kind: &'static str,
            api_version: &'static str,
        }
        let example = LazyExample::new(Request {
            kind: "Cache",
            api_version: "v1",
        });
        let copy = example.clone();
        let Ok(serialized) = copy.get() else {
            panic!("serializable");
        };
        assert_eq!(serialized.yaml, "kind: Cache\napi_version: v1\n");
        assert!(std::ptr::eq(serialized, example.get().as_ref().unwrap()));
    }
}
