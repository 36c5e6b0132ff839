//! Tests of configuration loading and validation.

use super::*;
use crate::config::types::*;
use std::collections::HashMap;

const GOOD: &str = r#"
[okta]
org_url = "https://example.okta.com"
token = { env = "OKTA_API_TOKEN" }

[source]
type = "file"
path = "employees.csv"
"#;

fn env_with_token(name: &str) -> Option<String> {
    (name == "OKTA_API_TOKEN").then(|| "00-secret-token-value".to_owned())
}

fn load_text(text: &str) -> Result<Config, ConfigErrors> {
    load_text_env(text, &env_with_token)
}

fn load_text_env(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigErrors> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    Config::load_with(&path, env)
}

fn errors_of(text: &str) -> Vec<String> {
    match load_text(text) {
        Ok(_) => panic!("expected errors"),
        Err(e) => {
            e.0.iter()
                .map(|e| {
                    // Drop the temporary folder from the file name.
                    let s = e.to_string();
                    s.split_once("hrsync.toml")
                        .map_or(s.clone(), |(_, rest)| format!("hrsync.toml{rest}"))
                })
                .collect()
        }
    }
}

#[test]
fn a_minimal_config_loads_with_the_documented_defaults() {
    let c = load_text(GOOD).unwrap();
    assert_eq!(c.okta.anchor_attribute, "employeeNumber");
    assert_eq!(c.okta.max_concurrent_requests, 8);
    assert_eq!(c.okta.rate_limit_share, 0.5);
    assert_eq!(c.okta.request_timeout.as_secs(), 30);
    assert_eq!(c.activation.mode, ActivationMode::StartDate);
    assert_eq!(c.activation.create, CreateTiming::OnRecord);
    assert_eq!(c.activation.activate_at.to_string(), "09:00:00");
    assert_eq!(c.termination.action, TerminationAction::Deactivate);
    assert_eq!(c.termination.at, TerminationAt::TerminationDate);
    assert_eq!(c.termination.orphans, OrphanPolicy::Report);
    assert_eq!(c.safety.max_deactivations_per_run, 25);
    assert_eq!(c.safety.max_deactivation_percent, 5.0);
    assert_eq!(c.safety.min_snapshot_ratio, 0.9);
    assert_eq!(c.safety.max_rejected_percent, 2.0);
    assert_eq!(c.schedule.cron_expr, "0 */15 * * * *");
    assert_eq!(c.schedule.timezone, chrono_tz::UTC);
    assert_eq!(c.schedule.max_backoff.as_secs(), 3600);
    assert_eq!(c.schedule.shutdown_timeout.as_secs(), 30);
    assert_eq!(
        c.journal.path,
        std::path::PathBuf::from("/var/lib/hrsync/journal.db")
    );
    assert_eq!(c.server.listen, Some("127.0.0.1:9184".parse().unwrap()));
    assert!(c.mapping.attributes.contains_key("login"));
    assert!(!c.mapping.attributes.contains_key("employeeNumber"));
    match &c.okta.auth {
        OktaAuth::Ssws(s) => assert_eq!(s.expose(), "00-secret-token-value"),
        other => panic!("unexpected auth {other:?}"),
    }
}

#[test]
fn the_debug_output_of_a_config_never_shows_the_token() {
    let c = load_text(GOOD).unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains("00-secret-token-value"), "{debug}");
    assert!(debug.contains("[redacted]"));
}

#[test]
fn relative_paths_are_resolved_against_the_config_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("etc");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("token.txt"), "tok\n").unwrap();
    let text = r#"
[okta]
org_url = "https://example.okta.com"
token = { file = "token.txt" }
[source]
type = "file"
path = "data/people.json"
[journal]
path = "state/journal.db"
"#;
    let path = sub.join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    let c = Config::load_with(&path, &|_| None).unwrap();
    let SourceConfig::File(f) = &c.source else {
        panic!("file source expected")
    };
    assert_eq!(f.path, sub.join("data/people.json"));
    assert_eq!(f.format, FileFormat::Json);
    assert_eq!(c.journal.path, sub.join("state/journal.db"));
    let OktaAuth::Ssws(t) = &c.okta.auth else {
        panic!("token expected")
    };
    assert_eq!(t.expose(), "tok");
}

