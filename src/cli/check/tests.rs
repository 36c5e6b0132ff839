//! Tests of `hrsync check` against the shipped example and against broken inputs.

use super::*;
use std::path::PathBuf;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/hrsync.example.toml")
}

/// The last line: the verdict.
fn verdict(out: &str) -> &str {
    out.lines().last().unwrap_or_default()
}

async fn check(path: &Path) -> (anyhow::Result<ExitCode>, String) {
    let mut out = Vec::new();
    let result = run(path, true, &mut out).await;
    (result, String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn the_example_config_passes_and_the_summary_hides_the_token() {
    let (result, out) = check(&example()).await;
    assert_eq!(result.unwrap(), ExitCode::SUCCESS, "{out}");
    assert!(out.starts_with("Configuration:\n"), "{out}");
    assert_eq!(verdict(&out), "hrsync check: OK", "{out}");
    assert!(
        out.contains("okta org     https://example.okta.com/"),
        "{out}"
    );
    assert!(
        out.contains("auth         SSWS API token (value hidden)"),
        "{out}"
    );
    assert!(
        out.contains("profile.employeeNumber holds the HR id"),
        "{out}"
    );
    assert!(
        out.contains("start_date: create on record as STAGED, activate at 09:00"),
        "{out}"
    );
    assert!(out.contains("employees.sample.csv (CSV)"), "{out}");
    assert!(
        out.contains("employees    40 loaded: 6 pre_hire, 28 employed, 1 on_leave, 2 notice, 3 terminated; 0 records rejected"),
        "{out}"
    );
    assert!(!out.contains("00-example-token-not-real"), "{out}");
}

fn write_config(dir: &Path, csv: &str, extra: &str) -> PathBuf {
    std::fs::write(dir.join("token"), "secret-value-123\n").unwrap();
    std::fs::write(dir.join("people.csv"), csv).unwrap();
    let text = format!(
        "[okta]\norg_url = \"https://example.okta.com\"\ntoken = {{ file = \"token\" }}\n[source]\ntype = \"file\"\npath = \"people.csv\"\n{extra}"
    );
    let path = dir.join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn rejected_rows_are_listed_and_too_many_fail_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,status,email,start_date\n1,Active,a@example.com,2026-01-05\n2,Active,b@example.com,2026-02-30\n3,Active,,2026-01-05\n";
    let path = write_config(dir.path(), csv, "");
    let (result, out) = check(&path).await;
    assert_eq!(result.unwrap(), ExitCode::FAILURE, "{out}");
    assert!(
        out.contains("2 loaded: 2 active, 0 inactive; 1 records rejected"),
        "{out}"
    );
    assert!(
        out.contains("  people.csv:3: start_date: \"2026-02-30\" is not a date"),
        "{out}"
    );
    assert!(
        out.contains("  ✗ 33.3% of records were rejected, more than [safety] max_rejected_percent = 2; a sync would refuse this snapshot → fix: correct the rejected records listed above"),
        "{out}"
    );
    assert!(
        verdict(&out).starts_with("hrsync check: FAILED, 1 problem"),
        "{out}"
    );
    let path = write_config(dir.path(), csv, "[safety]\nmax_rejected_percent = 50\n");
    let (result, out) = check(&path).await;
    assert_eq!(result.unwrap(), ExitCode::SUCCESS, "{out}");
    assert!(!out.contains("secret-value-123"));
}

#[tokio::test]
async fn an_invalid_config_fails_the_check_listing_every_mistake_before_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "id,status\n",
        "[activation]\nmode = \"x\"\n[schedule]\ntimezone = \"Mars\"\n",
    );
    let (result, out) = check(&path).await;
    assert_eq!(result.unwrap(), ExitCode::FAILURE, "{out}");
    assert!(out.contains("  the configuration has 2 errors:\n"), "{out}");
    assert!(
        out.contains("hrsync.toml:8:8: activation.mode: unknown value \"x\""),
        "{out}"
    );
    assert!(
        out.contains("hrsync.toml:10:12: schedule.timezone"),
        "{out}"
    );
    assert!(
        out.contains("is invalid → fix: correct each error listed above"),
        "{out}"
    );
    assert!(
        verdict(&out).starts_with("hrsync check: FAILED, 1 problem"),
        "{out}"
    );
}

