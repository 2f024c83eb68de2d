//! `cargo xtask new NAME`: a new promise as one module, the way we write them. It checks NAME,
//! writes `promises/src/<name>.rs` from `new_promise.rs.template`, registers the module in
//! the catalog, then renders, blesses the golden run of its example request and accepts its
//! new snapshots, so that `cargo xtask render --check`, `cargo test --workspace` and
//! `cargo xtask run NAME --input rendered/NAME/example-request.yaml --expect
//! tests/golden/NAME/example-request` pass right away.

use std::path::Path;
use std::process::{Command, ExitCode};

use promise_core::catalog::Catalog;
use promise_core::names::{IDENTITY_SUFFIX_LEN, rules};

const TEMPLATE: &str = include_str!("new_promise.rs.template");

/// Type names the template's module uses besides its own kind: its items and imports, the
/// prelude's (a kind of the same name would shadow the glob import) and the standard
/// library's. A kind among them would not compile.
const TEMPLATE_NAMES: &[&str] = &[
    // The template's own items and imports.
    "Tier",
    "Storage",
    "BTreeMap",
    "ConfigMap",
    "ObjectMeta",
    // What the macros generate from the template's types (`#[api_type] Storage`).
    "StoragePaths",
    // `promise_core::prelude`.
    "PromiseDefinition",
    "Dns1035Label",
    "DnsLabel",
    "DnsSubdomain",
    "RequestIdentity",
    "Output",
    "PipelineDef",
    "PromiseRequest",
    "Request",
    "Step",
    "StepError",
    "WorkflowControl",
    "Cpu",
    "Memory",
    // The standard library's prelude and derives, as the template uses them.
    "String",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Default",
    "Copy",
    "Clone",
    "Eq",
    "PartialEq",
    "Debug",
    "Vec",
    "Box",
];

/// The catalog's registration points `new` edits in `promises/src/lib.rs`.
const MODULE_ANCHOR: &str = "pub mod platform;\n";
const CATALOG_ANCHOR: &str = "pub const PROMISES: &[OnDemand] = &[\n";

