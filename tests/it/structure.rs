//! The workspace's boundaries, checked: `hrsync-core` (model, mapping, planner) depends on
//! no crate that does I/O or reads the clock, so the planner cannot fetch, write, sleep or
//! ask the time; the compiler enforces what the architecture asks.

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

#[test]
fn the_core_crate_depends_on_no_io_runtime_http_database_or_clock_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "hrsync-core",
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
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"hrsync-core") && names.contains(&"chrono"),
        "{tree}"
    );
    let found: Vec<&&str> = FORBIDDEN.iter().filter(|f| names.contains(f)).collect();
    assert!(
        found.is_empty(),
        "hrsync-core depends on {found:?}:\n{tree}"
    );
}
