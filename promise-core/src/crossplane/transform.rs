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

/// One `match` pattern, serialized as `{type: literal, literal, result}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
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
        match Wire::of(self) {
            Ok(wire) => wire.serialize(ser),
            Err(reason) => Err(serde::ser::Error::custom(reason)),
        }
    }
}

/// A transform as function-patch-and-transform's Go types read it: a `type` and the field
/// named after it (`{type: math, math: {type: Multiply, multiply: 2}}`).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Wire<'a> {
    Map {
        map: &'a BTreeMap<String, Value>,
    },
    Match {
        #[serde(rename = "match")]
        matching: WireMatch<'a>,
    },
    Math {
        math: WireMath,
    },
    String {
        string: WireString<'a>,
    },
    Convert {
        convert: WireConvert,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireMatch<'a> {
    patterns: &'a [MatchPattern],
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback_value: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback_to: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
enum WireMath {
    Multiply { multiply: i64 },
    ClampMin { clamp_min: i64 },
    ClampMax { clamp_max: i64 },
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum WireString<'a> {
    Format { fmt: &'a str },
    Convert { convert: StringConversion },
    TrimPrefix { trim: &'a str },
    TrimSuffix { trim: &'a str },
    Regexp { regexp: WireRegexp<'a> },
    Join { join: WireJoin<'a> },
    Replace { replace: WireReplace<'a> },
}

#[derive(Serialize)]
struct WireRegexp<'a> {
    #[serde(rename = "match")]
    pattern: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<i64>,
}

#[derive(Serialize)]
struct WireJoin<'a> {
    separator: &'a str,
}

#[derive(Serialize)]
struct WireReplace<'a> {
    search: &'a str,
    replace: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireConvert {
    to_type: ConvertType,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<ConvertFormat>,
}

impl<'a> Wire<'a> {
    /// The wire form, or why there is none (an unbuilt transform).
    fn of(transform: &'a Transform) -> Result<Self, &'a str> {
        Ok(match transform {
            Transform::Unbuilt(reason) => return Err(reason),
            Transform::Map(map) => Wire::Map { map },
            Transform::Match {
                patterns,
                fallback_value,
                fallback_to_input,
            } => Wire::Match {
                matching: WireMatch {
                    patterns,
                    fallback_value: fallback_value.as_ref(),
                    fallback_to: fallback_to_input.then_some("Input"),
                },
            },
            Transform::Math(math) => Wire::Math {
                math: match *math {
                    MathTransform::Multiply(multiply) => WireMath::Multiply { multiply },
                    MathTransform::ClampMin(clamp_min) => WireMath::ClampMin { clamp_min },
                    MathTransform::ClampMax(clamp_max) => WireMath::ClampMax { clamp_max },
                },
            },
            Transform::String(string) => Wire::String {
                string: match string {
                    StringTransform::Format(fmt) => WireString::Format { fmt },
                    StringTransform::Convert(convert) => WireString::Convert { convert: *convert },
                    StringTransform::TrimPrefix(trim) => WireString::TrimPrefix { trim },
                    StringTransform::TrimSuffix(trim) => WireString::TrimSuffix { trim },
                    StringTransform::Regexp { pattern, group } => WireString::Regexp {
                        regexp: WireRegexp {
                            pattern,
                            group: *group,
                        },
                    },
                    StringTransform::Join(separator) => WireString::Join {
                        join: WireJoin { separator },
                    },
                    StringTransform::Replace { search, replace } => WireString::Replace {
                        replace: WireReplace { search, replace },
                    },
                },
            },
            Transform::Convert { to_type, format } => Wire::Convert {
                convert: WireConvert {
                    to_type: *to_type,
                    format: *format,
                },
            },
        })
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
