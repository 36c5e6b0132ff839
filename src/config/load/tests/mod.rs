//! Tests of configuration loading: defaults, positions, error kinds, several errors at once.

use super::*;
use crate::config::types::*;

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
    load_text_env(text, env_with_token)
}

fn load_text_env(
    text: &str,
    env: impl Fn(&str) -> Option<String> + 'static,
) -> Result<Config, ConfigErrors> {
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
    assert_eq!(c.okta.rate_limit_share, 1.0);
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
    assert_eq!(c.schedule.cron.expr(), "0 */15 * * * *");
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
    let c = Config::load_with(&path, |_| None).unwrap();
    let SourceConfig::File(f) = &c.source else {
        panic!("file source expected")
    };
    assert_eq!(f.path, sub.join("data/people.json"));
    assert_eq!(f.format(), FileFormat::Json);
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
    let c = load_text_env(GOOD, env).unwrap();
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
        errs.iter().any(
            |e| e.contains("okta.max_concurrent_requests") && e.contains("expected an integer")
        ),
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
    let errs = match load_text_env(GOOD, |_| None) {
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
fn several_mistakes_in_one_section_are_reported_together() {
    let text = GOOD.replace(
        "[source]",
        "anchor_atribute = \"x\"\nmax_concurrent_requests = \"8\"\nsend_activation_email = 1\n[source]",
    );
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].starts_with("hrsync.toml:6:1: okta.anchor_atribute: unknown key"),
        "{errs:?}"
    );
    assert!(
        errs[1].starts_with("hrsync.toml:7:27: okta.max_concurrent_requests: invalid type: string \"8\", expected an integer"),
        "{errs:?}"
    );
    assert!(
        errs[2].starts_with("hrsync.toml:8:25: okta.send_activation_email: invalid type: integer \"1\", expected a boolean"),
        "{errs:?}"
    );
}

#[test]
fn a_section_that_fails_to_deserialize_is_not_also_reported_missing() {
    let errs = errors_of(&GOOD.replace("org_url", "org_urll"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    let errs = errors_of(&GOOD.replace("type = \"file\"", "type = \"ftp\""));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("source.type: unknown value \"ftp\"; expected one of file, hibob"),
        "{errs:?}"
    );
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
fn a_toml_syntax_error_has_a_position() {
    let errs = errors_of("[okta\norg_url = 1\n");
    assert!(errs[0].starts_with("hrsync.toml:1:"), "{errs:?}");
    assert!(errs[0].contains("not valid TOML"), "{errs:?}");
}

#[test]
fn a_missing_file_is_reported_without_a_position() {
    let err =
        Config::load_with(std::path::Path::new("/nonexistent/hrsync.toml"), |_| None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/hrsync.toml: cannot read the configuration file")
    );
}

mod console;
mod hostile;
mod phases;
mod sections;
mod together;

#[test]
fn the_leader_lease_needs_a_shared_journal_and_a_lease_in_range() {
    let errs = errors_of(&format!("{GOOD}\n[ha]\nlease_seconds = 10\n"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("[ha] needs a journal that the instances share"),
        "{errs:?}"
    );
    let env = |k: &str| match k {
        "OKTA_API_TOKEN" => Some("t".to_owned()),
        "JOURNAL" => Some("postgres://hrsync:pw@db.example.com/hrsync".to_owned()),
        _ => None,
    };
    let shared = format!("{GOOD}\n[journal]\nurl = {{ env = \"JOURNAL\" }}\n");
    let c = load_text_env(
        &format!("{shared}\n[ha]\nlease_seconds = 9\nholder = \"a\"\n"),
        env,
    )
    .unwrap();
    assert_eq!(
        (c.ha.lease.as_secs(), c.ha.holder.as_deref()),
        (9, Some("a"))
    );
    assert_eq!(load_text_env(&shared, env).unwrap().ha.lease.as_secs(), 15);
    let err = load_text_env(&format!("{shared}\n[ha]\nlease_seconds = 1\n"), env)
        .unwrap_err()
        .to_string();
    assert!(err.contains("lease_seconds"), "{err}");
}

#[test]
fn an_unreadable_token_is_reported_together_with_the_other_mistakes_of_okta() {
    let text = GOOD.replace("[source]", "max_concurrent_requests = 0\n[source]");
    let errs = match load_text_env(&text, |_| None) {
        Err(e) => e.0.iter().map(|e| e.key.clone()).collect::<Vec<_>>(),
        Ok(_) => panic!("expected errors"),
    };
    assert_eq!(errs, ["okta.token", "okta.max_concurrent_requests"]);
}

#[test]
fn a_refused_required_value_is_not_also_reported_missing() {
    let errs = errors_of(&GOOD.replace("https://example.okta.com", "ftp://example.okta.com"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("okta.org_url: \"ftp://example.okta.com\" is refused"),
        "{errs:?}"
    );
}

#[test]
fn an_okta_section_alone_gets_every_documented_default() {
    let okta: OktaConfig = toml::from_str("org_url = \"https://example.okta.com\"").unwrap();
    assert_eq!(okta.anchor_attribute, "employeeNumber");
    assert_eq!(okta.max_concurrent_requests, 8);
    assert_eq!(okta.max_retry_wait.as_secs(), 120);
    assert_eq!(okta.max_retry_wait_per_run.as_secs(), 900);
    assert_eq!(okta.quarantine_after_failures, 3);
    assert!(okta.incremental && !okta.send_activation_email);
    assert_eq!(okta.incremental_overlap.as_secs(), 300);
    assert_eq!(okta.full_pass_every.as_secs(), 86_400);
    assert!(okta.token.is_none() && okta.oauth.is_none());
}
