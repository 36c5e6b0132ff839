use super::*;
use reqwest::header::HeaderValue;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    map
}

const TEST: Vendor = Vendor {
    name: "Test HR",
    short: "test",
    rate_limit_hint: "be patient",
    wait: standard_wait,
    auth_message: |s, d| format!("refused {}{d}", s.as_u16()),
    error_text: json_error_text,
};

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
    assert_eq!(
        retry_after(&headers(&[("retry-after", "7")]), now),
        Some(Duration::from_secs(7))
    );
    assert_eq!(
        retry_after(&headers(&[("retry-after", "1.2")]), now),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        retry_after(
            &headers(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]),
            now
        ),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        retry_after(
            &headers(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]),
            now
        ),
        Some(Duration::ZERO),
        "a date already past waits nothing"
    );
    assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
    assert_eq!(retry_after(&headers(&[]), now), None);
}

#[test]
fn the_standard_wait_prefers_retry_after_then_the_reset_header_then_a_minute() {
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let both = headers(&[("retry-after", "3"), ("x-ratelimit-reset", "1800000030")]);
    assert_eq!(standard_wait(&both, now), Duration::from_secs(3));
    let reset = headers(&[("x-ratelimit-reset", "1800000030")]);
    assert_eq!(standard_wait(&reset, now), Duration::from_secs(30));
    assert_eq!(standard_wait(&headers(&[]), now), Duration::from_secs(60));
}

#[test]
fn an_html_page_is_named_as_such_with_its_title() {
    let body = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>";
    let err = decode_json("u", &TEST, &headers(&[]), body)
        .unwrap_err()
        .to_string();
    assert!(err.contains("HTML page (\"502 Bad Gateway\")"), "{err}");
    let typed = headers(&[("content-type", "text/html; charset=utf-8")]);
    let err = decode_json("u", &TEST, &typed, b"oops")
        .unwrap_err()
        .to_string();
    assert!(err.contains("HTML page instead of JSON"), "{err}");
    assert_eq!(
        decode_json("u", &TEST, &typed, b"{\"a\": 1}").unwrap(),
        serde_json::json!({"a": 1}),
        "JSON mislabelled as HTML is still JSON"
    );
}

#[test]
fn a_body_ending_mid_json_is_called_truncated() {
    let err = decode_json("u", &TEST, &headers(&[]), b"{\"employees\": [{\"id\": 1},")
        .unwrap_err()
        .to_string();
    assert!(err.contains("truncated"), "{err}");
    let err = decode_json("u", &TEST, &headers(&[]), b"{]")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not JSON"), "{err}");
    let err = decode_json("u", &TEST, &headers(&[]), b"  ")
        .unwrap_err()
        .to_string();
    assert!(err.contains("empty body"), "{err}");
    assert_eq!(
        decode_json("u", &TEST, &headers(&[]), b"{\"a\":1}").unwrap(),
        serde_json::json!({"a": 1})
    );
}

#[test]
fn the_vendor_error_text_is_read_from_bob_and_personio_bodies() {
    let h = headers(&[]);
    assert_eq!(
        json_error_text(&h, r#"{"error":"nope"}"#).as_deref(),
        Some("nope")
    );
    assert_eq!(
        json_error_text(
            &h,
            r#"{"success":false,"error":{"code":0,"message":"bad"}}"#
        )
        .as_deref(),
        Some("bad")
    );
    assert_eq!(json_error_text(&h, "plain"), None);
}

#[test]
fn auth_debug_shows_no_secret() {
    let auth = Auth::Basic {
        user: Secret::new("user-s3cret"),
        password: Secret::new("pw-s3cret"),
    };
    let text = format!("{auth:?} {:?}", Auth::Bearer(Secret::new("tok-s3cret")));
    assert!(!text.contains("s3cret"), "{text}");
}
