use promise_core::promise_api;

/// A database declared with the spelling this library used before it took kube-derive's.
#[promise_api(
    group = "platform.example.com",
    version = "v1",
    kind = "Database",
    printer_column(name = "Engine", json_path = ".spec.engine")
)]
pub struct DatabaseSpec {
    /// Engine.
    pub engine: String,
}

fn main() {}
