//! No access without the token: a browser that has not signed in sees the sign-in page and no
//! name; a wrong token is refused; a wrong bearer token is 401; every page carries the
//! security headers.

use super::{Browser, READ_TOKEN, Site, in_browser, staff};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_token_the_browser_sees_only_the_sign_in_page_and_no_name() {
    in_browser(scenario).await;
}

async fn scenario(browser: &Browser) {
    let site = Site::start(&staff(12, 0)).await;
    let base = site.base.clone();
    for page in [
        "/console",
        "/console/people?q=first3",
        "/console/people/5003",
        "/console/upcoming",
        "/console/runs",
    ] {
        let html = browser.open(&format!("{base}{page}")).await;
        let url = browser.client.current_url().await.unwrap();
        assert_eq!(
            url.path(),
            "/console/login",
            "{page} sends to the sign-in page"
        );
        assert!(
            !html.contains("First3") && !html.contains("person3@"),
            "{page} shows no name: {html}"
        );
    }
    browser.shot("sign-in").await;
    browser.fill("#token", "not-the-token").await;
    let refused = browser.click("form.signin button", "p.notice.bad").await;
    assert!(refused.contains("not valid"), "{refused}");
    assert!(!refused.contains("First3"));

    let http = reqwest::Client::new();
    let get = |auth: Option<&'static str>| {
        let mut req = http
            .get(format!("{base}/console/people?q=first3"))
            .timeout(std::time::Duration::from_secs(5));
        if let Some(token) = auth {
            req = req.bearer_auth(token);
        }
        req.send()
    };
    let wrong = get(Some("wrong-token")).await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(!wrong.text().await.unwrap().contains("First3"));
    let right = get(Some(READ_TOKEN)).await.unwrap();
    assert_eq!(right.status(), 200);
    let headers = right.headers().clone();
    assert_eq!(headers["content-security-policy"], hrsync::console::CSP);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(
        right.text().await.unwrap().contains("First3"),
        "a reader sees the name"
    );
    site.stop().await;
}
