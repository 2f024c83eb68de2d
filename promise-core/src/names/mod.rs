//! Kubernetes name newtypes.
//!
//! Parse, don't validate: once a [`DnsLabel`] or [`DnsSubdomain`] exists, it is a name the
//! apiserver accepts, so every name derived from user input goes through one of them.
//!
//! ```
//! use promise_core::names::DnsLabel;
//!
//! assert!(DnsLabel::new("db-orders").is_ok());
//! let err = DnsLabel::new("x".repeat(70)).unwrap_err();
//! assert!(err.to_string().contains("no more than 63 characters"));
//! ```

mod identity;
pub use promise_rules as rules;

pub use identity::{IDENTITY_SUFFIX_LEN, RequestIdentity};

/// The apiserver's patterns for names, for `#[schemars(regex(pattern = ...))]` on API fields
/// that become names, so that the apiserver refuses a bad name before any step runs.
pub mod patterns {
    /// A DNS-1123 label (pair it with `length(max = ...)`: at most 63).
    pub const DNS1123_LABEL: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /// A DNS-1035 label: a DNS-1123 label starting with a letter (Service names).
    pub const DNS1035_LABEL: &str = r"^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /// A DNS-1123 subdomain (pair it with `length(max = ...)`: at most 253).
    pub const DNS1123_SUBDOMAIN: &str =
        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
}

use std::fmt;

macro_rules! name_newtype {
    ($(#[$doc:meta])* $name:ident, $rule:path, $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks `value` and wraps it.
            pub fn new(value: impl Into<String>) -> Result<Self, crate::Diagnostic> {
                let value = value.into();
                match $rule(&value) {
                    Ok(()) => Ok(Self(value)),
                    Err(rule) => Err(crate::Diagnostic::value(value, rule)),
                }
            }

            /// The name as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> String {
                name.0
            }
        }

        /// As an API field: a string with the rule's pattern and length, so the apiserver
        /// refuses a bad name before any step runs.
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let (pattern, max) = $schema;
                schemars::json_schema!({
                    "type": "string",
                    "pattern": pattern,
                    "maxLength": max,
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                let value = String::deserialize(de)?;
                Self::new(value).map_err(serde::de::Error::custom)
            }
        }
    };
}

name_newtype!(
    /// A DNS-1123 label: at most 63 lower-case alphanumerics or `-`, alphanumeric at both ends.
    /// Namespaces, Promise names and most object names are labels.
    DnsLabel,
    rules::dns1123_label,
    (patterns::DNS1123_LABEL, rules::DNS1123_LABEL_MAX)
);

name_newtype!(
    /// A DNS-1123 subdomain: dot-separated labels, at most 253 characters. CRD names and
    /// API groups are subdomains.
    DnsSubdomain,
    rules::dns1123_subdomain,
    (patterns::DNS1123_SUBDOMAIN, rules::DNS1123_SUBDOMAIN_MAX)
);

name_newtype!(
    /// A DNS-1035 label: a [`DnsLabel`] that starts with a letter. Service names, and names
    /// an operator turns into Service names (a CloudNativePG Cluster), are DNS-1035 labels.
    Dns1035Label,
    rules::dns1035_label,
    (patterns::DNS1035_LABEL, rules::DNS1123_LABEL_MAX)
);

impl From<Dns1035Label> for DnsLabel {
    fn from(name: Dns1035Label) -> DnsLabel {
        DnsLabel(name.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        for ok in ["a", "db-orders", "0abc", &"a".repeat(63)] {
            assert!(DnsLabel::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a-", "A", "a.b", "a_b", &"a".repeat(64), "a\nb"] {
            assert!(DnsLabel::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dns1035_labels() {
        for ok in ["a", "shop", "a0", "orders-db"] {
            assert!(Dns1035Label::new(ok).is_ok(), "{ok}");
        }
        for bad in ["9shop", "0", "-a", "a-", "A", "", &"a".repeat(64)] {
            assert!(Dns1035Label::new(bad).is_err(), "{bad:?}");
        }
        let err = Dns1035Label::new("9shop").unwrap_err();
        assert!(
            err.rule.contains("start with a lower-case letter")
                || err.rule.contains("starting with a letter"),
            "{err}"
        );
    }

    #[test]
    fn request_names() {
        assert!(rules::request_name("orders-db").is_ok());
        assert!(rules::request_name("a.b").is_ok());
        assert!(
            rules::request_name(&"a".repeat(64))
                .unwrap_err()
                .contains("63")
        );
        assert!(rules::request_name("../../etc").is_err());
    }

    #[test]
    fn subdomains() {
        assert!(DnsSubdomain::new("databases.platform.aleklab.com").is_ok());
        assert!(DnsSubdomain::new("a..b").is_err());
        assert!(DnsSubdomain::new(".a").is_err());
        assert!(DnsSubdomain::new("x".repeat(254)).is_err());
    }

    #[test]
    fn versions_kinds_groups_and_labels() {
        for ok in ["v1", "v1alpha1", "v2beta3", "v10"] {
            assert!(rules::api_version(ok).is_ok(), "{ok}");
        }
        for bad in ["1", "v", "v0", "v1alpha", "v1gamma1", "V1", "v1alpha01"] {
            assert!(rules::api_version(bad).is_err(), "{bad}");
        }
        assert!(rules::kind("Database").is_ok());
        assert!(rules::kind("database").is_err());
        assert!(rules::kind("Data-base").is_err());
        assert!(rules::api_group("platform").is_err());
        assert!(rules::label_key("kratix.io/promise-version").is_ok());
        assert!(rules::label_key("kratix.io/").is_err());
        assert!(rules::label_value("v1.2.3").is_ok());
        assert!(rules::label_value("").is_ok());
        assert!(rules::label_value("a b").is_err());
    }

    #[test]
    fn as_api_fields_they_carry_their_pattern_and_length() {
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<Dns1035Label>();
        let value = serde_json::to_value(&schema).expect("json");
        assert_eq!(value["pattern"], patterns::DNS1035_LABEL);
        assert_eq!(value["maxLength"], 63);
        let pattern = regex::Regex::new(patterns::DNS1123_SUBDOMAIN).expect("regex");
        assert!(pattern.is_match("databases.platform.aleklab.com"));
        assert!(!pattern.is_match("a..b"));
    }

    #[test]
    fn deserialize_checks() {
        let err = serde_json::from_str::<DnsLabel>("\"Bad\"").unwrap_err();
        assert!(err.to_string().contains("DNS-1123 label"), "{err}");
    }
}
