//! Client mechanics against tiny raw HTTP servers on 127.0.0.1 (the emulator-backed tests
//! are in `tests/it/okta_client.rs`).

use super::*;
use crate::config::{OktaAuth, Secret};
use crate::model::OktaUserId;
use crate::okta::{OktaRead, OktaWrite};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn config(url: &str) -> OktaConfig {
    OktaConfig {
        org_url: Url::parse(url).unwrap(),
        token: None,
        oauth: None,
        auth: OktaAuth::Ssws(Secret::new("s3cr3t-token")),
        anchor_attribute: "employeeNumber".into(),
        service_account_login: None,
        max_concurrent_requests: 4,
        rate_limit_share: 0.5,
        request_timeout: Duration::from_secs(5),
        max_retry_wait: Duration::from_secs(120),
        max_retry_wait_per_run: Duration::from_secs(900),
        quarantine_after_failures: 3,
        send_activation_email: false,
        incremental: true,
        incremental_overlap: std::time::Duration::from_secs(300),
        full_pass_every: std::time::Duration::from_secs(86_400),
    }
}

/// Serves `answers` in order, one connection each, and records every request head.
async fn raw_server(answers: Vec<&'static str>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        for answer in answers {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = sock.read(&mut chunk).await.unwrap();
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf).into_owned());
            sock.write_all(answer.as_bytes()).await.unwrap();
            sock.shutdown().await.ok();
        }
    });
    (format!("http://{addr}"), heads)
}

const OK_EMPTY: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
const UNAVAILABLE: &str = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 59\r\nConnection: close\r\nX-Okta-Request-Id: req-503\r\n\r\n{\"errorCode\":\"E0000010\",\"errorSummary\":\"read-only mode xx\"}";

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

#[test]
fn plain_http_is_refused_unless_the_host_is_loopback() {
    for bad in [
        "http://example.okta.com",
        "http://10.0.0.1:8080",
        "ftp://localhost",
    ] {
        let e = OktaClient::new(&config(bad)).unwrap_err();
        assert!(e.is_fatal(), "{bad}: {e}");
    }
    for good in [
        "https://example.okta.com",
        "http://127.0.0.1:8089",
        "http://localhost:1",
        "http://[::1]:8089",
    ] {
        assert!(OktaClient::new(&config(good)).is_ok(), "{good}");
    }
}

#[test]
fn the_client_debug_output_never_shows_the_token() {
    let c = OktaClient::new(&config("https://example.okta.com")).unwrap();
    let shown = format!("{c:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("example.okta.com"));
}

#[tokio::test]
async fn lifecycle_calls_send_content_length_zero_and_the_ssws_header() {
    let (url, heads) = raw_server(vec![OK_EMPTY]).await;
    let client = OktaClient::new(&config(&url)).unwrap();
    client.deactivate(&OktaUserId("00u1".into())).await.unwrap();
    let head = heads.lock().unwrap()[0].to_ascii_lowercase();
    assert!(
        head.starts_with("post /api/v1/users/00u1/lifecycle/deactivate?sendemail=false "),
        "{head}"
    );
    assert_eq!(head.matches("content-length: 0\r\n").count(), 1, "{head}");
    assert!(
        head.contains("authorization: ssws s3cr3t-token\r\n"),
        "{head}"
    );
}

#[tokio::test]
async fn a_server_error_is_retried_with_the_retry_headers() {
    let (url, heads) = raw_server(vec![UNAVAILABLE, OK_EMPTY]).await;
    let client = OktaClient::new(&config(&url))
        .unwrap()
        .with_retry_policy(fast_retries());
    client.suspend(&OktaUserId("00u2".into())).await.unwrap();
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2);
    let retry = heads[1].to_ascii_lowercase();
    assert!(retry.contains("x-okta-retry-for: req-503\r\n"), "{retry}");
    assert!(retry.contains("x-okta-retry-count: 1\r\n"), "{retry}");
    let counts = client.counters();
    assert_eq!(
        counts.count(EndpointClass::Lifecycle, RequestOutcome::ServerError),
        1
    );
    assert_eq!(
        counts.count(EndpointClass::Lifecycle, RequestOutcome::Success),
        1
    );
    assert_eq!(counts.retries, 1);
}

#[tokio::test]
async fn retries_are_bounded_and_the_last_error_is_returned() {
    let (url, heads) = raw_server(vec![UNAVAILABLE; 3]).await;
    let client = OktaClient::new(&config(&url))
        .unwrap()
        .with_retry_policy(RetryPolicy {
            max_attempts: 3,
            ..fast_retries()
        });
    let e = client
        .unsuspend(&OktaUserId("00u3".into()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("E0000010"));
    assert!(e.is_retryable());
    assert_eq!(heads.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_not_followed() {
    const PAGE: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\nLink: <https://evil.example.com/api/v1/users?after=x>; rel=\"next\"\r\n\r\n[]";
    let (url, heads) = raw_server(vec![PAGE]).await;
    let client = OktaClient::new(&config(&url)).unwrap();
    let e = client.list_users().await.unwrap_err();
    assert!(e.to_string().contains("another origin"), "{e}");
    assert_eq!(heads.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn activation_emails_follow_the_config_and_creates_send_the_activate_flag() {
    const USER: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 60\r\nConnection: close\r\n\r\n{\"id\":\"00u9\",\"status\":\"STAGED\",\"profile\":{\"login\":\"a@b.co\"}}";
    let (url, heads) = raw_server(vec![OK_EMPTY, OK_EMPTY, USER]).await;
    let mut cfg = config(&url);
    cfg.send_activation_email = true;
    let client = OktaClient::new(&cfg).unwrap();
    client.activate(&OktaUserId("00u9".into())).await.unwrap();
    client.reactivate(&OktaUserId("00u9".into())).await.unwrap();
    let profile: crate::model::Profile =
        serde_json::from_value(serde_json::json!({"login": "a@b.co"})).unwrap();
    let user = client.create_user(&profile, false).await.unwrap().user;
    assert_eq!(user.id.as_str(), "00u9");
    let heads = heads.lock().unwrap();
    assert!(
        heads[0].starts_with("POST /api/v1/users/00u9/lifecycle/activate?sendEmail=true "),
        "{}",
        heads[0]
    );
    assert!(
        heads[1].starts_with("POST /api/v1/users/00u9/lifecycle/reactivate?sendEmail=true "),
        "{}",
        heads[1]
    );
    assert!(
        heads[2].starts_with("POST /api/v1/users?activate=false "),
        "{}",
        heads[2]
    );
    assert!(
        heads[2]
            .to_ascii_lowercase()
            .contains("content-type: application/json")
    );
}
