//! Hostile servers: paging that never ends, rate-limit resets days ahead, 429s and 5xx with no
//! hint of when to come back. Each test starts a tiny axum server on 127.0.0.1 that answers
//! every request with what the scenario scripts, and asserts the bound: few requests, little
//! wall time, spaced retries.

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hrsync::config::{OktaAuth, OktaConfig, Secret};
use hrsync::okta::{Error, OktaClient, OktaRead, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server saw: each request's path and query, and when it came.
#[derive(Default)]
pub(super) struct Seen {
    requests: Vec<(String, Instant)>,
}

type Script = dyn Fn(usize, &str, &str) -> Response + Send + Sync;

/// Starts a server answering request `n` (0-based) to `uri` with `script(n, uri, base)`.
pub(super) async fn hostile(
    script: impl Fn(usize, &str, &str) -> Response + Send + Sync + 'static,
) -> (String, Arc<Mutex<Seen>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let script: Arc<Script> = Arc::new(script);
    let (state, at) = (seen.clone(), base.clone());
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let (state, script, base) = (state.clone(), script.clone(), at.clone());
        async move {
            let n = {
                let mut s = state.lock().unwrap();
                s.requests.push((uri.to_string(), Instant::now()));
                s.requests.len() - 1
            };
            script(n, &uri.to_string(), &base)
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, seen)
}

pub(super) fn config(base: &str) -> OktaConfig {
    OktaConfig {
        org_url: base.parse().unwrap(),
        token: None,
        oauth: None,
        auth: OktaAuth::Ssws(Secret::new("hostile-token")),
        anchor_attribute: "employeeNumber".into(),
        service_account_login: None,
        max_concurrent_requests: 4,
        rate_limit_share: 1.0,
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

/// Retries as the default policy counts them, with short delays.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        max_rate_limited_attempts: 4,
        base_delay: Duration::from_millis(50),
        max_delay: Duration::from_secs(1),
        activation_delay: Duration::from_millis(50),
    }
}

fn client(base: &str) -> OktaClient {
    OktaClient::new(&config(base))
        .unwrap()
        .with_retry_policy(quick_retries())
}

fn user(n: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("00u{n:017}"),
        "status": "ACTIVE",
        "profile": { "login": format!("u{n}@example.com"), "employeeNumber": format!("E{n}") },
    })
}

/// A page of one user with a `rel="next"` link to `next` (relative to the server).
fn page(n: usize, base: &str, next: Option<&str>) -> Response {
    let mut headers = HeaderMap::new();
    if let Some(next) = next {
        let link = format!("<{base}{next}>; rel=\"next\"");
        headers.insert("link", HeaderValue::from_str(&link).unwrap());
    }
    (headers, axum::Json(serde_json::json!([user(n)]))).into_response()
}

pub(super) fn requests(seen: &Mutex<Seen>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .requests
        .iter()
        .map(|(u, _)| u.clone())
        .collect()
}

fn rate_limited(reset_epoch: i64) -> Response {
    let mut h = HeaderMap::new();
    h.insert("x-rate-limit-limit", HeaderValue::from_static("600"));
    h.insert("x-rate-limit-remaining", HeaderValue::from_static("0"));
    h.insert(
        "x-rate-limit-reset",
        HeaderValue::from_str(&reset_epoch.to_string()).unwrap(),
    );
    h.insert(
        "date",
        HeaderValue::from_str(&chrono::Utc::now().to_rfc2822()).unwrap(),
    );
    let body = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#;
    (StatusCode::TOO_MANY_REQUESTS, h, body).into_response()
}

