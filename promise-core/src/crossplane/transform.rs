//! function-patch-and-transform's transforms: `map` (typed over an enum's variants),
//! `match`, `math`, `string` and `convert`, serialized as the function's Go code reads them,
//! and checked (regexps compile, maps are not empty and map no value to null).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::patch::Variants;

/// A transform applied to a patch's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Transform {
    /// Maps input strings to values.
    Map(BTreeMap<String, Value>),
    /// Matches literals or regular expressions, with a fallback.
    Match {
        /// Tried in order.
        patterns: Vec<MatchPattern>,
        /// Value when nothing matches.
        fallback_value: Option<Value>,
        /// `Value` (default) returns `fallback_value`; `Input` returns the input.
        fallback_to_input: bool,
    },
    /// Integer arithmetic.
    Math(MathTransform),
    /// String operations.
    String(StringTransform),
    /// Type conversion.
    Convert {
        /// Target type.
        to_type: ConvertType,
        /// How a string is read.
        format: Option<ConvertFormat>,
    },
    /// A transform that could not be built (a key or value that does not serialize): why.
    /// Rendering reports it; it never reaches YAML.
    Unbuilt(String),
}

impl Transform {
    /// A `map` transform over every variant of `T`, keyed by each variant's serialized name.
    pub fn map_variants<T: Variants, V: Serialize>(f: impl Fn(&T) -> V) -> Transform {
        let map: Result<BTreeMap<String, Value>, serde_json::Error> = T::VARIANTS
            .iter()
            .map(|variant| {
                let key = match serde_json::to_value(variant)? {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                Ok((key, serde_json::to_value(f(variant))?))
            })
            .collect();
        match map {
            Ok(map) => Transform::Map(map),
            Err(e) => Transform::Unbuilt(format!("a map transform cannot be serialized: {e}")),
        }
    }

    pub(super) fn check(&self) -> Result<(), String> {
        match self {
            Transform::Map(map) if map.is_empty() => {
                Err("a map transform needs at least one pair".into())
            }
            Transform::Unbuilt(reason) => Err(reason.clone()),
            Transform::Map(map) if map.values().any(Value::is_null) => Err(
                "a map transform maps a value to null, which Crossplane treats as missing".into(),
            ),
            Transform::Match { patterns, .. } => {
                for p in patterns {
                    if let MatchPattern::Regexp { regexp, .. } = p {
                        regex::Regex::new(regexp).map_err(|e| {
                            format!("match pattern {regexp:?} does not compile: {e}")
                        })?;
                    }
                }
                Ok(())
            }
            Transform::String(StringTransform::Regexp { pattern, .. }) => {
                regex::Regex::new(pattern)
                    .map(|_| ())
                    .map_err(|e| format!("string regexp {pattern:?} does not compile: {e}"))
            }
            _ => Ok(()),
        }
    }
}

/// One `match` pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchPattern {
    /// The input equals `literal`.
    Literal {
        /// Compared as a string.
        literal: String,
        /// The output.
        result: Value,
    },
    /// The input matches `regexp` (Go RE2 syntax).
    Regexp {
        /// The expression.
        regexp: String,
        /// The output.
        result: Value,
    },
}

/// `math` transforms; the output is a float64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathTransform {
    /// Multiply by the factor.
    Multiply(i64),
    /// At least this.
    ClampMin(i64),
    /// At most this.
    ClampMax(i64),
}

/// `string` transforms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringTransform {
    /// Go `fmt` with the input as the one argument.
    Format(String),
    /// A conversion such as upper-casing or hashing.
    Convert(StringConversion),
    /// Removes a prefix.
    TrimPrefix(String),
    /// Removes a suffix.
    TrimSuffix(String),
    /// The match (or capture group) of a regular expression.
    Regexp {
        /// The expression.
        pattern: String,
        /// The capture group; the whole match when absent.
        group: Option<i64>,
    },
    /// Joins an array with a separator.
    Join(String),
    /// Replaces every `search` with `replace`.
    Replace {
        /// Searched text.
        search: String,
        /// Replacement.
        replace: String,
    },
}