#[tokio::test]
async fn a_missing_source_file_is_an_error_and_an_empty_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "id,status,start_date\n", "");
    let (result, out) = check(&path).await;
    assert_eq!(result.unwrap(), ExitCode::FAILURE);
    assert!(
        out.contains("  ✗ no employee loaded; a sync refuses an empty snapshot → fix: "),
        "{out}"
    );
    assert!(
        verdict(&out).starts_with("hrsync check: FAILED, 1 problem"),
        "{out}"
    );
    std::fs::remove_file(dir.path().join("people.csv")).unwrap();
    let (result, out) = check(&path).await;
    assert_eq!(result.unwrap(), ExitCode::FAILURE);
    assert!(out.contains("✗ cannot read the HR source"), "{out}");
    assert!(out.contains("→ fix: check [source] path"), "{out}");
    assert!(
        verdict(&out).starts_with("hrsync check: FAILED, 1 problem"),
        "{out}"
    );
}

#[tokio::test]
async fn without_an_inactive_list_check_warns_about_every_status_counted_as_inactive() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,status,email,start_date\n1,Active,a@example.com,2020-01-06\n2,Inactive,b@example.com,2020-01-06\n3,Zombie,c@example.com,2020-01-06\n4,Inactive,d@example.com,2020-01-06\n";
    let path = write_config(dir.path(), csv, "");
    let (result, out) = check(&path).await;
    assert_eq!(
        result.unwrap(),
        ExitCode::SUCCESS,
        "a warning, not a failure: {out}"
    );
    assert!(
        out.contains("status       status: active (Active); any other value counts as inactive"),
        "{out}"
    );
    assert!(
        verdict(&out).starts_with("hrsync check: OK, 10 warnings above"),
        "{out}"
    );
    assert!(
        out.contains("warning: 3 records count as inactive only because their status is not in [employee] status.active (Active): \"Inactive\" ×2, \"Zombie\" ×1."),
        "{out}"
    );

    let listed = "[employee]\nstatus = { field = \"status\", active = [\"Active\"], inactive = [\"Inactive\"] }\n[safety]\nmax_rejected_percent = 50\n";
    let path = write_config(dir.path(), csv, listed);
    let (result, out) = check(&path).await;
    assert_eq!(result.unwrap(), ExitCode::SUCCESS, "{out}");
    assert!(!out.contains("count as inactive"), "{out}");
    assert!(
        out.contains("status: active (Active), inactive (Inactive)"),
        "{out}"
    );
    assert!(
        out.contains("people.csv:4: status: status \"Zombie\" is neither active (Active) nor inactive (Inactive)"),
        "{out}"
    );
}

#[tokio::test]
async fn an_sql_source_shows_its_masked_url_rows_and_columns_and_masked_samples() {
    let Some(db) = crate::db::testdb::TestDb::postgres("hrsync check with an SQL source") else {
        return;
    };
    db.exec(
        "CREATE TABLE people (id int, status text, email text, first_name text, last_name text,
                              start_date date);
         INSERT INTO people VALUES (1, 'Active', 'ada@example.com', 'Ada', 'Lovelace', '2020-01-06');",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The local server trusts 127.0.0.1: the password is not checked, only never shown.
    let mut url = url::Url::parse(&db.url).unwrap();
    url.set_password(Some("Pw-check-123")).unwrap();
    std::fs::write(dir.path().join("db-url"), url.as_str()).unwrap();
    std::fs::write(dir.path().join("token"), "secret-value-123\n").unwrap();
    let text = "[okta]\norg_url = \"https://example.okta.com\"\ntoken = { file = \"token\" }\n\
        [source]\ntype = \"sql\"\nurl = { file = \"db-url\" }\nquery = \"SELECT * FROM people\"\n";
    let path = dir.path().join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    let (result, out) = check(&path).await;
    assert_eq!(result.unwrap(), ExitCode::SUCCESS, "{out}");
    assert!(
        out.contains("source       sql postgres://***@127.0.0.1"),
        "{out}"
    );
    assert!(out.contains("(PostgreSQL)"), "{out}");
    assert!(
        out.contains("sql result   1 rows read; 6 columns: id, status, email, first_name, last_name, start_date"),
        "{out}"
    );
    assert!(out.contains("sample 1:"), "{out}");
    assert!(!out.contains("Lovelace"), "{out}");
    assert!(!out.contains("Pw-check-123"), "{out}");
}
