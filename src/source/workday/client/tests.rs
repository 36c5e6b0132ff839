use super::*;
use serde_json::json;

fn config(base: &str) -> WorkdaySourceConfig {
    let toml = format!(
        r#"
base_url = "{base}"
tenant = "acme corp"
owner = "ISU_hrsync"
report = "hrsync/workers"
username = "ISU_hrsync"
password = {{ env = "WD_PASSWORD" }}
prompts = {{ Include_Terminated_Workers = "1" }}
"#
    );
    let scope = crate::config::value::Scope {
        base_dir: ".".into(),
        env: std::rc::Rc::new(|_| Some("pw".to_owned())),
    };
    crate::config::value::with_scope(scope, || toml::from_str(&toml).unwrap())
}

#[test]
fn the_report_url_has_each_segment_encoded_and_the_prompts_after_format_json() {
    let url = report_url(&config("https://wd2-impl-services1.workday.com/")).unwrap();
    assert_eq!(
        url.as_str(),
        "https://wd2-impl-services1.workday.com/ccx/service/customreport2/acme%20corp/ISU_hrsync/hrsync%2Fworkers?format=json&Include_Terminated_Workers=1"
    );
    let token = token_url(&config("https://wd2-impl-services1.workday.com")).unwrap();
    assert_eq!(
        token.as_str(),
        "https://wd2-impl-services1.workday.com/ccx/oauth2/acme%20corp/token"
    );
}

#[test]
fn rows_must_be_under_report_entry() {
    assert_eq!(
        entries("u", json!({"Report_Entry": [{"a": 1}]}))
            .unwrap()
            .len(),
        1
    );
    let err = entries("u", json!({"entries": []})).unwrap_err();
    assert!(err.to_string().contains("Report_Entry"), "{err}");
    assert!(entries("u", json!([1])).is_err());
}

#[test]
fn workday_error_texts_are_read_from_json_and_soap_faults() {
    let h = HeaderMap::new();
    assert_eq!(
        error_text(&h, r#"{"error":"Invalid request"}"#).as_deref(),
        Some("Invalid request")
    );
    assert_eq!(
        error_text(&h, r#"{"errors":[{"error":"Report not found"}]}"#).as_deref(),
        Some("Report not found")
    );
    assert_eq!(
        error_text(
            &h,
            "<env:Fault><faultstring> Access denied </faultstring></env:Fault>"
        )
        .as_deref(),
        Some("Access denied")
    );
    assert_eq!(error_text(&h, "plain"), None);
}
