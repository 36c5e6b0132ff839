use super::*;
use crate::wire::Status as UserStatus;
use serde_json::{Map, json};

fn user(status: UserStatus, profile: Value) -> UserRecord {
    let mut u = UserRecord::new(
        profile.as_object().cloned().unwrap_or_else(Map::new),
        Utc::now(),
    );
    u.status = status;
    u
}

fn s(q: &str) -> Filter {
    parse(q, Mode::Search).unwrap()
}

#[test]
fn search_matches_status_and_profile_ignoring_case() {
    let u = user(
        UserStatus::Active,
        json!({"login": "Ada@X.co", "department": "Eng"}),
    );
    assert!(s(r#"status eq "ACTIVE""#).matches(&u));
    assert!(s(r#"profile.login EQ "ada@x.co""#).matches(&u));
    assert!(s(r#"profile.department sw "en" and status eq "active""#).matches(&u));
    assert!(!s(r#"status eq "STAGED""#).matches(&u));
}

#[test]
fn or_and_parentheses_combine() {
    let u = user(UserStatus::Deprovisioned, json!({"firstName": "Ada"}));
    assert!(
        s(r#"(status eq "ACTIVE" or status eq "DEPROVISIONED") and profile.firstName co "d""#)
            .matches(&u)
    );
    assert!(
        !s(r#"status eq "ACTIVE" or (status eq "DEPROVISIONED" and profile.firstName eq "Bob")"#)
            .matches(&u)
    );
}

#[test]
fn pr_and_dates_work() {
    let u = user(UserStatus::Active, json!({"title": "x"}));
    assert!(s("profile.title pr").matches(&u));
    assert!(!s("profile.city pr").matches(&u));
    assert!(s(r#"created gt "2000-01-01T00:00:00.000Z""#).matches(&u));
    assert!(!s(r#"lastUpdated lt "2000-01-01T00:00:00.000Z""#).matches(&u));
}

#[test]
fn unparseable_expressions_are_e0000031() {
    for bad in [
        "",
        "status",
        r#"status eq"#,
        r#"status ne "ACTIVE""#,
        r#"(status eq "ACTIVE""#,
        r#"status eq "ACTIVE" and"#,
        r#"status eq "ACTIVE"""#,
        r#"profile.department co "x""#,
        r#"created gt "yesterday""#,
        r#"status eq "unterminated"#,
    ] {
        assert_eq!(
            parse(bad, Mode::Search).unwrap_err().code,
            "E0000031",
            "{bad}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn parsing_any_text_never_panics(text in "\\PC{0,80}") {
        let u = user(UserStatus::Active, json!({"login": "a@x.co"}));
        for mode in [Mode::Search, Mode::Filter] {
            if let Ok(f) = parse(&text, mode) {
                let _ = f.matches(&u);
            }
        }
    }

    #[test]
    fn parsing_expression_shaped_text_never_panics(
        parts in proptest::collection::vec(
            proptest::sample::select(vec!["(", ")", "and", "or", "eq", "pr", "gt", "sw", "co", "status", "profile.login", "created", "\"ACTIVE\"", "\"2024-01-01\"", "1", "true", "\""]),
            0..30,
        )
    ) {
        let text = parts.join(" ");
        let u = user(UserStatus::Active, json!({"login": "a@x.co"}));
        if let Ok(f) = parse(&text, Mode::Search) {
            let _ = f.matches(&u);
        }
    }
}

#[test]
fn deeply_nested_parentheses_are_refused_not_overflowed() {
    let text = format!("{}status eq \"ACTIVE\"{}", "(".repeat(300), ")".repeat(300));
    assert_eq!(parse(&text, Mode::Search).unwrap_err().code, "E0000031");
}

#[test]
fn filter_is_narrow_and_case_sensitive() {
    let u = user(UserStatus::Active, json!({"login": "Ada@x.co"}));
    let f = parse(r#"profile.login eq "Ada@x.co""#, Mode::Filter).unwrap();
    assert!(f.matches(&u));
    let f = parse(r#"profile.login eq "ada@x.co""#, Mode::Filter).unwrap();
    assert!(!f.matches(&u));
    assert!(parse(r#"profile.department eq "x""#, Mode::Filter).is_err());
    assert!(parse(r#"profile.login sw "a""#, Mode::Filter).is_err());
    assert!(parse(r#"lastUpdated gt "2020-01-01T00:00:00.000Z""#, Mode::Filter).is_ok());
}
