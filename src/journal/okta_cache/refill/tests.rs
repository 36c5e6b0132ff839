//! A refill's choice among copies of one user within a page.

use super::*;

fn row(id: &str, last_updated: Option<&str>, user: &str) -> Row {
    Row {
        okta_id: id.into(),
        status: "ACTIVE".into(),
        login: None,
        last_updated: last_updated.map(str::to_owned),
        user: user.into(),
    }
}

#[test]
fn one_page_yields_one_row_a_user_the_latest_copy_or_on_a_tie_the_first() {
    let rows = vec![
        row("00u1", Some("2026-12-01T12:05:00.000Z"), "first"),
        row("00u2", None, "undated"),
        row("00u1", Some("2026-12-01T12:05:00.000Z"), "tie"),
        row("00u2", Some("2026-12-01T12:01:00.000Z"), "dated"),
        row("00u1", Some("2026-12-01T12:04:00.000Z"), "older"),
        row("00u3", Some("2026-12-01T12:01:00.000Z"), "new"),
        row("00u2", None, "undated again"),
    ];
    let kept: Vec<(String, String)> = one_per_user(rows)
        .into_iter()
        .map(|r| (r.okta_id, r.user))
        .collect();
    assert_eq!(
        kept,
        [
            ("00u1".into(), "first".into()),
            ("00u2".into(), "dated".into()),
            ("00u3".into(), "new".into())
        ]
    );
}
