use promise_core::api_type;

/// A tier whose default variant serde skips: the schema would silently have no default.
#[api_type]
#[derive(Default)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Never written.
    #[default]
    #[serde(skip)]
    Hidden,
    /// Premium.
    Premium,
}

fn main() {}
