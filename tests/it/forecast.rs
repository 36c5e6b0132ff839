//! `hrsync forecast` and `hrsync explain` through the binary, at a fixed instant: due actions
//! in UTC and in the employee's zone. Also the file-source side of the lifecycle issue: a
//! renamed email or start-date column stops the run with exit 1 and writes nothing.

use crate::reliability::org::{HEADER, Org, Setup, row, text};
use crate::support::ModelUsers;
use chrono::{Days, NaiveDate, Utc};
use hrsync::emulator::EmulatorConfig;

/// Today (UTC) plus `n` days: the dates are relative so the tests never expire.
fn day(n: u64) -> NaiveDate {
    Utc::now().date_naive() + Days::new(n)
}

/// Two started employees, a hire starting in 20 days in Tokyo and a leaver whose last day is
/// in 10 days in New York (both in winter or both in summer does not matter: the expected
/// instants are computed with the zone rules).
fn roster() -> String {
    let mut csv = String::from(HEADER);
    csv.push_str(&row(1));
    csv.push_str(&row(2));
    csv.push_str(&format!(
        "1003,Hana,Mori,hana.mori@example.com,Engineer,Dept1,,Active,{},,Asia/Tokyo\n",
        day(20)
    ));
    csv.push_str(&format!(
        "1004,Ray,Stone,ray.stone@example.com,Engineer,Dept1,,Active,2020-01-06,{},America/New_York\n",
        day(10)
    ));
    csv
}

async fn org() -> Org {
    let setup = Setup {
        // One refused record of four must not block the run in these tests.
        extra: "[safety]\nmax_rejected_percent = 50\n".to_owned(),
        ..Setup::default()
    };
    Org::start_with(&roster(), EmulatorConfig::default(), setup).await
}

/// `(UTC "YYYY-MM-DD HH:MMZ", local "YYYY-MM-DD HH:MM Zone")` of a local wall-clock time.
fn instant(date: NaiveDate, hh: u32, tz: chrono_tz::Tz) -> (String, String, String) {
    use chrono::TimeZone;
    let t = tz
        .from_local_datetime(&date.and_hms_opt(hh, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc);
    (
        t.format("%Y-%m-%d %H:%MZ").to_string(),
        format!(
            "{} {}",
            t.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
            tz.name()
        ),
        t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

#[tokio::test]
async fn forecast_lists_the_activation_and_the_leaver_with_local_and_utc_due_times() {
    let org = org().await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    org.emulator.reset_stats();

    let at = format!("{}T12:00:00Z", day(0));
    let out = org.hrsync(&["forecast", "--at", &at, "--days", "30"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("2 time-driven actions"), "{shown}");
    let lines: Vec<&str> = shown
        .lines()
        .filter(|l| l.contains("@example.com"))
        .collect();
    assert_eq!(lines.len(), 2, "{shown}");
    // Ray's last day ends at midnight New York time; Hana starts at 09:00 Tokyo time.
    let (ray_utc, ray_local, ray_rfc) = instant(day(11), 0, chrono_tz::America::New_York);
    let (hana_utc, hana_local, _) = instant(day(20), 9, chrono_tz::Asia::Tokyo);
    assert!(lines[0].starts_with(&ray_utc), "{shown}");
    assert!(lines[0].contains(&ray_local), "{shown}");
    assert!(
        lines[0].contains("1004") && lines[0].contains("deactivate"),
        "{shown}"
    );
    assert!(lines[0].contains("terminated"), "{shown}");
    assert!(lines[1].starts_with(&hana_utc), "{shown}");
    assert!(lines[1].contains(&hana_local), "{shown}");
    assert!(
        lines[1].contains("1003") && lines[1].contains("activate"),
        "{shown}"
    );
    assert!(lines[1].contains("start_date_reached"), "{shown}");
    assert_eq!(org.emulator.stats().writes(), 0, "forecast writes nothing");

    // A shorter window leaves the activation out; JSON carries both clocks.
    let out = org
        .hrsync(&["forecast", "--at", &at, "--days", "15", "--format", "json"])
        .await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let due = doc["due"].as_array().unwrap();
    assert_eq!(due.len(), 1, "{doc}");
    assert_eq!(due[0]["employee_id"], "1004");
    assert_eq!(due[0]["at"], ray_rfc);
    assert_eq!(due[0]["local"], ray_local);
    assert_eq!(due[0]["action"], "deactivate");
}

#[tokio::test]
async fn explain_shows_the_next_due_action_and_says_when_an_id_is_in_no_hr_record() {
    let org = org().await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let at = format!("{}T12:00:00Z", day(0));
    let out = org.hrsync(&["explain", "1003", "--at", &at]).await;
    let shown = String::from_utf8_lossy(&out.stdout);
    let (utc, local, _) = instant(day(20), 9, chrono_tz::Asia::Tokyo);
    assert!(
        shown.contains(&format!(
            "next: is activated at {local} = {utc} (start_date_reached)"
        )),
        "{shown}"
    );
    let out = org.hrsync(&["explain", "9999"]).await;
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("HR: no record with this id"), "{shown}");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[tokio::test]
async fn a_renamed_email_column_fails_the_run_with_exit_one_and_writes_nothing() {
    let org = org().await;
    org.write_hr(&roster().replacen(",email,", ",work_email,", 1));
    let out = org.hrsync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no HR record gives a login"), "{err}");
    assert!(
        err.contains("mapping.login = \"{email|lower}\" reads email, which no record has"),
        "{err}"
    );
    assert_eq!(org.emulator.stats().writes(), 0);
    assert!(org.emulator.model_users().is_empty());
}

#[tokio::test]
async fn a_start_date_column_that_is_gone_stops_the_run_naming_it() {
    let org = org().await;
    org.write_hr(&roster().replacen(",start_date,", ",first_day,", 1));
    for cmd in [&["sync"][..], &["plan"][..]] {
        let out = org.hrsync(cmd).await;
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("the header has no column \"start_date\""),
            "{err}"
        );
        assert!(
            err.contains("activation mode start_date needs each employee's start date"),
            "{err}"
        );
    }
    assert_eq!(org.emulator.stats().writes(), 0);
}

#[tokio::test]
async fn one_record_without_a_start_date_is_refused_and_its_user_left_as_it_is() {
    let org = org().await;
    let first = org.hrsync(&["sync"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let before = org.emulator.model_users();
    // Hana's start date is emptied: never activated early, never deactivated.
    org.write_hr(&roster().replace(&format!("Active,{},", day(20)), "Active,,"));
    org.emulator.reset_stats();
    let out = org.hrsync(&["sync", "--format", "json"]).await;
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    let rejected = doc["rejected"].to_string();
    assert!(
        rejected.contains("employees.csv:4: start_date: is missing"),
        "{rejected}"
    );
    assert_eq!(org.emulator.stats().writes(), 0, "{}", text(&out));
    assert_eq!(org.emulator.model_users(), before);
}
