//! The SQL source on a real PostgreSQL server.

use super::*;

const GROUP: &str = "SQL source on PostgreSQL";

const TABLE: &str = "
    CREATE TYPE phase AS ENUM ('Active', 'Inactive');
    CREATE TABLE people (
        id          integer PRIMARY KEY,
        status      phase NOT NULL,
        email       text,
        start_date  date,
        hired_at    timestamptz,
        seen_at     timestamp,
        salary      numeric(10,2),
        ratio       double precision,
        remote      boolean,
        badge       uuid,
        extra       jsonb,
        manager_id  bigint
    );
    INSERT INTO people VALUES
      (1, 'Active', 'ada@example.com', '2024-05-01', '2024-05-01 10:30:00+02', '2024-05-01 08:30:00.25',
       1234.50, 3.0, true, '00010203-0405-0607-0809-0a0b0c0d0e0f', '{\"a\": [1, 2]}', NULL),
      (2, 'Inactive', NULL, NULL, NULL, NULL, NULL, 0.25, false, NULL, NULL, 1);
";

#[tokio::test]
async fn types_and_nulls_become_text_in_the_documented_way() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    db.exec(TABLE).unwrap();
    let s = source(&db.url, "SELECT * FROM people ORDER BY id", 10);
    let snapshot = s.fetch().await.unwrap();
    assert!(snapshot.rejected.is_empty(), "{:?}", snapshot.rejected);
    let ada = &snapshot.employees[0];
    let f = |k: &str| ada.field(k).map(str::to_owned);
    assert_eq!(f("id").as_deref(), Some("1"));
    assert_eq!(f("status").as_deref(), Some("Active"));
    assert_eq!(f("start_date").as_deref(), Some("2024-05-01"));
    assert_eq!(f("hired_at").as_deref(), Some("2024-05-01T08:30:00Z"));
    assert_eq!(f("seen_at").as_deref(), Some("2024-05-01T08:30:00.250"));
    assert_eq!(f("salary").as_deref(), Some("1234.50"));
    assert_eq!(f("ratio").as_deref(), Some("3"));
    assert_eq!(f("remote").as_deref(), Some("true"));
    assert_eq!(
        f("badge").as_deref(),
        Some("00010203-0405-0607-0809-0a0b0c0d0e0f")
    );
    assert_eq!(f("extra").as_deref(), Some(r#"{"a":[1,2]}"#));
    assert_eq!(ada.origin, "sql:row 1");
    let bob = &snapshot.employees[1];
    for absent in [
        "email",
        "start_date",
        "hired_at",
        "salary",
        "badge",
        "extra",
    ] {
        assert_eq!(bob.field(absent), None, "{absent} should be absent");
    }
    assert_eq!(bob.field("ratio"), Some("0.25"));
    assert_eq!(bob.field("remote"), Some("false"));
    assert_eq!(bob.manager_id.as_ref().map(|m| m.as_str()), Some("1"));
    let read = s.last_read().unwrap();
    assert_eq!(read.rows, 2);
    assert_eq!(read.columns.len(), 12);
    assert_eq!(read.columns[0], "id");
}

#[tokio::test]
async fn a_bad_row_is_refused_with_its_row_number_and_column_and_the_others_load() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    db.exec(
        "CREATE TABLE p (id int, status text, start_date date);
         INSERT INTO p VALUES (1, 'Active', '2024-01-01'), (2, 'Active', 'infinity'),
                              (3, 'Active', '1850-01-01'), (4, 'Active', NULL);",
    )
    .unwrap();
    let snapshot = source(&db.url, "SELECT * FROM p ORDER BY id", 10)
        .fetch()
        .await
        .unwrap();
    let ids: Vec<&str> = snapshot.employees.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["1", "4"]);
    let refused: Vec<String> = snapshot.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].starts_with("sql:row 2: start_date: cannot be read"),
        "{refused:?}"
    );
    assert!(
        refused[1].starts_with("sql:row 3: start_date:"),
        "{refused:?}"
    );
    assert!(refused[1].contains("plausible"), "{refused:?}");
}

#[tokio::test]
async fn a_query_error_fails_the_whole_fetch_with_the_servers_message() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let err = source(&db.url, "SELECT id, status FROM nowhere", 10)
        .fetch()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("relation \"nowhere\" does not exist"),
        "{text}"
    );
    assert!(text.contains("SQLSTATE 42P01"), "{text}");
}

#[tokio::test]
async fn a_query_that_writes_is_refused_by_the_read_only_transaction() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    db.exec("CREATE TABLE p (id int, status text)").unwrap();
    let err = source(
        &db.url,
        "INSERT INTO p VALUES (1, 'Active') RETURNING id, status",
        10,
    )
    .fetch()
    .await
    .unwrap_err();
    assert!(err.to_string().contains("read-only transaction"), "{err}");
}

#[tokio::test]
async fn a_slow_query_is_stopped_at_the_timeout_and_nothing_is_used() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let started = std::time::Instant::now();
    let err = source(
        &db.url,
        "SELECT 1 AS id, 'Active' AS status FROM pg_sleep(30)",
        1,
    )
    .fetch()
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        err.to_string().contains("query_timeout_seconds = 1"),
        "{err}"
    );
}

#[tokio::test]
async fn a_refused_login_is_an_auth_error_that_never_shows_the_password() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    // The local server trusts 127.0.0.1, so a password alone is never wrong there: an
    // unknown role is refused the same way (SQLSTATE class 28) wherever it runs.
    let url = with_credentials(&db.url, "no_such_hrsync_role", "Sup3r-secret-pw");
    let err = source(&url, "SELECT 1 AS id, 'Active' AS status", 10)
        .fetch()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, SourceError::Auth { .. }), "{text}");
    assert!(!text.contains("Sup3r-secret-pw"), "{text}");
    assert!(text.contains("postgres://***@127.0.0.1"), "{text}");
    assert!(!format!("{err:?}").contains("Sup3r-secret-pw"));
}

#[tokio::test]
async fn a_column_of_a_type_not_read_as_text_fails_the_fetch_naming_the_cast() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let err = source(
        &db.url,
        "SELECT 1 AS id, 'Active' AS status, '\\x00'::bytea AS photo",
        10,
    )
    .fetch()
    .await
    .unwrap_err();
    assert!(err.to_string().contains("photo::text"), "{err}");
}

#[tokio::test]
async fn a_result_without_the_id_column_fails_before_any_row_is_used() {
    let Some(db) = TestDb::postgres(GROUP) else {
        return;
    };
    let err = source(&db.url, "SELECT 1 AS emp_id, 'Active' AS status", 10)
        .fetch()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no column \"id\""), "{err}");
}
