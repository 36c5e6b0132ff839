//! The SQL source on a real MySQL/MariaDB server.

use super::*;

const GROUP: &str = "SQL source on MySQL/MariaDB";

#[tokio::test]
async fn types_and_nulls_become_text_in_the_documented_way() {
    let Some(db) = TestDb::mysql(GROUP) else {
        return;
    };
    db.exec(
        "CREATE TABLE people (
            id INT PRIMARY KEY, status VARCHAR(20) NOT NULL, email VARCHAR(100),
            start_date DATE, hired_at TIMESTAMP(3) NULL, seen_at DATETIME,
            salary DECIMAL(10,2), ratio DOUBLE, remote BOOLEAN, manager_id BIGINT UNSIGNED,
            termination_date DATE
        )",
    )
    .unwrap();
    db.exec(
        "SET time_zone = '+02:00';
         INSERT INTO people VALUES
           (1, 'Active', 'ada@example.com', '2024-05-01', '2024-05-01 10:30:00.250',
            '2024-05-01 08:30:00', 1234.50, 3.0, TRUE, NULL, NULL),
           (2, 'Inactive', NULL, NULL, NULL, NULL, NULL, 0.25, FALSE, 1, NULL)",
    )
    .unwrap();
    let s = source(&db.url, "SELECT * FROM people ORDER BY id", 10);
    let snapshot = s.fetch().await.unwrap();
    assert!(snapshot.rejected.is_empty(), "{:?}", snapshot.rejected);
    let ada = &snapshot.employees[0];
    assert_eq!(ada.field("id"), Some("1"));
    assert_eq!(ada.field("start_date"), Some("2024-05-01"));
    assert_eq!(ada.field("hired_at"), Some("2024-05-01T08:30:00.250Z"));
    assert_eq!(ada.field("seen_at"), Some("2024-05-01T08:30:00"));
    assert_eq!(ada.field("salary"), Some("1234.50"));
    assert_eq!(ada.field("ratio"), Some("3"));
    assert_eq!(ada.field("remote"), Some("true"));
    let bob = &snapshot.employees[1];
    for absent in ["email", "start_date", "hired_at", "seen_at", "salary"] {
        assert_eq!(bob.field(absent), None, "{absent} should be absent");
    }
    assert_eq!(bob.field("remote"), Some("false"));
    assert_eq!(bob.manager_id.as_ref().map(|m| m.as_str()), Some("1"));
    assert_eq!(s.last_read().unwrap().rows, 2);
}

#[tokio::test]
async fn a_bad_row_is_refused_with_its_row_number_and_column_and_the_others_load() {
    let Some(db) = TestDb::mysql(GROUP) else {
        return;
    };
    db.exec(
        "CREATE TABLE p (id INT, status VARCHAR(20), nick VARBINARY(10), start_date VARCHAR(20));
         INSERT INTO p VALUES (1, 'Active', 'ada', '2024-01-01'), (2, 'Active', x'FF00', NULL),
                              (3, 'Active', NULL, 'soon')",
    )
    .unwrap();
    let snapshot = source(&db.url, "SELECT * FROM p ORDER BY id", 10)
        .fetch()
        .await
        .unwrap();
    let ids: Vec<&str> = snapshot.employees.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["1"]);
    let refused: Vec<String> = snapshot.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].starts_with("sql:row 2: nick: cannot be read: is binary data"),
        "{refused:?}"
    );
    assert!(
        refused[1].starts_with("sql:row 3: start_date:"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_query_error_fails_the_whole_fetch_with_the_servers_message() {
    let Some(db) = TestDb::mysql(GROUP) else {
        return;
    };
    let err = source(&db.url, "SELECT id, status FROM nowhere", 10)
        .fetch()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("nowhere' doesn't exist"), "{text}");
    assert!(text.contains("1146"), "{text}");
}

#[tokio::test]
async fn a_query_that_writes_is_refused_by_the_read_only_transaction() {
    let Some(db) = TestDb::mysql(GROUP) else {
        return;
    };
    db.exec("CREATE TABLE p (id INT, status VARCHAR(20))")
        .unwrap();
    let err = source(&db.url, "INSERT INTO p VALUES (1, 'Active')", 10)
        .fetch()
        .await
        .unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("read only"),
        "{err}"
    );
    db.exec("INSERT INTO p VALUES (9, 'Inactive')").unwrap();
}

#[tokio::test]
async fn a_slow_query_is_stopped_at_the_timeout_and_nothing_is_used() {
    let Some(db) = TestDb::mysql(GROUP) else {
        return;
    };
    let started = std::time::Instant::now();
    let err = source(
        &db.url,
        "SELECT 1 AS id, 'Active' AS status, SLEEP(30) AS z",
        1,
    )
    .fetch()
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(err.to_string().contains("query_timeout_seconds"), "{err}");
}

#[tokio::test]
async fn a_wrong_password_is_an_auth_error_that_never_shows_the_password() {
    let Some(db) = TestDb::mysql(GROUP) else {
        return;
    };
    let user = format!("u_{}", db.name());
    let user = &user[..user.len().min(32)];
    db.exec(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY 'the-right-one'; GRANT SELECT ON {}.* TO '{user}'@'%'",
        db.name()
    ))
    .unwrap();
    let url = with_credentials(&db.url, user, "Wr0ng-secret-pw");
    let err = source(&url, "SELECT 1 AS id, 'Active' AS status", 10)
        .fetch()
        .await
        .unwrap_err();
    let text = err.to_string();
    db.exec(&format!("DROP USER '{user}'@'%'")).unwrap();
    assert!(matches!(err, SourceError::Auth { .. }), "{text}");
    assert!(text.contains("Access denied"), "{text}");
    assert!(!text.contains("Wr0ng-secret-pw"), "{text}");
    assert!(text.contains("mysql://***@127.0.0.1"), "{text}");
}