#[test]
fn the_journal_goes_to_the_state_directory_when_systemd_gives_one() {
    let env = |k: &str| match k {
        "OKTA_API_TOKEN" => Some("t".to_owned()),
        "STATE_DIRECTORY" => Some("/var/lib/hrsync-state".to_owned()),
        _ => None,
    };
    let c = load_text_env(GOOD, &env).unwrap();
    assert_eq!(
        c.journal.path,
        std::path::PathBuf::from("/var/lib/hrsync-state/journal.db")
    );
}

#[test]
fn an_unknown_key_is_named_with_its_position_and_the_accepted_keys() {
    let errs = errors_of(&format!("{GOOD}\n[safety]\nmax_deletions = 3\n"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "hrsync.toml:11:1: safety.max_deletions: unknown key \"max_deletions\"; expected one of"
        ),
        "{errs:?}"
    );
    assert!(errs[0].contains("max_deactivations_per_run"), "{errs:?}");
}

#[test]
fn an_unknown_section_is_refused() {
    let errs = errors_of(&format!("{GOOD}\n[oktaa]\nx = 1\n"));
    assert!(
        errs[0].contains("oktaa: unknown section [oktaa]; expected one of okta, source"),
        "{errs:?}"
    );
}

#[test]
fn a_wrong_type_says_what_was_expected() {
    let errs = errors_of(
        &format!("{GOOD}\n[okta.x]\n")
            .replace("[source]", "max_concurrent_requests = \"eight\"\n[source]"),
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("okta.max_concurrent_requests") && e.contains("expected i64")),
        "{errs:?}"
    );
}

#[test]
fn a_bad_enum_value_lists_the_accepted_values() {
    let errs = errors_of(&format!("{GOOD}\n[activation]\nmode = \"sometimes\"\n"));
    assert_eq!(
        errs,
        vec![
            "hrsync.toml:11:8: activation.mode: unknown value \"sometimes\"; expected one of always, never, employee_status, start_date"
        ]
    );
}

#[test]
fn a_bad_url_and_an_http_url_off_loopback_are_refused() {
    let errs = errors_of(&GOOD.replace("https://example.okta.com", "not a url"));
    assert!(
        errs[0].contains("okta.org_url: \"not a url\" is not a URL"),
        "{errs:?}"
    );
    let errs = errors_of(&GOOD.replace("https://example.okta.com", "http://example.okta.com"));
    assert!(
        errs[0].contains("expected an https URL (http only on a loopback host"),
        "{errs:?}"
    );
    for ok in [
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:9",
    ] {
        assert!(
            load_text(&GOOD.replace("https://example.okta.com", ok)).is_ok(),
            "{ok}"
        );
    }
}

#[test]
fn a_bad_time_zone_is_refused_with_an_example() {
    let errs = errors_of(&format!(
        "{GOOD}\n[employee]\ntimezone = {{ field = \"tz\", default = \"Mars/Olympus\" }}\n"
    ));
    assert!(
        errs[0].contains(
            "employee.timezone.default: unknown time zone \"Mars/Olympus\"; expected an IANA name"
        ),
        "{errs:?}"
    );
}

#[test]
fn a_five_field_cron_is_refused_and_the_seconds_field_is_explained() {
    let errs = errors_of(&format!("{GOOD}\n[schedule]\ncron = \"*/15 * * * *\"\n"));
    assert!(errs[0].contains("schedule.cron"), "{errs:?}");
    assert!(errs[0].contains("6 or 7 with seconds first"), "{errs:?}");
    let errs = errors_of(&format!("{GOOD}\n[schedule]\ncron = \"0 0 25 * * *\"\n"));
    assert!(errs[0].contains("seconds first"), "{errs:?}");
}