#[tokio::test]
async fn a_next_link_pointing_at_the_same_page_stops_the_listing_with_an_error() {
    let (base, seen) = hostile(|n, uri, base| page(n, base, Some(uri))).await;
    let okta = client(&base);

    let started = Instant::now();
    let err = okta.list_users().await.unwrap_err();

    assert!(matches!(err, Error::Paging { .. }), "{err}");
    assert!(err.is_fatal(), "the run fails: {err}");
    assert!(err.to_string().contains("already read"), "{err}");
    let seen = requests(&seen);
    assert!(seen.len() <= 3, "{seen:?}");
    assert!(
        seen.iter().all(|u| u.starts_with("/api/v1/users?")),
        "only reads: {seen:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_next_link_repeating_an_after_cursor_in_another_url_stops_the_listing() {
    // Page 1 → after=c1; page 2 → after=c2; page 3 → after=c1 again, parameters reordered.
    // (The DEPROVISIONED listing, read side by side, is one honest page.)
    let (base, seen) = hostile(|_, uri, base| {
        if uri.contains("filter=") {
            return page(9, base, None);
        }
        let (n, next) = if uri.contains("after=c2") {
            (2, "/api/v1/users?limit=200&after=c1")
        } else if uri.contains("after=c1") {
            (1, "/api/v1/users?after=c2&limit=200")
        } else {
            (0, "/api/v1/users?after=c1&limit=200")
        };
        page(n, base, Some(next))
    })
    .await;
    let okta = client(&base);

    let err = okta.list_users().await.unwrap_err();

    assert!(matches!(err, Error::Paging { .. }), "{err}");
    assert!(err.to_string().contains("after=c1"), "{err}");
    let plain: Vec<String> = requests(&seen)
        .into_iter()
        .filter(|u| !u.contains("filter="))
        .collect();
    assert_eq!(plain.len(), 3, "{plain:?}");
}

#[tokio::test]
async fn honest_cursors_still_read_every_page_of_both_listings() {
    let (base, seen) = hostile(|_, uri, base| {
        match (uri.contains("filter="), uri.contains("after=p1")) {
            (false, false) => page(0, base, Some("/api/v1/users?after=p1&limit=200")),
            (false, true) => page(1, base, None),
            // The DEPROVISIONED listing, with a cursor value the plain one used too.
            (true, false) => page(2, base, Some("/api/v1/users?after=p1&filter=x")),
            (true, true) => page(3, base, None),
        }
    })
    .await;
    let okta = client(&base);

    let users = okta.list_users().await.unwrap();

    assert_eq!(users.len(), 4);
    assert_eq!(requests(&seen).len(), 4);
}

#[tokio::test]
async fn a_429_whose_reset_is_two_days_ahead_fails_at_once_naming_the_reset() {
    let reset = chrono::Utc::now().timestamp() + 2 * 24 * 3600;
    let (base, seen) = hostile(move |_, _, _| rate_limited(reset)).await;
    let okta = client(&base);

    let started = Instant::now();
    let err = okta.get_user("someone@example.com").await.unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_fatal(), "the run stops: {err}");
    let expected = chrono::DateTime::from_timestamp(reset, 0)
        .unwrap()
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string();
    let msg = err.to_string();
    assert!(msg.contains(&expected), "{msg}");
    assert!(msg.contains("max_retry_wait_seconds = 120"), "{msg}");
    assert!(
        msg.contains("read bucket") && msg.contains("GET /api/v1/users/"),
        "{msg}"
    );
    assert_eq!(requests(&seen).len(), 1);
}

