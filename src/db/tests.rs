use super::*;

#[test]
fn a_postgres_url_keeps_its_password_for_the_driver_and_shows_it_masked() {
    let t = DbTarget::parse("postgres://hr:s3cret-pw@db.example:5432/hr").unwrap();
    assert_eq!(t.engine, Engine::Postgres);
    assert_eq!(t.tls, Tls::Disable);
    assert_eq!(t.shown(), "postgres://***@db.example:5432/hr");
    assert!(t.driver_url().contains("s3cret-pw"));
    assert!(!format!("{t:?}").contains("s3cret-pw"), "{t:?}");
}

#[test]
fn sslmode_require_and_verify_full_ask_for_verified_tls_and_leave_the_driver_url() {
    for mode in ["require", "verify-ca", "verify-full", "VERIFY_IDENTITY"] {
        let t = DbTarget::parse(&format!(
            "postgres://hr@db/hr?sslmode={mode}&application_name=x"
        ))
        .unwrap();
        assert_eq!(t.tls, Tls::Verify { ca_file: None }, "{mode}");
        assert!(!t.driver_url().contains("sslmode"), "{}", t.driver_url());
        assert!(t.driver_url().contains("application_name=x"));
    }
    let t = DbTarget::parse("mysql://hr@db/hr?ssl-mode=REQUIRED&ssl-ca=/etc/ca.pem").unwrap();
    assert_eq!(
        t.tls,
        Tls::Verify {
            ca_file: Some("/etc/ca.pem".into())
        }
    );
    assert_eq!(t.driver_url(), "mysql://hr@db/hr");
}

#[test]
fn sslmode_prefer_is_refused_because_it_falls_back_to_plain_text_silently() {
    let err = DbTarget::parse("postgres://hr:pw123@db/hr?sslmode=prefer").unwrap_err();
    assert!(err.contains("plain text"), "{err}");
    assert!(!err.contains("pw123"), "{err}");
}

#[test]
fn other_schemes_and_urls_without_a_host_are_refused_without_the_password() {
    let err = DbTarget::parse("sqlite://hr:pw123@x/db").unwrap_err();
    assert!(err.contains("sqlite"), "{err}");
    let err = DbTarget::parse("not a url pw123").unwrap_err();
    assert!(err.contains("not a URL"), "{err}");
    let err = DbTarget::parse("postgres:///hr").unwrap_err();
    assert!(err.contains("no host"), "{err}");
}

#[test]
fn a_mariadb_url_is_read_with_the_mysql_driver() {
    let t = DbTarget::parse("mariadb://hr:pw@db:3306/hr").unwrap();
    assert_eq!(t.engine, Engine::MySql);
    assert!(t.driver_url().starts_with("mysql://"));
    assert_eq!(t.shown(), "mariadb://***@db:3306/hr");
}

#[test]
fn scrub_masks_the_password_even_percent_encoded_and_the_driver_url() {
    let t = DbTarget::parse("postgres://hr:p%40ss-word@db/hr").unwrap();
    assert_eq!(
        t.scrub("failed for p@ss-word at postgres://hr:p%40ss-word@db/hr"),
        "failed for *** at postgres://***@db/hr"
    );
}

#[test]
fn a_ca_file_is_read_as_pem_and_a_missing_one_is_named() {
    let err = rustls_config(Some(std::path::Path::new("/nonexistent/ca.pem"))).unwrap_err();
    assert!(err.contains("/nonexistent/ca.pem"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let err = rustls_config(Some(&empty)).unwrap_err();
    assert!(err.contains("no certificate"), "{err}");
    assert!(rustls_config(None).is_ok());
}
