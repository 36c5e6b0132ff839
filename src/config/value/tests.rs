use super::*;
use crate::config::HIBOB_DEFAULT_BASE_URL;
use std::collections::BTreeMap;

#[test]
fn the_default_hibob_url_is_one_hrsync_may_call() {
    assert!(checked_url(HIBOB_DEFAULT_BASE_URL).is_ok());
}

#[test]
fn a_url_with_a_password_is_refused_without_showing_it() {
    let err = checked_url("https://bob:hunter2@api.hibob.com/v1").unwrap_err();
    assert!(!err.contains("hunter2"), "{err}");
    assert!(err.contains("https://***@api.hibob.com/v1"), "{err}");
}

#[test]
fn plain_http_is_refused_except_on_a_loopback_host() {
    assert!(checked_url("http://example.com").is_err());
    assert!(checked_url("http://127.0.0.1:8080").is_ok());
    assert!(checked_url("http://localhost").is_ok());
    assert!(checked_url("ftp://example.com").is_err());
}

#[test]
fn integers_out_of_range_name_the_range() {
    assert_eq!(in_range::<1, 600>(600), Ok(600));
    assert_eq!(
        in_range::<1, 600>(0).unwrap_err(),
        "0 is out of range; expected 1 to 600"
    );
}

#[derive(Debug, serde::Deserialize)]
struct Probe {
    secret: Secret,
    #[serde(deserialize_with = "path")]
    file: PathBuf,
}

#[test]
fn a_secret_and_a_path_are_resolved_against_the_scope_of_the_load() {
    let vars: BTreeMap<&str, &str> = [("TOKEN", "s3cret")].into();
    let scope = Scope {
        base_dir: PathBuf::from("/etc/hrsync"),
        env: Rc::new(move |k| vars.get(k).map(|v| (*v).to_owned())),
    };
    let text = "secret = { env = \"TOKEN\" }\nfile = \"people.csv\"\n";
    let probe: Probe = with_scope(scope, || toml::from_str(text)).unwrap();
    assert_eq!(probe.secret.expose(), "s3cret");
    assert_eq!(probe.file, PathBuf::from("/etc/hrsync/people.csv"));
    assert_eq!(format!("{probe:?}").matches("s3cret").count(), 0);
}

#[test]
fn a_secret_that_cannot_be_read_is_an_error_naming_the_variable_not_a_value() {
    let scope = Scope {
        base_dir: PathBuf::from("/"),
        env: Rc::new(|_| None),
    };
    let text = "secret = { env = \"MISSING_TOKEN\" }\nfile = \"x\"\n";
    let err = with_scope(scope, || toml::from_str::<Probe>(text)).unwrap_err();
    assert!(
        err.message()
            .contains("environment variable MISSING_TOKEN is not set"),
        "{err}"
    );
}

#[test]
fn a_secret_written_as_its_value_is_refused_without_repeating_the_value() {
    for written in [
        "\"00abcSECRETvalue\"",
        "123456789",
        "[\"00abcSECRETvalue\"]",
    ] {
        let text = format!("secret = {written}\nfile = \"x\"\n");
        // The message only: toml's own Display quotes the line, hrsync's loader never does.
        let err = toml::from_str::<Probe>(&text)
            .unwrap_err()
            .message()
            .to_owned();
        assert!(err.contains("written as a reference"), "{err}");
        assert!(
            !err.contains("SECRET") && !err.contains("123456789"),
            "{err}"
        );
    }
}

#[test]
fn spans_of_time_take_units_in_a_row_and_name_what_is_accepted() {
    let secs = |t: &str| parse_span(t, 1, 30 * 86_400).map(|d| d.as_secs());
    assert_eq!(secs("24h"), Ok(86_400));
    assert_eq!(secs("90s"), Ok(90));
    assert_eq!(secs(" 1h30m "), Ok(5400));
    assert_eq!(secs("7d"), Ok(604_800));
    for bad in ["", "24", "h", "1.5h", "24 hours", "-1h", "99999999999999d"] {
        let err = secs(bad).unwrap_err();
        assert!(
            err.contains("expected a span of time such as"),
            "{bad}: {err}"
        );
    }
    assert!(secs("31d").unwrap_err().contains("out of range"));
    assert!(secs("0s").unwrap_err().contains("out of range"));
}

use toml::Spanned;

#[test]
fn a_template_error_position_points_inside_the_quoted_value() {
    // `x = "{a}é{"`: the value starts at byte 4 (the quote); character 5 is the last '{'.
    let v = Spanned::new(4..12, "{a}é{".to_owned());
    assert_eq!(inner_span(&v, 1), 5..6);
    assert_eq!(inner_span(&v, 5), 10..11);
}
