//! A request's identity, and the names derived from it.
//!
//! Tenants are hostile to each other, and every `spec` field is theirs to choose: two tenants
//! asking for a database named `orders` must not get the same Namespace. What a tenant cannot
//! choose is the request's place in the platform cluster: its API group, kind, namespace (the
//! tenant's own, granted by RBAC) and name, which the apiserver keeps unique. Every name a
//! step derives carries a tag computed from that identity, so two requests never derive the
//! same name, whatever their specs say.

use std::fmt;

use sha2::{Digest, Sha256};

use super::{DnsLabel, rules};
use crate::Diagnostic;

/// Characters of the identity tag: 16 base32 characters, 80 bits of SHA-256, so that finding
/// a request whose tag matches another's is out of reach (2^80 hashes).
const TAG_LEN: usize = 16;

/// What [`RequestIdentity::label`] adds to a readable name: `-` and the tag. API schemas
/// subtract it from 63 when they compute how long a name-bearing field may be.
pub const IDENTITY_SUFFIX_LEN: usize = TAG_LEN + 1;

/// The request a step runs for: group, kind, namespace and name.
///
/// ```
/// use promise_core::names::RequestIdentity;
///
/// let a = RequestIdentity::new("platform.aleklab.com", "Database", "team-a", "orders").unwrap();
/// let b = RequestIdentity::new("platform.aleklab.com", "Database", "team-b", "orders").unwrap();
/// let (na, nb) = (a.label("db-orders").unwrap(), b.label("db-orders").unwrap());
/// assert!(na.as_str().starts_with("db-orders-"));
/// assert_ne!(na, nb);
/// assert!(RequestIdentity::new("platform.aleklab.com", "Database", "../../etc", "x").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestIdentity {
    group: String,
    kind: String,
    namespace: DnsLabel,
    name: String,
    tag: String,
}

impl RequestIdentity {
    /// The identity of the request `namespace/name` of `kind` in `group`. The namespace must
    /// be a DNS-1123 label and the name a request name (a DNS-1123 subdomain of at most 63
    /// characters), as the apiserver and Kratix require.
    pub fn new(group: &str, kind: &str, namespace: &str, name: &str) -> Result<Self, Diagnostic> {
        let name_error = |value: &str, rule| Diagnostic::value(value, rule);
        rules::api_group(group).map_err(|rule| name_error(group, rule))?;
        rules::kind(kind).map_err(|rule| name_error(kind, rule))?;
        let namespace = DnsLabel::new(namespace)?;
        rules::request_name(name).map_err(|rule| name_error(name, rule))?;
        // None of the four parts can hold a `/`, so the hashed text names one request only.
        let digest = Sha256::digest(format!("{group}/{kind}/{namespace}/{name}").as_bytes());
        Ok(Self {
            group: group.to_string(),
            kind: kind.to_string(),
            namespace,
            name: name.to_string(),
            tag: base32(&digest, TAG_LEN),
        })
    }

    /// The request's namespace.
    pub fn namespace(&self) -> &DnsLabel {
        &self.namespace
    }

    /// The request's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tag: 16 lower-case base32 characters (80 bits) of SHA-256 over group, kind,
    /// namespace and name. Finding another request with the same tag is a 2^80 search.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// `<readable>-<tag>`, checked as a DNS-1123 label: a name no other request derives.
    /// `readable` is what a person reads (`db-orders`); it is never shortened silently: a name
    /// that does not fit is an error, which API schemas prevent with `maxLength`.
    pub fn label(&self, readable: &str) -> Result<DnsLabel, Diagnostic> {
        DnsLabel::new(format!("{readable}-{}", self.tag))
    }
}

impl fmt::Display for RequestIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} {}/{}",
            self.kind, self.group, self.namespace, self.name
        )
    }
}

/// The first `len` characters of RFC 4648 base32, lower-cased (valid in DNS labels).
fn base32(bytes: &[u8], len: usize) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(len);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
            if out.len() == len {
                return out;
            }
        }
        buffer &= (1 << bits) - 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648() {
        // RFC 4648 §10: BASE32("foobar") = "MZXW6YTBOI======"; only whole 5-bit groups
        // are taken, so the padded last character is not.
        assert_eq!(base32(b"foobar", 16), "mzxw6ytbo");
        assert_eq!(base32(b"foob", 6), "mzxw6y");
    }

    #[test]
    fn every_part_of_the_identity_changes_the_tag() {
        let id = |g, k, ns, n| RequestIdentity::new(g, k, ns, n).unwrap().tag().to_string();
        let base = id("a.io", "Db", "ns", "x");
        assert!(
            RequestIdentity::new("a/b.io", "Db", "ns", "x").is_err(),
            "no `/` in a group"
        );
        assert_eq!(base.len(), TAG_LEN);
        assert_eq!(base, id("a.io", "Db", "ns", "x"), "deterministic");
        for other in [
            id("b.io", "Db", "ns", "x"),
            id("a.io", "Cache", "ns", "x"),
            id("a.io", "Db", "ns2", "x"),
            id("a.io", "Db", "ns", "y"),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn names_are_checked_not_shortened() {
        let id = RequestIdentity::new("a.io", "Db", "ns", "x").unwrap();
        let fits = "a".repeat(63 - IDENTITY_SUFFIX_LEN);
        assert_eq!(id.label(&fits).unwrap().as_str().len(), 63);
        assert!(id.label(&format!("{fits}a")).is_err());
        assert!(RequestIdentity::new("a.io", "Db", "team-a", &"a".repeat(64)).is_err());
        assert!(RequestIdentity::new("a.io", "Db", "a\nb", "x").is_err());
    }
}