#[test]
fn a_bad_activate_at_time_is_refused() {
    let errs = errors_of(&format!("{GOOD}\n[activation]\nactivate_at = \"9am\"\n"));
    assert!(
        errs[0]
            .contains("activation.activate_at: \"9am\" is not a time of day; expected \"HH:MM\""),
        "{errs:?}"
    );
    let c = load_text(&format!("{GOOD}\n[activation]\nactivate_at = \"08:30\"\n")).unwrap();
    assert_eq!(c.activation.activate_at.to_string(), "08:30:00");
    let c = load_text(&format!("{GOOD}\n[activation]\nactivate_at = 07:45:00\n")).unwrap();
    assert_eq!(c.activation.activate_at.to_string(), "07:45:00");
    let errs = errors_of(&format!("{GOOD}\n[activation]\nactivate_at = 2026-01-01\n"));
    assert!(
        errs[0].contains("\"2026-01-01\" is not a time of day"),
        "{errs:?}"
    );
}

#[test]
fn out_of_range_ratios_and_percentages_are_refused() {
    let errs = errors_of(&format!(
        "{GOOD}\n[safety]\nmin_snapshot_ratio = 1.5\nmax_deactivation_percent = -1\nmax_rejected_percent = 101\n"
    ));
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].contains("safety.min_snapshot_ratio: 1.5 is out of range"),
        "{errs:?}"
    );
    let errs = errors_of(&GOOD.replace("[source]", "rate_limit_share = 0\n[source]"));
    assert!(
        errs[0].contains(
            "okta.rate_limit_share: 0 is out of range; expected a number more than 0 up to 1"
        ),
        "{errs:?}"
    );
}

#[test]
fn a_missing_secret_variable_is_a_config_error_naming_the_key() {
    let errs = match load_text_env(GOOD, &|_| None) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    };
    assert!(
        errs.contains(":4:9: okta.token: environment variable OKTA_API_TOKEN is not set"),
        "{errs}"
    );
}

#[test]
fn token_and_oauth_together_or_neither_are_refused() {
    let both = GOOD.replace(
        "[source]",
        "oauth = { client_id = \"c\", private_key = { env = \"OKTA_API_TOKEN\" } }\n[source]",
    );
    assert!(errors_of(&both)[0].contains("give either token or oauth, not both"));
    let neither = GOOD.replace("token = { env = \"OKTA_API_TOKEN\" }", "");
    assert!(errors_of(&neither)[0].contains("no credentials"));
    let oauth = neither.replace(
        "[source]",
        "oauth = { client_id = \"c\", private_key = { env = \"OKTA_API_TOKEN\" }, key_id = \"k1\" }\n[source]",
    );
    let c = load_text(&oauth).unwrap();
    let OktaAuth::OAuth(o) = &c.okta.auth else {
        panic!("oauth expected")
    };
    assert_eq!(o.client_id, "c");
    assert_eq!(o.scopes, vec!["okta.users.read", "okta.users.manage"]);
}

#[test]
fn three_mistakes_are_reported_together_with_file_line_and_column() {
    let text = r#"[okta]
org_url = "http://example.okta.com"
token = { env = "OKTA_API_TOKEN" }

[source]
type = "file"
path = "employees.csv"

[activation]
mode = "sometimes"

[schedule]
timezone = "Europe/Lodnon"
"#;
    let errs = errors_of(text);
    assert_eq!(
        errs,
        vec![
            "hrsync.toml:2:11: okta.org_url: \"http://example.okta.com\" is refused; expected an https URL (http only on a loopback host: 127.0.0.1, ::1, localhost)",
            "hrsync.toml:10:8: activation.mode: unknown value \"sometimes\"; expected one of always, never, employee_status, start_date",
            "hrsync.toml:13:12: schedule.timezone: unknown time zone \"Europe/Lodnon\"; expected an IANA name such as Europe/London, America/New_York or UTC",
        ]
    );
    let text = text.replace("mode = \"sometimes\"", "activate_at = \"25:00\"");
    let errs = errors_of(&text);
    assert_eq!(
        errs,
        vec![
            "hrsync.toml:2:11: okta.org_url: \"http://example.okta.com\" is refused; expected an https URL (http only on a loopback host: 127.0.0.1, ::1, localhost)",
            "hrsync.toml:10:15: activation.activate_at: \"25:00\" is not a time of day; expected \"HH:MM\" (24-hour), e.g. \"09:00\"",
            "hrsync.toml:13:12: schedule.timezone: unknown time zone \"Europe/Lodnon\"; expected an IANA name such as Europe/London, America/New_York or UTC",
        ]
    );
}

