use super::*;
use axum::http::HeaderValue;

fn access(reader: Option<&str>, admin: Option<&str>, header: Option<&str>) -> Access {
    let server = ServerConfig {
        console: true,
        console_token: reader.map(Secret::new),
        console_admin_token: admin.map(Secret::new),
        console_user_header: header.map(str::to_owned),
        ..ServerConfig::default()
    };
    Access::from_config(&server).unwrap()
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

#[test]
fn the_console_is_off_unless_configured() {
    assert!(Access::from_config(&ServerConfig::default()).is_none());
}

#[test]
fn a_bearer_token_reads_only_when_it_is_the_read_or_the_admin_token() {
    let a = access(Some("read-token"), Some("admin-token"), None);
    let with = |v: &str| a.reader(&headers(&[("authorization", v)]));
    assert_eq!(with("Bearer read-token"), Some(Reader::Bearer));
    assert_eq!(with("bearer admin-token"), Some(Reader::Bearer));
    assert_eq!(with("Bearer read-tokeN"), None);
    assert_eq!(with("Bearer "), None);
    assert_eq!(with("Basic read-token"), None);
    assert_eq!(a.reader(&HeaderMap::new()), None);
}

#[test]
fn a_session_cookie_holds_no_token_and_dies_with_the_process_key() {
    let a = access(Some("read-token"), None, None);
    let value = a.sign_in("read-token").unwrap();
    assert!(!value.contains("read-token"));
    let cookie = format!("other=1; {COOKIE}={value}");
    let reader = a.reader(&headers(&[("cookie", &cookie)])).unwrap();
    assert!(matches!(reader, Reader::Session(_)));
    assert!(a.sign_in("wrong").is_none());
    let restarted = access(Some("read-token"), None, None);
    assert_eq!(restarted.reader(&headers(&[("cookie", &cookie)])), None);
    let forged = format!("{COOKIE}=abc.{}", &value[value.len() - 10..]);
    assert_eq!(a.reader(&headers(&[("cookie", &forged)])), None);
}

#[test]
fn the_proxy_header_reads_only_when_configured() {
    let a = access(None, None, Some("x-forwarded-user"));
    let h = headers(&[("x-forwarded-user", "ada")]);
    assert_eq!(a.reader(&h), Some(Reader::Proxy("ada".into())));
    assert_eq!(a.reader(&headers(&[("x-forwarded-user", " ")])), None);
    let b = access(Some("t"), None, None);
    assert_eq!(b.reader(&h), None);
}

#[test]
fn csrf_tokens_belong_to_one_session_and_the_admin_token_is_not_the_read_token() {
    let a = access(Some("read-token"), Some("admin-token"), None);
    let one = Reader::Session("n1".into());
    let two = Reader::Session("n2".into());
    let token = a.csrf_token(&one);
    assert!(a.csrf_ok(&one, &token));
    assert!(!a.csrf_ok(&two, &token));
    assert!(!a.csrf_ok(&one, ""));
    assert!(a.is_admin("admin-token"));
    assert!(!a.is_admin("read-token"));
    assert!(!access(Some("read-token"), None, None).is_admin(""));
}

#[test]
fn a_cross_site_post_is_refused_by_its_origin() {
    let same = headers(&[
        ("host", "127.0.0.1:9184"),
        ("origin", "http://127.0.0.1:9184"),
    ]);
    assert!(same_origin(&same));
    let other = headers(&[
        ("host", "127.0.0.1:9184"),
        ("origin", "https://evil.example"),
    ]);
    assert!(!same_origin(&other));
    let null = headers(&[("host", "127.0.0.1:9184"), ("origin", "null")]);
    assert!(
        !same_origin(&null),
        "an opaque origin that no fetch metadata vouches for"
    );
    let own_form = headers(&[
        ("host", "127.0.0.1:9184"),
        ("origin", "null"),
        ("sec-fetch-site", "same-origin"),
    ]);
    assert!(
        same_origin(&own_form),
        "Chromium's form post under no-referrer"
    );
    assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
    assert!(
        same_origin(&HeaderMap::new()),
        "not a browser: the CSRF token decides"
    );
}
