//! Tidy checks (rust-analyzer style): the layout rules of ARCHITECTURE.md,
//! enforced by reading the tree, so that breaking one fails the build.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The `[dependencies]` table of a crate's manifest: dependency names.
fn dependencies(krate: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml")).unwrap();
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && let Some((name, _)) = line.split_once(['=', '.']) {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                out.push(name.to_owned());
            }
        }
    }
    out
}

const LOGIC: &[&str] = &[
    "switchboard-query",
    "switchboard-toolset",
    "switchboard-setup",
    "switchboard-schema",
];

/// Crates that bring HTTP, a runtime or a database.
const IO_CRATES: &[&str] = &[
    "axum",
    "hyper",
    "tower",
    "tower-http",
    "tokio",
    "reqwest",
    "sqlx",
    "rusqlite",
    "postgres",
    "ureq",
];

#[test]
fn the_model_depends_on_no_member_but_the_pattern_leaf() {
    let deps = dependencies("switchboard-model");
    let members: Vec<&String> = deps.iter().filter(|d| d.starts_with("switchboard")).collect();
    assert_eq!(
        members,
        ["switchboard-jsregex"],
        "switchboard-model depends on {members:?}"
    );
    let deps = dependencies("switchboard-jsregex");
    let members: Vec<&String> = deps.iter().filter(|d| d.starts_with("switchboard")).collect();
    assert!(members.is_empty(), "switchboard-jsregex depends on {members:?}");
}

#[test]
fn logic_crates_depend_on_the_model_only_and_on_no_io_crate() {
    for krate in LOGIC {
        for dep in dependencies(krate) {
            assert!(
                !dep.starts_with("switchboard") || dep == "switchboard-model",
                "{krate} depends on {dep}: logic crates depend on the model only"
            );
            if IO_CRATES.contains(&dep.as_str()) {
                adapter_only(krate, &dep);
            }
        }
    }
}

/// The one way a logic crate may name an HTTP crate (ARCHITECTURE.md): an
/// optional dependency behind a feature, used only in its own adapter module
/// (`src/<dep>.rs`, an extractor), never by the crate's logic.
fn adapter_only(krate: &str, dep: &str) {
    let manifest = std::fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml")).unwrap();
    let mut in_deps = false;
    let line = manifest
        .lines()
        .map(str::trim)
        .find(|l| {
            if l.starts_with('[') {
                in_deps = *l == "[dependencies]";
            }
            in_deps && (l.starts_with(&format!("{dep} ")) || l.starts_with(&format!("{dep}.")))
        })
        .unwrap_or_default();
    assert!(
        line.contains("optional = true"),
        "{krate} depends on {dep}: logic crates do no I/O (an adapter must be an optional feature)"
    );
    let module = format!("{}.rs", dep.replace('-', "_"));
    let crate_name = dep.replace('-', "_");
    for file in rust_files(&root().join("crates").join(krate).join("src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        if text.contains(&format!("{crate_name}::")) {
            assert!(
                file.ends_with(&module),
                "{} uses {dep}: only the adapter module `{module}` may",
                file.display()
            );
        }
    }
}

#[test]
fn logic_and_model_code_never_reads_the_clock_or_does_io() {
    // Spelled in pieces so that this file does not match itself.
    let banned = [
        ["SystemTime", "::now"].concat(),
        ["Instant", "::now"].concat(),
        ["Utc", "::now"].concat(),
        ["Local", "::now"].concat(),
        ["std::", "fs"].concat(),
        ["std::", "net"].concat(),
        ["std::", "process"].concat(),
        ["std::", "env::var"].concat(),
        ["print", "ln!("].concat(),
        ["eprint", "ln!("].concat(),
    ];
    let mut found = Vec::new();
    for krate in LOGIC.iter().chain(&["switchboard-model"]) {
        for file in rust_files(&root().join("crates").join(krate).join("src")) {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                // Doc examples may show a caller's I/O; code may not.
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for b in &banned {
                    if line.contains(b.as_str()) {
                        found.push(format!("{}:{}: {b}", file.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "clock or I/O in a logic crate:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_holds_a_whole_crate() {
    let mut long = Vec::new();
    for dir in ["crates", "src", "tests", "benches"] {
        for file in rust_files(&root().join(dir)) {
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            let limit = if file.ends_with("lib.rs") { 300 } else { 500 };
            if lines > limit {
                long.push(format!("{}: {lines} lines (limit {limit})", file.display()));
            }
        }
    }
    assert!(long.is_empty(), "files to split:\n{}", long.join("\n"));
}