#[test]
fn the_anchor_attribute_may_not_be_mapped() {
    let text = format!(
        "{GOOD}\n[mapping]\nlogin = \"{{email}}\"\nemail = \"{{email}}\"\nfirstName = \"{{first_name}}\"\nlastName = \"{{last_name}}\"\nemployeeNumber = \"{{id}}\"\n"
    );
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("mapping.employeeNumber: employeeNumber is the anchor attribute"),
        "{errs:?}"
    );
}

#[test]
fn a_mapping_section_reads_templates_options_values_and_on_empty() {
    let text = format!(
        r#"{GOOD}
[mapping]
login = "{{email|lower}}"
email = "{{email|lower}}"
firstName = "{{first_name}}"
lastName = "{{last_name}}"
department = "{{department}}"
login_fallbacks = ["{{first_name}}.{{last_name}}@example.com"]
on_conflict = "adopt"

[mapping.values.department]
ENG = "Engineering"

[mapping.on_empty]
department = "clear"
"#
    );
    let c = load_text(&text).unwrap();
    let m = &c.mapping;
    assert_eq!(m.on_conflict, OnConflict::Adopt);
    assert_eq!(m.login_fallbacks.len(), 1);
    let dept = &m.attributes["department"];
    assert_eq!(
        dept.values.get("ENG").map(String::as_str),
        Some("Engineering")
    );
    assert_eq!(dept.on_empty, OnEmpty::Clear);
    assert_eq!(m.attributes["login"].on_empty, OnEmpty::Keep);
}

#[test]
fn a_mapping_without_the_required_attributes_or_with_values_for_unmapped_ones_is_refused() {
    let text = format!(
        "{GOOD}\n[mapping]\nlogin = \"{{email}}\"\n[mapping.on_empty]\ntitle = \"clear\"\n"
    );
    let errs = errors_of(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("missing email, firstName, lastName")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("mapping.on_empty.title: title is not a mapped attribute")),
        "{errs:?}"
    );
}

#[test]
fn source_keys_of_another_type_and_bad_delimiters_are_refused() {
    let errs = errors_of(&GOOD.replace(
        "path = \"employees.csv\"",
        "path = \"e.csv\"\ndelimiter = \"|\"\nbase_url = \"https://x.example\"",
    ));
    assert!(
        errs.iter()
            .any(|e| e.contains("source.base_url: is not a key of type = \"file\"")),
        "{errs:?}"
    );
    let errs = errors_of(&GOOD.replace(
        "path = \"employees.csv\"",
        "path = \"e.csv\"\ndelimiter = \"|\"",
    ));
    assert!(
        errs[0].contains("source.delimiter: \"|\" is not accepted"),
        "{errs:?}"
    );
    let errs = errors_of(&GOOD.replace("employees.csv", "employees.txt"));
    assert!(
        errs[0].contains("set format = \"csv\" or \"json\""),
        "{errs:?}"
    );
}

