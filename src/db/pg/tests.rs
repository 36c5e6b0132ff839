use super::*;
use crate::db::testdb::pg_server;

#[tokio::test]
async fn a_port_with_no_server_is_unreachable_and_the_message_has_no_password() {
    let target = DbTarget::parse("postgres://hr:pw-unreachable@127.0.0.1:9/hr").unwrap();
    let err = connect(&target, Duration::from_secs(2)).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            ConnectError::Unreachable { .. } | ConnectError::Timeout { .. }
        ),
        "{text}"
    );
    assert!(!text.contains("pw-unreachable"), "{text}");
    assert!(text.contains("postgres://***@127.0.0.1:9/hr"), "{text}");
}

#[tokio::test]
async fn verified_tls_refuses_a_server_certificate_no_trusted_root_signed() {
    // The local server (when it runs with ssl = on) has Debian's self-signed snakeoil
    // certificate: a verified connection must refuse it, never fall back to plain text.
    let Some(_db) = crate::db::testdb::TestDb::postgres("PostgreSQL TLS test") else {
        return;
    };
    let mut url = url::Url::parse(&pg_server()).unwrap();
    url.set_query(Some("sslmode=verify-full"));
    let target = DbTarget::parse(url.as_str()).unwrap();
    match connect(&target, Duration::from_secs(5)).await {
        Ok(_) => panic!("connected over TLS to a self-signed server certificate"),
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.contains("certificate")
                    || text.contains("does not support TLS")
                    || text.contains("SSL"),
                "{text}"
            );
        }
    }
}
