//! The workspace's boundaries, checked: `hrsync-core` (model, mapping, planner) depends on
//! no crate that does I/O or reads the clock, so the planner cannot fetch, write, sleep or
//! ask the time; and the Okta emulator shares no code with hrsync. The compiler enforces what
//! the architecture asks.

use std::process::Command;

/// Crates that would let the core do I/O or read the clock.
const FORBIDDEN: &[&str] = &[
    "tokio",
    "reqwest",
    "rusqlite",
    "axum",
    "hyper",
    "hyper-util",
    "tower",
    "mio",
    "socket2",
    "iana-time-zone",
    "sd-notify",
    "indicatif",
    "tracing",
];

/// The crate names in `package`'s normal dependency tree (itself included).
fn dependency_names(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            package,
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_core_crate_depends_on_no_io_runtime_http_database_or_clock_crate() {
    let names = dependency_names("hrsync-core");
    let has = |name: &str| names.iter().any(|n| n == name);
    assert!(has("hrsync-core") && has("chrono"), "{names:?}");
    let found: Vec<&&str> = FORBIDDEN.iter().filter(|f| has(f)).collect();
    assert!(
        found.is_empty(),
        "hrsync-core depends on {found:?}: {names:?}"
    );
}

#[test]
fn the_emulator_depends_on_nothing_of_hrsync_so_it_reads_okta_on_its_own() {
    let names = dependency_names("okta-emulator");
    let has = |name: &str| names.iter().any(|n| n == name);
    assert!(has("okta-emulator") && has("axum"), "{names:?}");
    assert!(!has("hrsync") && !has("hrsync-core"), "{names:?}");
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn unit_tests_have_one_layout_a_tests_file_beside_the_module_never_inline_or_by_path() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("crates"), &mut files);
    let mut offenders = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            let next = lines.get(i + 1).copied().unwrap_or("");
            let inline = *line == "#[cfg(test)]" && next.starts_with("mod tests {");
            if inline || line.starts_with("#[path") {
                offenders.push(format!("{}:{}", file.display(), i + 1));
            }
        }
    }
    assert!(files.len() > 100, "{} files found", files.len());
    assert!(
        offenders.is_empty(),
        "unit tests belong in <module>/tests.rs: {offenders:?}"
    );
}
