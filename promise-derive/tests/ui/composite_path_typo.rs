use promise_core::composite;
use promise_core::crossplane::Patch;

/// A cache.
#[composite(group = "test.example.com", version = "v1", kind = "XCache")]
pub struct XCacheSpec {
    /// Memory in MiB.
    pub memory_mib: i64,
}

fn main() {
    // A typo in a composite field path does not compile.
    let _ = Patch::from_composite(XCache::paths().spec().memory_mb(), "spec.forProvider.memory");
}