/// `string.convert` values, as function-patch-and-transform implements them (its CRD omits
/// `ToAdler32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StringConversion {
    /// Upper case.
    ToUpper,
    /// Lower case.
    ToLower,
    /// Base64-encode.
    ToBase64,
    /// Base64-decode.
    FromBase64,
    /// JSON-encode.
    ToJson,
    /// SHA-1 hex digest.
    ToSha1,
    /// SHA-256 hex digest.
    ToSha256,
    /// SHA-512 hex digest.
    ToSha512,
    /// Adler-32 checksum.
    ToAdler32,
}

/// `convert.toType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConvertType {
    /// string
    String,
    /// int
    Int,
    /// int64
    Int64,
    /// bool
    Bool,
    /// float64
    Float64,
    /// object (from a JSON string)
    Object,
    /// array (from a JSON string)
    Array,
}

/// `convert.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConvertFormat {
    /// As is.
    None,
    /// A Kubernetes quantity (`1Gi`) to a number.
    Quantity,
    /// JSON text to an object or array.
    Json,
}

impl Serialize for Transform {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde_json::json;
        let value = match self {
            Transform::Unbuilt(reason) => return Err(serde::ser::Error::custom(reason)),
            Transform::Map(map) => json!({"type": "map", "map": map}),
            Transform::Match {
                patterns,
                fallback_value,
                fallback_to_input,
            } => {
                let patterns: Vec<Value> = patterns
                    .iter()
                    .map(|p| match p {
                        MatchPattern::Literal { literal, result } => {
                            json!({"type": "literal", "literal": literal, "result": result})
                        }
                        MatchPattern::Regexp { regexp, result } => {
                            json!({"type": "regexp", "regexp": regexp, "result": result})
                        }
                    })
                    .collect();
                let mut m = json!({"patterns": patterns});
                if let Some(v) = fallback_value {
                    m["fallbackValue"] = v.clone();
                }
                if *fallback_to_input {
                    m["fallbackTo"] = json!("Input");
                }
                json!({"type": "match", "match": m})
            }
            Transform::Math(math) => {
                let m = match math {
                    MathTransform::Multiply(n) => json!({"type": "Multiply", "multiply": n}),
                    MathTransform::ClampMin(n) => json!({"type": "ClampMin", "clampMin": n}),
                    MathTransform::ClampMax(n) => json!({"type": "ClampMax", "clampMax": n}),
                };
                json!({"type": "math", "math": m})
            }
            Transform::String(string) => {
                let s = match string {
                    StringTransform::Format(fmt) => json!({"type": "Format", "fmt": fmt}),
                    StringTransform::Convert(c) => json!({"type": "Convert", "convert": c}),
                    StringTransform::TrimPrefix(t) => json!({"type": "TrimPrefix", "trim": t}),
                    StringTransform::TrimSuffix(t) => json!({"type": "TrimSuffix", "trim": t}),
                    StringTransform::Regexp { pattern, group } => {
                        let mut r = json!({"match": pattern});
                        if let Some(g) = group {
                            r["group"] = json!(g);
                        }
                        json!({"type": "Regexp", "regexp": r})
                    }
                    StringTransform::Join(sep) => {
                        json!({"type": "Join", "join": {"separator": sep}})
                    }
                    StringTransform::Replace { search, replace } => {
                        json!({"type": "Replace", "replace": {"search": search, "replace": replace}})
                    }
                };
                json!({"type": "string", "string": s})
            }
            Transform::Convert { to_type, format } => {
                let mut c = json!({"toType": to_type});
                if let Some(f) = format {
                    c["format"] = json!(f);
                }
                json!({"type": "convert", "convert": c})
            }
        };
        value.serialize(ser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_serialize_as_the_function_reads_them() {
        let t = Transform::String(StringTransform::Replace {
            search: "-".into(),
            replace: "_".into(),
        });
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            serde_json::json!({"type": "string", "string": {"type": "Replace", "replace": {"search": "-", "replace": "_"}}})
        );
        let t = Transform::Convert {
            to_type: ConvertType::Float64,
            format: Some(ConvertFormat::Quantity),
        };
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            serde_json::json!({"type": "convert", "convert": {"toType": "float64", "format": "quantity"}})
        );
    }
}
