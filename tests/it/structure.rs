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
