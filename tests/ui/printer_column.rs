use promise_core::promise_api;

#[promise_api(
    group = "platform.example.com",
    version = "v1",
    kind = "Database",
    printer_column(name = "Engine", json_path = "spec.engine", type = "String"),
    printer_column(name = "Age", json_path = ".metadata.creationTimestamp", type = "date", format = "datetime", priority = -1)
)]
pub struct DatabaseSpec {
    pub name: String,
}

fn main() {}
