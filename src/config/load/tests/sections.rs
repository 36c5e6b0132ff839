//! Tests of section validation: mapping, source types, secrets, termination dates, server,
//! status lists, the bob request timeout and webhook interval, the server's connection limits.

use super::*;
use std::collections::HashMap;

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
    let c = load_text_env(&text, move |k| env.get(k).map(|v| v.to_string())).unwrap();
    let SourceConfig::HiBob(h) = &c.source else {
        panic!("hibob expected")
    };
    assert_eq!(h.base_url.as_str(), "https://api.hibob.com/v1");
    assert_eq!(h.token.expose(), "bt");
    assert_eq!(h.fields, vec!["root.id"]);
    let errs = match load_text_env(&text, |k| (k == "OKTA_API_TOKEN").then(|| "t".into())) {
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
fn server_connection_limits_have_defaults_and_range_errors_name_the_key() {
    let c = load_text(GOOD).unwrap();
    assert_eq!(c.server.max_connections, 64);
    assert_eq!(c.server.header_timeout.as_secs(), 10);
    assert_eq!(c.server.idle_timeout.as_secs(), 60);
    let c = load_text(&format!(
        "{GOOD}\n[server]\nmax_connections = 8\nheader_timeout_seconds = 2\nidle_timeout_seconds = 5\n"
    ))
    .unwrap();
    assert_eq!(c.server.max_connections, 8);
    assert_eq!(c.server.header_timeout.as_secs(), 2);
    assert_eq!(c.server.idle_timeout.as_secs(), 5);
    let errs = errors_of(&format!(
        "{GOOD}\n[server]\nmax_connections = 0\nheader_timeout_seconds = 0\nidle_timeout_seconds = 3601\n"
    ));
    let keys: Vec<&str> = errs.iter().filter_map(|e| e.split(": ").nth(1)).collect();
    assert_eq!(
        keys,
        [
            "server.max_connections",
            "server.header_timeout_seconds",
            "server.idle_timeout_seconds"
        ],
        "{errs:?}"
    );
    assert!(
        errs[0].ends_with("0 is out of range; expected 1 to 65536"),
        "{errs:?}"
    );
}

#[test]
fn the_webhook_minimum_interval_is_a_hibob_key_with_a_default_of_30_seconds_and_0_allowed() {
    let hibob = |extra: &str| {
        GOOD.replace(
            "type = \"file\"\npath = \"employees.csv\"",
            &format!("type = \"hibob\"\nservice_user_id = {{ env = \"OKTA_API_TOKEN\" }}\ntoken = {{ env = \"OKTA_API_TOKEN\" }}\n{extra}"),
        )
    };
    let interval = |text: &str| match load_text(text).unwrap().source {
        SourceConfig::HiBob(h) => h.webhook_min_interval,
        other => panic!("hibob expected, got {other:?}"),
    };
    assert_eq!(interval(&hibob("")).as_secs(), 30);
    assert_eq!(
        interval(&hibob("webhook_min_interval_seconds = 0")).as_secs(),
        0
    );
    let errs = errors_of(&hibob("webhook_min_interval_seconds = -1"));
    assert_eq!(
        errs,
        vec![
            "hrsync.toml:10:32: source.webhook_min_interval_seconds: -1 is out of range; expected 0 to 3600"
        ]
    );
    let errs = errors_of(&GOOD.replace(
        "path = \"employees.csv\"",
        "path = \"e.csv\"\nwebhook_min_interval_seconds = 5",
    ));
    assert!(
        errs[0].contains("source.webhook_min_interval_seconds: is not a key of type = \"file\""),
        "{errs:?}"
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
    let c = load_text_env(&text, move |k| {
        (k == "CREDENTIALS_DIRECTORY").then(|| d.clone())
    })
    .unwrap();
    let OktaAuth::Ssws(t) = &c.okta.auth else {
        panic!("token expected")
    };
    assert_eq!(t.expose(), "cred-token");
    let errs = match load_text_env(&text, |_| None) {
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
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("okta.token: must be a secret reference"),
        "{errs:?}"
    );
    assert!(
        !errs[0].contains("literal-token"),
        "an inline secret is never echoed: {errs:?}"
    );
}

#[test]
fn the_status_rule_reads_an_optional_inactive_list() {
    let c = load_text(GOOD).unwrap();
    assert!(
        matches!(
            &c.employee.status.values,
            StatusValues::ActiveInactive { inactive: None, .. }
        ),
        "no list by default"
    );
    let c = load_text(&format!(
        "{GOOD}\n[employee]\nstatus = {{ field = \"st\", inactive = [\"Inactive\", \"Terminated\"] }}\n"
    ))
    .unwrap();
    let rule = &c.employee.status;
    assert_eq!(rule.field, "st");
    let StatusValues::ActiveInactive { active, inactive } = &rule.values else {
        panic!("a status rule expected")
    };
    assert_eq!(active, &vec!["Active"]);
    assert_eq!(
        inactive,
        &Some(vec!["Inactive".to_owned(), "Terminated".to_owned()])
    );
}

#[test]
fn an_inactive_status_that_is_also_active_in_any_case_is_refused_at_its_position() {
    let errs = errors_of(&format!(
        "{GOOD}\n[employee]\nstatus = {{ field = \"status\", active = [\"Active\", \"On leave\"], inactive = [\"Inactive\", \" active \"] }}\n"
    ));
    assert_eq!(
        errs,
        vec![
            "hrsync.toml:11:87: employee.status.inactive[1]: \" active \" is also in status.active (as \"Active\"; values are compared case-insensitively); a status is either active or inactive, remove it from one list"
        ]
    );
}

#[test]
fn an_empty_inactive_list_is_refused_at_its_position() {
    let errs = errors_of(&format!(
        "{GOOD}\n[employee]\nstatus = {{ field = \"status\", inactive = [] }}\n"
    ));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("hrsync.toml:11:41: employee.status.inactive: is empty;"),
        "{errs:?}"
    );
}

#[test]
fn a_hibob_request_timeout_defaults_to_two_minutes_and_is_range_checked() {
    let hibob = |extra: &str| {
        GOOD.replace(
            "type = \"file\"\npath = \"employees.csv\"",
            &format!("type = \"hibob\"\nservice_user_id = {{ env = \"OKTA_API_TOKEN\" }}\ntoken = {{ env = \"OKTA_API_TOKEN\" }}\n{extra}"),
        )
    };
    let timeout = |text: &str| match load_text(text).unwrap().source {
        SourceConfig::HiBob(h) => h.request_timeout,
        other => panic!("hibob expected, got {other:?}"),
    };
    assert_eq!(timeout(&hibob("")).as_secs(), 120);
    assert_eq!(timeout(&hibob("request_timeout_seconds = 2")).as_secs(), 2);
    let errs = errors_of(&hibob("request_timeout_seconds = 0"));
    assert_eq!(
        errs,
        vec![
            "hrsync.toml:10:27: source.request_timeout_seconds: 0 is out of range; expected 1 to 600"
        ]
    );
    let errs = errors_of(&GOOD.replace(
        "path = \"employees.csv\"",
        "path = \"e.csv\"\nrequest_timeout_seconds = 5",
    ));
    assert!(
        errs[0].contains("source.request_timeout_seconds: is not a key of type = \"file\""),
        "{errs:?}"
    );
}

#[test]
fn status_values_compare_trimmed_and_ignoring_case_ascii_or_not() {
    assert!(same_status(" Active ", "active"));
    assert!(same_status("ÉLÈVE", "élève"));
    assert!(!same_status("Active", "Inactive"));
    assert!(!same_status("Active", "Activé"));
}

#[test]
fn a_source_reports_a_bad_key_and_a_missing_one_together() {
    let text = GOOD.replace(
        "type = \"file\"\npath = \"employees.csv\"",
        "type = \"hibob\"\ntoken = { env = \"OKTA_API_TOKEN\" }\nrequest_timeout_seconds = 0",
    );
    let errs = errors_of(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("source.request_timeout_seconds: 0 is out of range")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("source.service_user_id: missing; required for type = \"hibob\"")),
        "{errs:?}"
    );
}

