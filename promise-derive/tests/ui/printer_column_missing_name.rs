use promise_core::promise_api;

#[promise_api(
    group = "platform.example.com",
    version = "v1",
    kind = "Database",
    printcolumn(json_path = ".spec.size", typ = "string")
)]
pub struct DatabaseSpec {
    pub name: String,
}

fn main() {}
