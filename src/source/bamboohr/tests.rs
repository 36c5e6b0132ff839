use super::*;

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn the_lifecycle_is_inactive_first_then_the_employment_status_then_the_status() {
    let l = |p: &[(&str, &str)]| lifecycle(&fields(p));
    assert_eq!(
        l(&[
            ("status", "Inactive"),
            ("employmentHistoryStatus", "Full-Time")
        ])
        .as_deref(),
        Some("Inactive")
    );
    assert_eq!(
        l(&[
            ("status", "Active"),
            ("employmentHistoryStatus", "Leave of Absence")
        ])
        .as_deref(),
        Some("Leave of Absence")
    );
    assert_eq!(l(&[("status", "Active")]).as_deref(), Some("Active"));
    assert_eq!(
        l(&[("employmentHistoryStatus", "Full-Time")]),
        None,
        "no status, no phase"
    );
}

#[test]
fn the_wait_follows_retry_after_else_five_seconds() {
    let now = SystemTime::now();
    let mut h = HeaderMap::new();
    assert_eq!(rate_limit_wait(&h, now), Duration::from_secs(5));
    h.insert("retry-after", "12".parse().unwrap());
    assert_eq!(rate_limit_wait(&h, now), Duration::from_secs(12));
}

#[test]
fn the_error_text_comes_from_bamboohrs_header() {
    let mut h = HeaderMap::new();
    h.insert(
        "x-bamboohr-error-message",
        "Invalid field alias".parse().unwrap(),
    );
    assert_eq!(error_text(&h, "").as_deref(), Some("Invalid field alias"));
}
