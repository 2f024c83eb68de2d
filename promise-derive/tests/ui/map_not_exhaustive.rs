use promise_core::crossplane::Patch;
use promise_core::{api_type, composite};

/// Size.
#[api_type]
#[serde(rename_all = "lowercase")]
pub enum Size {
    Small,
    Medium,
    Large,
}

/// A cache.
#[composite(group = "test.example.com", version = "v1", kind = "XCache")]
pub struct XCacheSpec {
    /// Size.
    pub size: Size,
}

fn main() {
    // A map transform that forgets a variant does not compile.
    let _ = Patch::from_composite(XCache::paths().spec().size(), "spec.forProvider.nodeType").map(|size| match size {
        Size::Small => "cache.t3.micro",
        Size::Medium => "cache.t3.small",
    });
}