#[test]
fn a_hibob_source_resolves_its_secrets() {
    let text = GOOD.replace(
        "type = \"file\"\npath = \"employees.csv\"",
        "type = \"hibob\"\nservice_user_id = { env = \"BOB_ID\" }\ntoken = { env = \"BOB_TOKEN\" }\nfields = [\"root.id\"]",
    );
    let env: HashMap<&str, &str> = [
        ("OKTA_API_TOKEN", "t"),
        ("BOB_ID", "svc"),
        ("BOB_TOKEN", "bt"),
    ]
    .into();
    let c = load_text_env(&text, &|k| env.get(k).map(|v| v.to_string())).unwrap();
    let SourceConfig::HiBob(h) = &c.source else {
        panic!("hibob expected")
    };
    assert_eq!(h.base_url.as_str(), "https://api.hibob.com/v1");
    assert_eq!(h.token.expose(), "bt");
    assert_eq!(h.fields, vec!["root.id"]);
    let errs = match load_text_env(&text, &|k| (k == "OKTA_API_TOKEN").then(|| "t".into())) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected errors"),
    };
    assert!(
        errs.contains("source.service_user_id: environment variable BOB_ID is not set"),
        "{errs}"
    );
    assert!(
        errs.contains("source.token: environment variable BOB_TOKEN is not set"),
        "{errs}"
    );
}

#[test]
fn a_termination_date_may_be_one_field_or_several() {
    let c = load_text(&format!(
        "{GOOD}\n[employee]\ntermination_date = [\"end\", \"contract_end\"]\n"
    ))
    .unwrap();
    assert_eq!(c.employee.termination_date, vec!["end", "contract_end"]);
    let c = load_text(&format!("{GOOD}\n[employee]\ntermination_date = \"end\"\n")).unwrap();
    assert_eq!(c.employee.termination_date, vec!["end"]);
}

#[test]
fn server_listen_accepts_an_address_or_off() {
    let c = load_text(&format!("{GOOD}\n[server]\nlisten = \"off\"\n")).unwrap();
    assert_eq!(c.server.listen, None);
    let errs = errors_of(&format!("{GOOD}\n[server]\nlisten = \"localhost\"\n"));
    assert!(
        errs[0].contains("server.listen: \"localhost\" is not an address"),
        "{errs:?}"
    );
}

#[test]
fn a_toml_syntax_error_has_a_position() {
    let errs = errors_of("[okta\norg_url = 1\n");
    assert!(errs[0].starts_with("hrsync.toml:1:"), "{errs:?}");
    assert!(errs[0].contains("not valid TOML"), "{errs:?}");
}

#[test]
fn a_missing_file_is_reported_without_a_position() {
    let err =
        Config::load_with(std::path::Path::new("/nonexistent/hrsync.toml"), &|_| None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/hrsync.toml: cannot read the configuration file")
    );
}

#[test]
fn a_credential_secret_is_read_from_the_systemd_credentials_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("okta-token"), "cred-token\n").unwrap();
    let d = dir.path().display().to_string();
    let text = GOOD.replace(
        "{ env = \"OKTA_API_TOKEN\" }",
        "{ credential = \"okta-token\" }",
    );
    let c = load_text_env(&text, &|k| {
        (k == "CREDENTIALS_DIRECTORY").then(|| d.clone())
    })
    .unwrap();
    let OktaAuth::Ssws(t) = &c.okta.auth else {
        panic!("token expected")
    };
    assert_eq!(t.expose(), "cred-token");
    let errs = match load_text_env(&text, &|_| None) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    };
    assert!(
        errs.contains("okta.token: credential \"okta-token\" needs $CREDENTIALS_DIRECTORY"),
        "{errs}"
    );
}

#[test]
fn a_secret_reference_must_name_exactly_one_place() {
    let errs = errors_of(&GOOD.replace(
        "{ env = \"OKTA_API_TOKEN\" }",
        "{ env = \"A\", file = \"b\" }",
    ));
    assert!(
        errs[0].contains("okta.token: give exactly one of env, file or credential"),
        "{errs:?}"
    );
    let errs = errors_of(&GOOD.replace("{ env = \"OKTA_API_TOKEN\" }", "\"literal-token\""));
    assert!(
        errs[0].contains("okta.token") && errs[0].contains("expected a secret reference"),
        "{errs:?}"
    );
}
