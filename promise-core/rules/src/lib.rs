//! Kubernetes naming rules as plain functions over `&str`.
//!
//! A crate of its own, without dependencies, so that `promise-derive` (at compile time) and
//! `promise-core` (at render and run time, as `promise_core::names::rules`) apply the very
//! same rules, worded the same way.

/// The longest DNS-1123 label: 63 characters.
pub const DNS1123_LABEL_MAX: usize = 63;
/// The longest DNS-1123 subdomain: 253 characters.
pub const DNS1123_SUBDOMAIN_MAX: usize = 253;

/// A rule a name breaks, worded as the apiserver words it.
pub type Broken = String;

/// DNS-1123 label (RFC 1123): what namespaces, label values of names and most object names use.
pub fn dns1123_label(value: &str) -> Result<(), Broken> {
    if value.is_empty() {
        return Err("must not be empty (a DNS-1123 label)".into());
    }
    if value.len() > DNS1123_LABEL_MAX {
        return Err(format!(
            "must be no more than {DNS1123_LABEL_MAX} characters (a DNS-1123 label), it has {}",
            value.len()
        ));
    }
    let bytes = value.as_bytes();
    let ok_inner = bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !ok_inner || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return Err(
            "must be a DNS-1123 label: lower case alphanumeric characters or '-', \
                    starting and ending with an alphanumeric character (regex \
                    '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                .into(),
        );
    }
    Ok(())
}

/// DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters.
pub fn dns1123_subdomain(value: &str) -> Result<(), Broken> {
    if value.is_empty() {
        return Err("must not be empty (a DNS-1123 subdomain)".into());
    }
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        return Err(format!(
            "must be no more than {DNS1123_SUBDOMAIN_MAX} characters (a DNS-1123 subdomain), it has {}",
            value.len()
        ));
    }
    if value.split('.').any(|part| dns1123_label(part).is_err()) {
        return Err(
            "must be a DNS-1123 subdomain: lower case alphanumeric characters, '-' or '.', \
                    each dot-separated part starting and ending with an alphanumeric character"
                .into(),
        );
    }
    Ok(())
}

/// DNS-1035 label (RFC 1035): a DNS-1123 label that starts with a letter. Service names are
/// DNS-1035 labels, and so are the objects operators turn into Services (a CloudNativePG
/// Cluster becomes `<name>-rw`, `<name>-ro`, `<name>-r`).
pub fn dns1035_label(value: &str) -> Result<(), Broken> {
    const RULE: &str = "must be a DNS-1035 label: lower case alphanumeric characters or '-', \
                        starting with a letter and ending with an alphanumeric character \
                        (regex '[a-z]([-a-z0-9]*[a-z0-9])?')";
    match dns1123_label(value) {
        Err(rule) if value.is_empty() || value.len() > DNS1123_LABEL_MAX => {
            Err(rule.replace("DNS-1123", "DNS-1035"))
        }
        Err(_) => Err(RULE.into()),
        Ok(()) if !value.as_bytes()[0].is_ascii_lowercase() => Err(RULE.into()),
        Ok(()) => Ok(()),
    }
}

/// The name of a promise request: a DNS-1123 subdomain of at most 63 characters, because
/// Kratix adds `maxLength: 63` to `metadata.name` in every promise API (it labels the
/// request's Jobs and Works with the name).
pub fn request_name(value: &str) -> Result<(), Broken> {
    if value.len() > DNS1123_LABEL_MAX {
        return Err(format!(
            "must be no more than {DNS1123_LABEL_MAX} characters (Kratix limits request names), it has {}",
            value.len()
        ));
    }
    dns1123_subdomain(value)
}

/// The group of a custom resource: a DNS-1123 subdomain with at least one dot.
pub fn api_group(value: &str) -> Result<(), Broken> {
    dns1123_subdomain(value)?;
    if !value.contains('.') {
        return Err(
            "must be a domain with at least one dot, such as `platform.example.com`".into(),
        );
    }
    Ok(())
}

/// A CRD version name as Kubernetes sorts them: `v1`, `v1beta2`, `v2alpha1`.
pub fn api_version(value: &str) -> Result<(), Broken> {
    const RULE: &str = "must look like `v1`, `v1beta1` or `v1alpha1` (v<major>[alpha|beta<n>])";
    let Some(rest) = value.strip_prefix('v') else {
        return Err(RULE.into());
    };
    let major_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (major, tail) = rest.split_at(major_len);
    if major.is_empty() || major.starts_with('0') {
        return Err(RULE.into());
    }
    if tail.is_empty() {
        return Ok(());
    }
    let n = tail
        .strip_prefix("alpha")
        .or_else(|| tail.strip_prefix("beta"))
        .ok_or_else(|| RULE.to_string())?;
    if n.is_empty() || n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RULE.into());
    }
    Ok(())
}

/// A kind: UpperCamelCase ASCII, starting with a letter (Kubernetes API conventions).
pub fn kind(value: &str) -> Result<(), Broken> {
    let mut chars = value.chars();
    match chars.next() {
        Some(c) if c.is_ascii_uppercase() => {}
        _ => return Err("must be UpperCamelCase, starting with an upper-case ASCII letter".into()),
    }
    if !chars.all(|c| c.is_ascii_alphanumeric()) {
        return Err("must be UpperCamelCase: ASCII letters and digits only".into());
    }
    Ok(())
}

/// A plural, singular, short name or category: a lower-case DNS-1123 label.
pub fn resource_name(value: &str) -> Result<(), Broken> {
    dns1123_label(value)
}

/// A label key: an optional DNS-1123 subdomain prefix and `/`, then a name of at most 63
/// characters made of alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
pub fn label_key(value: &str) -> Result<(), Broken> {
    let (prefix, name) = match value.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, value),
    };
    if let Some(prefix) = prefix {
        dns1123_subdomain(prefix).map_err(|rule| format!("prefix {rule}"))?;
    }
    qualified_name_part(name).map_err(|rule| format!("name part {rule}"))
}

/// A label value: empty, or at most 63 alphanumerics, `-`, `_` and `.`, starting and ending
/// alphanumeric.
pub fn label_value(value: &str) -> Result<(), Broken> {
    if value.is_empty() {
        return Ok(());
    }
    qualified_name_part(value)
}

fn qualified_name_part(value: &str) -> Result<(), Broken> {
    if value.is_empty() || value.len() > DNS1123_LABEL_MAX {
        return Err(format!(
            "must be 1 to {DNS1123_LABEL_MAX} characters, it has {}",
            value.len()
        ));
    }
    let bytes = value.as_bytes();
    let inner = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !inner
        || !bytes[0].is_ascii_alphanumeric()
        || !bytes[bytes.len() - 1].is_ascii_alphanumeric()
    {
        return Err("must consist of alphanumeric characters, '-', '_' or '.', \
                    and must start and end with an alphanumeric character"
            .into());
    }
    Ok(())
}

/// The candidate within edit distance 2 of `name` (compared case-insensitively), for "did you
/// mean" hints.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
