//! A reader finds a pre-hire and sees when they are activated (in their zone and in UTC), and
//! a leaver's deactivation with the Okta request id of the call; the forecast and the runs
//! pages show the same; screenshots of each page.

use super::{Browser, READ_TOKEN, Site, in_browser, staff};
use chrono::{Days, NaiveTime, TimeZone, Utc};
use hrsync::journal::ActionState;

/// The staff, a pre-hire in New York starting in a week, and a leaver (Leo) still employed.
fn roster(start: chrono::NaiveDate, leo_leaves: Option<chrono::NaiveDate>) -> String {
    let mut csv = staff(40, 0);
    csv.push_str(&format!(
        "7001,Priya,Prehire,priya.prehire@example.com,Engineer,Engineering,,Active,{start},,America/New_York\n"
    ));
    let end = leo_leaves.map(|d| d.to_string()).unwrap_or_default();
    csv.push_str(&format!(
        "7002,Leo,Leaver,leo.leaver@example.com,Engineer,Engineering,,Active,2024-01-08,{end},Europe/London\n"
    ));
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_finds_a_pre_hire_with_their_activation_time_and_a_leaver_with_the_request_id_of_the_deactivation()
 {
    in_browser(scenario).await;
}

async fn scenario(browser: &Browser) {
    let today = Utc::now().date_naive();
    let start = today + Days::new(7);
    let site = Site::start(&roster(start, None)).await;
    site.run_with(&roster(start, Some(today - Days::new(2))), 2)
        .await;
    let base = site.base.clone();

    let overview = browser.sign_in(&base, READ_TOKEN).await;
    assert!(overview.contains("Last runs"), "{overview}");
    browser.shot("overview").await;

    browser
        .open(&format!("{base}/console/people?q=priya"))
        .await;
    browser.shot("people-search").await;
    let person = browser
        .click("table a[href='/console/people/7001']", "dd.activation")
        .await;
    let new_york = chrono_tz::America::New_York;
    let moment = new_york
        .from_local_datetime(&start.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()))
        .single()
        .unwrap()
        .with_timezone(&Utc);
    let expected = format!(
        "{} 09:00 America/New_York = {}",
        start.format("%Y-%m-%d"),
        moment.format("%Y-%m-%d %H:%MZ")
    );
    assert!(
        person.contains(&expected),
        "the activation moment {expected} in: {person}"
    );
    assert!(
        person.contains("STAGED"),
        "created ahead of the start, not active: {person}"
    );
    assert!(person.contains("priya.prehire@example.com"));
    let priya = hrsync::model::EmployeeId::parse("7001").unwrap();
    let created = site.journal().actions_for_employee(&priya, 5).unwrap();
    let Some(ActionState::Applied {
        request_id: Some(create_request),
    }) = created
        .iter()
        .find(|a| a.kind == "create")
        .map(|a| &a.outcome)
    else {
        panic!("the create is applied with Okta's request id: {created:?}");
    };
    assert!(
        person.contains(create_request.as_str()),
        "the create's request id is shown"
    );
    browser.shot("person-pre-hire").await;
    browser.client.set_window_size(390, 844).await.unwrap();
    browser.shot("person-pre-hire-phone").await;
    browser.client.set_window_size(1280, 900).await.unwrap();

    let journal = site.journal();
    let leo = hrsync::model::EmployeeId::parse("7002").unwrap();
    let deactivation = journal
        .actions_for_employee(&leo, 5)
        .unwrap()
        .into_iter()
        .find(|a| a.kind == "deactivate")
        .expect("the leaver was deactivated");
    let ActionState::Applied {
        request_id: Some(request_id),
    } = &deactivation.outcome
    else {
        panic!("the deactivation is applied with Okta's request id: {deactivation:?}");
    };
    assert!(!request_id.is_empty());
    browser
        .open(&format!("{base}/console/people?q=leo+leaver"))
        .await;
    let leaver = browser
        .click("table a[href='/console/people/7002']", "table.history")
        .await;
    assert!(
        leaver.contains(request_id.as_str()),
        "request id {request_id} in: {leaver}"
    );
    assert!(
        leaver.contains("DEPROVISIONED"),
        "Okta as the run left it: {leaver}"
    );
    assert!(leaver.contains("gone (terminated)"), "{leaver}");
    browser.shot("person-leaver").await;

    let upcoming = browser
        .open(&format!("{base}/console/upcoming?days=14"))
        .await;
    assert!(
        upcoming.contains("/console/people/7001"),
        "the activation is forecast: {upcoming}"
    );
    assert!(upcoming.contains(&start.format("%Y-%m-%d").to_string()));
    browser.shot("upcoming").await;

    let runs = browser
        .open(&format!(
            "{base}/console/runs?run=2&kind=deactivate&outcome="
        ))
        .await;
    assert!(runs.contains(request_id.as_str()), "{runs}");
    assert!(
        !runs.contains("/console/people/5000"),
        "only deactivations are listed"
    );
    browser.shot("runs").await;
    site.stop().await;
}