#[tokio::test]
async fn a_far_reset_met_in_the_middle_of_a_listing_fails_the_listing_quickly() {
    let reset = chrono::Utc::now().timestamp() + 6 * 3600;
    let (base, seen) = hostile(move |n, _, base| match n {
        0 => page(0, base, Some("/api/v1/users?after=p1&limit=200")),
        _ => rate_limited(reset),
    })
    .await;
    let okta = client(&base);

    let started = Instant::now();
    let err = okta.list_users().await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(err, Error::RetryWaitTooLong { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("list, create and lifecycle bucket"),
        "{err}"
    );
    assert_eq!(requests(&seen).len(), 2);
}

#[tokio::test]
async fn a_retry_after_of_a_day_fails_at_once_instead_of_sleeping() {
    let (base, seen) = hostile(|_, _, _| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "86400")],
            "",
        )
            .into_response()
    })
    .await;
    let okta = client(&base);

    let started = Instant::now();
    let err = okta.get_user("someone@example.com").await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(
            err,
            Error::RetryWaitTooLong {
                wait_secs: 86_400,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(requests(&seen).len(), 1);
}

#[tokio::test]
async fn a_429_without_rate_limit_headers_is_retried_with_growing_spaced_waits() {
    let (base, seen) =
        hostile(|_, _, _| (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response()).await;
    let okta = client(&base);

    let started = Instant::now();
    let err = okta.get_user("someone@example.com").await.unwrap_err();
    let elapsed = started.elapsed();

    assert!(matches!(err, Error::Api { status: 429, .. }), "{err}");
    let times: Vec<Instant> = seen
        .lock()
        .unwrap()
        .requests
        .iter()
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(times.len(), 4, "max_rate_limited_attempts");
    // Waits of at least half of 100, 200 and 400 ms.
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    for (gap, least) in gaps.iter().zip([50, 100, 200]) {
        assert!(*gap >= Duration::from_millis(least), "{gaps:?}");
    }
    assert!(elapsed >= Duration::from_millis(350), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn a_500_without_headers_is_retried_with_spaced_waits_up_to_the_attempt_limit() {
    let (base, seen) = hostile(|_, _, _| {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            r#"{"errorCode":"E0000009"}"#,
        )
            .into_response()
    })
    .await;
    let okta = client(&base);

    let started = Instant::now();
    let err = okta.get_user("someone@example.com").await.unwrap_err();

    assert!(matches!(err, Error::Api { status: 500, .. }), "{err}");
    assert_eq!(requests(&seen).len(), 4, "max_attempts");
    // At least half of 50, 100 and 200 ms.
    assert!(started.elapsed() >= Duration::from_millis(175));
}

#[tokio::test]
async fn a_429_without_headers_that_clears_up_lets_the_request_succeed() {
    let (base, seen) = hostile(|n, _, _| match n {
        0 | 1 => (StatusCode::TOO_MANY_REQUESTS, "").into_response(),
        _ => axum::Json(user(7)).into_response(),
    })
    .await;
    let okta = client(&base);

    let got = okta.get_user("u7@example.com").await.unwrap();

    assert_eq!(got.id.as_str(), "00u00000000000000007");
    assert_eq!(requests(&seen).len(), 3);
}

/// The example config with `max_retry_wait_seconds = 120` replaced by `line` (empty: removed),
/// loaded from a copy beside its token file.
fn example_with(line: &str) -> Result<hrsync::config::Config, String> {
    example_replacing("max_retry_wait_seconds = 120", line)
}

/// The example config with its line `old` replaced by `new` (empty: removed), loaded from a
/// copy beside its token file.
pub(super) fn example_replacing(old: &str, new: &str) -> Result<hrsync::config::Config, String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    for f in ["okta-token.example", "employees.sample.csv"] {
        std::fs::copy(format!("{root}/config/{f}"), dir.path().join(f)).unwrap();
    }
    let example = std::fs::read_to_string(format!("{root}/config/hrsync.example.toml")).unwrap();
    let old = format!("\n{old}\n");
    assert!(example.contains(&old), "the example has no line {old:?}");
    let text = example.replace(&old, &format!("\n{new}\n"));
    let path = dir.path().join("hrsync.toml");
    std::fs::write(&path, text).unwrap();
    hrsync::config::Config::load(&path).map_err(|e| e.to_string())
}

#[test]
fn max_retry_wait_seconds_defaults_to_two_minutes_and_must_be_1_to_3600() {
    let default = example_with("").unwrap();
    assert_eq!(default.okta.max_retry_wait, Duration::from_secs(120));
    let set = example_with("max_retry_wait_seconds = 3600").unwrap();
    assert_eq!(set.okta.max_retry_wait, Duration::from_secs(3600));
    for bad in ["0", "3601"] {
        let err = example_with(&format!("max_retry_wait_seconds = {bad}")).unwrap_err();
        assert!(
            err.contains("okta.max_retry_wait_seconds") && err.contains("expected 1 to 3600"),
            "{err}"
        );
    }
}