#[test]
fn an_unknown_source_type_lists_the_accepted_ones() {
    let errs = errors_of(&GOOD.replace("type = \"file\"", "type = \"postgres\""));
    assert!(
        errs[0].contains("source.type: unknown value \"postgres\"; expected one of file, hibob"),
        "{errs:?}"
    );
}

#[test]
fn a_bamboohr_source_takes_its_key_and_a_bare_company_domain() {
    let source = |domain: &str| {
        GOOD.replace(
            "type = \"file\"\npath = \"employees.csv\"",
            &format!("type = \"bamboohr\"\ncompany_domain = \"{domain}\"\napi_key = {{ env = \"BAMBOO_KEY\" }}"),
        )
    };
    let env = |k: &str| match k {
        "OKTA_API_TOKEN" => Some("t".to_owned()),
        "BAMBOO_KEY" => Some("key".to_owned()),
        _ => None,
    };
    let c = load_text_env(&source("acme"), env).unwrap();
    let SourceConfig::BambooHr(b) = &c.source else {
        panic!("bamboohr expected")
    };
    assert_eq!(
        b.base_url.as_str(),
        crate::config::BAMBOOHR_DEFAULT_BASE_URL
    );
    assert_eq!(b.api_key.expose(), "key");
    assert_eq!(b.webhook_max_age.as_secs(), 300);
    let errs = match load_text_env(&source("acme.bamboohr.com"), env) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected errors"),
    };
    assert!(
        errs.contains("source.company_domain") && errs.contains("subdomain only"),
        "{errs}"
    );
}

#[test]
fn a_personio_source_takes_its_credentials_and_caps_the_page_at_100() {
    let source = |page: usize| {
        GOOD.replace(
            "type = \"file\"\npath = \"employees.csv\"",
            &format!("type = \"personio\"\nclient_id = {{ env = \"P_ID\" }}\nclient_secret = {{ env = \"P_SECRET\" }}\npage_size = {page}"),
        )
    };
    let env = |k: &str| match k {
        "OKTA_API_TOKEN" => Some("t".to_owned()),
        "P_ID" | "P_SECRET" => Some("x".to_owned()),
        _ => None,
    };
    let c = load_text_env(&source(50), env).unwrap();
    let SourceConfig::Personio(p) = &c.source else {
        panic!("personio expected")
    };
    assert_eq!(p.base_url.as_str(), "https://api.personio.de/");
    assert_eq!(p.page_size, 50);
    assert!(
        load_text_env(&source(101), env).is_err(),
        "Personio serves at most 100 a page"
    );
}
