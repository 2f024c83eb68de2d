use promise_core::promise_api;

#[promise_api(
    group = "platform.example.com",
    version = "v1",
    kind = "Database",
    printcolumn(name = "Engine", json_path = "spec.engine", type_ = "String"),
    printcolumn(name = "Age", json_path = ".metadata.creationTimestamp", type_ = "date", format = "datetime", priority = -1)
)]
pub struct DatabaseSpec {
    pub name: String,
}

fn main() {}
