use super::*;
use crate::config::{Secret, ServerConfig};
use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

fn console() -> Router {
    let server = ServerConfig {
        console: true,
        console_token: Some(Secret::new("read-token")),
        console_admin_token: Some(Secret::new("admin-token")),
        ..ServerConfig::default()
    };
    let journal = Journal::open_in_memory().unwrap();
    Console::new(
        &server,
        journal.clone(),
        journal,
        Shared::default(),
        Arc::new(Health::default()),
    )
    .unwrap()
    .routes()
}

async fn get(app: &Router, path: &str, auth: Option<&str>) -> Response {
    let mut req = Request::get(path);
    if let Some(token) = auth {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn every_page_answers_with_the_security_headers_and_no_store() {
    let app = console();
    for path in [
        "/console",
        "/console/people?q=a",
        "/console/upcoming",
        "/console/runs",
        "/console/login",
    ] {
        let r = get(&app, path, Some("read-token")).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let h = r.headers();
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP, "{path}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(h[header::CACHE_CONTROL], "no-store", "{path}");
    }
    let css = get(&app, "/console/console.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(css.headers()[header::CONTENT_SECURITY_POLICY], CSP);
}

#[tokio::test]
async fn without_a_token_pages_send_to_the_sign_in_page_and_a_wrong_bearer_is_refused() {
    let app = console();
    let r = get(&app, "/console/people?q=ada", None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[header::LOCATION], "/console/login");
    let r = get(&app, "/console", Some("admin-tokeN")).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_approval_without_the_csrf_token_is_refused_even_with_the_admin_token() {
    let app = console();
    let post = |body: &'static str| {
        Request::post("/console/approve")
            .header("authorization", "Bearer read-token")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let r = app
        .clone()
        .oneshot(post("plan_id=abc&admin_token=admin-token"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let r = app
        .clone()
        .oneshot(post("csrf=forged&plan_id=abc&admin_token=admin-token"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a forged CSRF token");
}
