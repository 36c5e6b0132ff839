//! Approving a held plan in the browser: the read token cannot approve, a forged or
//! cross-site form is refused, the admin token approves, and the next run applies exactly
//! the held deactivations.

use super::{ADMIN_TOKEN, Browser, READ_TOKEN, Site, in_browser, staff};
use crate::support::ModelUsers;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_approves_a_held_plan_in_the_browser_and_the_next_run_applies_it() {
    in_browser(scenario).await;
}

fn deprovisioned(site: &Site) -> usize {
    site.fx
        .emulator
        .model_users()
        .iter()
        .filter(|u| u.status.as_str() == "DEPROVISIONED")
        .count()
}

async fn scenario(browser: &Browser) {
    let site = Site::start(&staff(40, 0)).await;
    // 3 leavers of 40 managed users: over the 5 % limit, so the run holds them.
    site.run_with(&staff(40, 3), 2).await;
    assert_eq!(deprovisioned(&site), 0, "the deactivations are held");
    let base = site.base.clone();

    let overview = browser.sign_in(&base, READ_TOKEN).await;
    assert!(
        overview.contains("form class=\"approve\""),
        "the held plan has an approval form: {overview}"
    );
    assert!(
        overview.contains("3 deactivate") || overview.contains("3 held"),
        "{overview}"
    );
    browser.shot("overview-held").await;

    // The read token is not the admin token.
    browser
        .fill("form.approve input[name=admin_token]", READ_TOKEN)
        .await;
    let refused = browser.click("form.approve button", "p.notice.bad").await;
    assert!(refused.contains("admin token is not valid"), "{refused}");

    // A form forged elsewhere: the session cookie rides along, the CSRF token does not.
    browser.open(&format!("{base}/console")).await;
    let csrf = browser.attr("form.approve input[name=csrf]", "value").await;
    let plan_id = browser
        .attr("form.approve input[name=plan_id]", "value")
        .await;
    let cookie = browser
        .client
        .get_named_cookie(hrsync::console::access::COOKIE)
        .await
        .unwrap();
    let cookie = format!("{}={}", cookie.name(), cookie.value());
    let http = reqwest::Client::new();
    let post = |fields: Vec<(&'static str, String)>, origin: &'static str| {
        http.post(format!("{base}/console/approve"))
            .header("cookie", cookie.clone())
            .header("origin", origin)
            .form(&fields)
            .timeout(std::time::Duration::from_secs(5))
            .send()
    };
    let forged = post(
        vec![
            ("plan_id", plan_id.clone()),
            ("admin_token", ADMIN_TOKEN.to_owned()),
        ],
        "https://evil.example",
    )
    .await
    .unwrap();
    assert_eq!(forged.status(), 403, "no CSRF token");
    let cross_site = post(
        vec![
            ("csrf", csrf.clone()),
            ("plan_id", plan_id.clone()),
            ("admin_token", ADMIN_TOKEN.to_owned()),
        ],
        "https://evil.example",
    )
    .await
    .unwrap();
    assert_eq!(cross_site.status(), 403, "another site's Origin");
    let journal = site.journal();
    assert_eq!(
        journal.held_plans(5).unwrap()[0].approval,
        None,
        "nothing refused was approved"
    );

    browser
        .fill("form.approve input[name=admin_token]", ADMIN_TOKEN)
        .await;
    let approved = browser.click("form.approve button", "p.notice.good").await;
    assert!(approved.contains("Approved plan"), "{approved}");
    browser.shot("approved").await;

    site.handle.trigger();
    site.digest_of_run(3).await;
    assert_eq!(
        deprovisioned(&site),
        3,
        "the next run applied the approved plan"
    );
    let overview = browser.open(&format!("{base}/console")).await;
    assert!(
        overview.contains(">used<"),
        "the approval is used: {overview}"
    );
    site.stop().await;
}