pub fn run(root: &Path, catalog: &Catalog, name: &str) -> ExitCode {
    match scaffold(root, catalog, name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The module, kind and file of promise `name`; `Err` names the rule NAME breaks.
pub(crate) struct Names {
    pub(crate) module: String,
    pub(crate) kind: String,
}

/// Checks NAME: a DNS-1123 label short enough for the names its steps derive, a module name
/// Rust accepts, and a promise and kind not taken.
pub(crate) fn names(name: &str, taken: &[String], kinds: &[String]) -> Result<Names, String> {
    rules::dns1123_label(name).map_err(|rule| format!("NAME {name:?} {rule}"))?;
    let longest = 63 - IDENTITY_SUFFIX_LEN;
    if name.len() > longest {
        return Err(format!(
            "NAME {name:?} must be at most {longest} characters: its steps name objects `{name}-<tag>`"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(format!(
            "NAME {name:?} must start with a letter: it names a Rust module and a kind"
        ));
    }
    if taken.iter().any(|t| t == name) {
        return Err(format!(
            "NAME {name:?} is taken: the catalog has a promise of that name"
        ));
    }
    let module = name.replace('-', "_");
    promise_import::module_name(&module).map_err(|e| {
        format!(
            "NAME {name:?} would name the Rust module `{module}`: {}",
            e.rule
        )
    })?;
    let kind = promise_import::upper_camel(name);
    if kinds.iter().any(|k| k == &kind) {
        return Err(format!(
            "NAME {name:?} would define kind {kind}, which the catalog already has"
        ));
    }
    if TEMPLATE_NAMES.contains(&kind.as_str()) {
        return Err(format!(
            "NAME {name:?} would define kind {kind}, a name the promise's module already uses"
        ));
    }
    Ok(Names { module, kind })
}

fn scaffold(root: &Path, catalog: &Catalog, name: &str) -> Result<(), String> {
    let taken: Vec<String> = catalog
        .promises()
        .iter()
        .map(|p| p.name().to_string())
        .collect();
    let rendered = promise_core::render::render(catalog).map_err(|p| p.to_string())?;
    let kinds: Vec<String> = rendered
        .files
        .values()
        .flat_map(|text| text.lines())
        .filter_map(|line| line.trim().strip_prefix("kind: "))
        .map(str::to_string)
        .collect();
    let Names { module, kind } = names(name, &taken, &kinds)?;
    let file = root.join("promises/src").join(format!("{module}.rs"));
    if file.exists() || root.join("promises/src").join(&module).exists() {
        return Err(format!("{} exists already", file.display()));
    }
    let lib_path = root.join("promises/src/lib.rs");
    let original =
        std::fs::read_to_string(&lib_path).map_err(|e| format!("{}: {e}", lib_path.display()))?;
    let lib = registered(&original, &module, name)?;
    // Everything checked: write the module, then register it.
    let source = TEMPLATE
        .replace("__KIND__", &kind)
        .replace("__NAME__", name);
    std::fs::write(&file, source).map_err(|e| format!("{}: {e}", file.display()))?;
    let unregister = || {
        let restored = std::fs::write(&lib_path, &original);
        let removed = std::fs::remove_file(&file);
        match (restored, removed) {
            (Ok(()), Ok(())) => format!(
                "{} removed, {} restored",
                file.display(),
                lib_path.display()
            ),
            (restored, removed) => format!(
                "could not undo it ({restored:?}, {removed:?}): remove {} and `pub mod {module};` \
                 and its catalog entry from {} by hand",
                file.display(),
                lib_path.display()
            ),
        }
    };
    if let Err(e) = std::fs::write(&lib_path, lib) {
        return Err(format!("{}: {e}; {}", lib_path.display(), unregister()));
    }
    println!(
        "wrote {} and registered it in {}",
        file.display(),
        lib_path.display()
    );

    let golden = format!("tests/golden/{name}/example-request");
    let input = format!("rendered/{name}/example-request.yaml");
    // Formatting is a courtesy (rustfmt may not be installed); a module that does not parse
    // fails the render below anyway.
    if let Err(e) = cargo(root, &["fmt", "-p", "promises"], &[]) {
        println!("notice: {e}; the module is left as the template wrote it");
    }
    // A NAME the checks above let through but Rust or the render refuses leaves nothing
    // behind: render writes nothing when it fails.
    cargo(root, &["xtask", "render"], &[]).map_err(|e| format!("{e}; {}", unregister()))?;
    cargo(
        root,
        &[
            "xtask", "run", name, "--input", &input, "--expect", &golden, "--bless",
        ],
        &[],
    )?;
    // The rendered files' snapshots: new ones accepted, changed ones still fail.
    cargo(
        root,
        &[
            "test",
            "-p",
            "promise-tests",
            "--test",
            "all",
            "--",
            "snapshots::",
        ],
        &[("INSTA_UPDATE", "unseen")],
    )?;
    println!(
        "\n{name} is ready: edit {}, then `cargo xtask render`, `cargo test --workspace`, and \
         `cargo xtask run {name} --input {input} --expect {golden}` (with --bless to accept a change)",
        file.display()
    );
    Ok(())
}

/// `promises/src/lib.rs` with `module` declared and its `promise` added to the catalog's
/// `PROMISES` table as `name`; `Err` when the file no longer has the shape this edits.
pub(crate) fn registered(lib: &str, module: &str, name: &str) -> Result<String, String> {
    let table = lib
        .find(CATALOG_ANCHOR)
        .and_then(|start| lib[start..].find("];\n").map(|end| start + end));
    let (Some(end), true) = (table, lib.contains(MODULE_ANCHOR)) else {
        return Err(format!(
            "promises/src/lib.rs no longer has the shape this command edits ({MODULE_ANCHOR:?} and \
             the {CATALOG_ANCHOR:?} table); add `pub mod {module};` and `({name:?}, {module}::promise),` by hand"
        ));
    };
    let mut lib = lib.to_string();
    lib.insert_str(end, &format!("    ({name:?}, {module}::promise),\n"));
    Ok(lib.replacen(
        MODULE_ANCHOR,
        &format!("{MODULE_ANCHOR}pub mod {module};\n"),
        1,
    ))
}

/// Runs `cargo ARGS` in `root`, showing its output; `Err` when it fails.
fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("\n$ cargo {}", args.join(" "));
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn bad_names_are_refused_with_the_rule() {
        let taken = vec!["database".to_string()];
        let kinds = vec!["Database".to_string(), "XDatabase".to_string()];
        let ok = names("redis-cache", &taken, &kinds).expect("a good name");
        assert_eq!(
            (ok.module.as_str(), ok.kind.as_str()),
            ("redis_cache", "RedisCache")
        );
        for (bad, rule) in [
            ("Redis", "DNS-1123 label"),
            ("redis_cache", "DNS-1123 label"),
            ("9cache", "must start with a letter"),
            ("database", "is taken"),
            (&"a".repeat(47), "at most 46 characters"),
        ] {
            let err = names(bad, &taken, &kinds).err().unwrap_or_default();
            assert!(err.contains(rule), "{bad}: {err}");
        }
        for (bad, rule) in [
            ("type", "the Rust module `type`: not a module name"),
            ("try", "not a module name"),
            (
                "tier",
                "kind Tier, a name the promise's module already uses",
            ),
            ("request", "kind Request, a name"),
            ("string", "kind String, a name"),
        ] {
            let err = names(bad, &taken, &kinds).err().unwrap_or_default();
            assert!(err.contains(rule), "{bad}: {err}");
        }
        let err = names("x-database", &taken, &["XDatabase".to_string()])
            .err()
            .unwrap_or_default();
        assert!(err.contains("kind XDatabase"), "{err}");
    }

    /// Every name the prelude exports and every type the template defines or imports is
    /// refused as a kind: a kind of the same name would break the scaffolded module.
    #[test]
    fn the_refused_kinds_cover_the_prelude_and_the_template() {
        let lib = std::fs::read_to_string(crate::workspace_root().join("promise-core/src/lib.rs"))
            .expect("promise-core/src/lib.rs");
        let prelude = &lib[lib.find("pub mod prelude {").expect("the prelude")..];
        let prelude = &prelude[..prelude.find("\n}").expect("its end")];
        let mut used: Vec<String> = prelude
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| {
                w.starts_with(|c: char| c.is_ascii_uppercase())
                    && w.contains(|c: char| c.is_ascii_lowercase())
            })
            .map(str::to_string)
            .collect();
        for line in super::TEMPLATE.lines() {
            let line = line.trim();
            let item = ["pub struct ", "pub enum ", "use "]
                .iter()
                .find_map(|p| line.strip_prefix(p));
            if let Some(item) = item {
                let last = item.rsplit("::").next().unwrap_or(item);
                let ident: String = last
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if ident.starts_with(|c: char| c.is_ascii_uppercase()) && !ident.contains("__") {
                    used.push(ident);
                }
            }
        }
        assert!(used.len() > 15, "{used:?}");
        for name in used {
            assert!(
                super::TEMPLATE_NAMES.contains(&name.as_str()),
                "{name} is missing from TEMPLATE_NAMES"
            );
        }
    }
}
