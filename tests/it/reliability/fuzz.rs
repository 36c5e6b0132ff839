//! Hostile input, property-based (proptest): the config loader, the CSV/JSON file source and
//! the template parser never panic, whatever bytes they get — random text, and valid inputs
//! cut or corrupted at random places. Case counts are small for CI; raise them with
//! `PROPTEST_CASES=5000 cargo test --test it reliability::fuzz`.

use super::org::roster;
use hrsync::config::{Config, EmployeeConfig, FileFormat};
use hrsync::mapping::{FieldLookup, FieldRef, Resolved, Template};
use hrsync::source::file::parse;
use proptest::prelude::*;
use std::borrow::Cow;
use std::path::Path;

/// A valid configuration (no emulator needed: nothing connects).
const VALID_CONFIG: &str = r#"[okta]
org_url = "https://example.okta.com"
token = { file = "okta-token" }
service_account_login = "svc@example.com"
request_timeout_seconds = 10

[source]
type = "file"
path = "employees.csv"

[employee]
id = "id"
status = { field = "status", active = ["Active"] }
start_date = "start_date"
termination_date = "termination_date"
timezone = { field = "site_timezone", default = "Europe/London" }
manager = "manager_id"
scope = "department != 'Contractors'"

[activation]
mode = "start_date"

[safety]
min_snapshot_ratio = 0.9

[journal]
path = "journal.db"
"#;

/// Loads `text` as a config file; never panics, whatever the outcome.
fn load(dir: &Path, text: &[u8]) -> Result<Config, String> {
    let path = dir.join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    Config::load_with(&path, |_| None).map_err(|e| e.to_string())
}

fn employee_config() -> EmployeeConfig {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("okta-token"), "t0ken-for-fuzzing").unwrap();
    load(dir.path(), VALID_CONFIG.as_bytes()).unwrap().employee
}

/// Cuts `base` at `cut` (a share of its length) and overwrites bytes at `at` with `noise`.
fn corrupt(base: &[u8], cut: f64, at: f64, noise: &[u8]) -> Vec<u8> {
    let len = ((base.len() as f64) * cut) as usize;
    let mut out = base[..len.min(base.len())].to_vec();
    let pos = ((out.len() as f64) * at) as usize;
    for (i, b) in noise.iter().enumerate() {
        if let Some(slot) = out.get_mut(pos + i) {
            *slot = *b;
        } else {
            out.push(*b);
        }
    }
    out
}

/// 256 cases, or `PROPTEST_CASES` when set.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

struct Fields;

impl FieldLookup for Fields {
    fn lookup(&self, field: &FieldRef) -> Resolved<'_> {
        match field {
            FieldRef::Own(name) if name.len() % 3 == 0 => Resolved::Missing,
            FieldRef::Own(name) => Resolved::Value(Cow::Owned(format!("Zoë \"{name}\" O'Brien"))),
            FieldRef::Manager(_) => Resolved::Pending,
            _ => Resolved::Value(Cow::Borrowed("00u1")),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_config_loader_never_panics_on_random_text(text in ".{0,400}") {
        let dir = tempfile::tempdir().unwrap();
        let _ = load(dir.path(), text.as_bytes());
    }

    #[test]
    fn the_config_loader_never_panics_on_a_corrupted_valid_config(
        cut in 0.0f64..=1.0, at in 0.0f64..=1.0,
        noise in proptest::collection::vec(any::<u8>(), 0..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("okta-token"), "t0ken-for-fuzzing").unwrap();
        let _ = load(dir.path(), &corrupt(VALID_CONFIG.as_bytes(), cut, at, &noise));
    }

    #[test]
    fn the_file_source_never_panics_on_random_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        json in any::<bool>(),
    ) {
        let cfg = employee_config();
        let format = if json { FileFormat::Json } else { FileFormat::Csv };
        let _ = parse(&bytes, Path::new("employees"), format, b',', &cfg);
    }

    #[test]
    fn the_file_source_never_panics_on_a_cut_or_corrupted_roster(
        cut in 0.0f64..=1.0, at in 0.0f64..=1.0,
        noise in proptest::collection::vec(any::<u8>(), 0..16),
        json in any::<bool>(),
    ) {
        let cfg = employee_config();
        let csv = roster(12);
        let base = if json {
            let rows: Vec<serde_json::Value> = csv.lines().skip(1).map(|l| {
                serde_json::json!({"id": l.split(',').next().unwrap_or(""), "status": "Active",
                    "email": "a@example.com", "first_name": l})
            }).collect();
            serde_json::to_vec(&rows).unwrap()
        } else {
            csv.into_bytes()
        };
        let format = if json { FileFormat::Json } else { FileFormat::Csv };
        let broken = corrupt(&base, cut, at, &noise);
        if let Ok(snapshot) = parse(&broken, Path::new("employees"), format, b',', &cfg) {
            // A parsed snapshot never holds more employees than the intact file had.
            prop_assert!(snapshot.employees.len() <= 12);
        }
    }

    #[test]
    fn the_template_parser_never_panics(source in ".{0,80}") {
        if let Ok(t) = Template::parse(&source) {
            let _ = t.fields().count();
            let _ = t.render(&Fields);
        }
    }

    #[test]
    fn the_template_parser_never_panics_on_placeholder_soup(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("|"), Just("lower"), Just("ascii"), Just("upper"),
                Just("manager."), Just("email"), Just("first_name"), Just("okta_login"),
                Just("{{"), Just("}}"), Just(":"), Just("\""), Just("é"), Just(" "),
            ],
            0..24,
        ),
    ) {
        let source: String = parts.concat();
        if let Ok(t) = Template::parse(&source) {
            let _ = t.render(&Fields);
        }
    }
}
