//! Incremental runs against the emulator: between full passes a run lists only the Okta users
//! changed since the last read and plans from the journal's cache. Hand edits in Okta are
//! repaired by the next incremental run, hand deletes only by the next full pass; a lagging
//! search index causes neither a duplicate nor a missed update; orphans wait for a full pass;
//! a cache from another org is discarded.

use crate::support::{Fixture, ModelUsers, at, three_employees};
use hrsync::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use hrsync::journal::Journal;
use hrsync::model::{OktaUser, UserStatus};
use hrsync::okta::OktaClient;
use hrsync::plan::Pass;
use hrsync::source::AnySource;
use hrsync::sync::{RunReport, RunRequest, SyncDeps, run_once};
use serde_json::{Value, json};
use std::time::Duration;

/// An admin's hand in Okta: requests with the emulator's token.
async fn by_hand(emu: &EmulatorHandle, method: reqwest::Method, path: &str, body: Option<Value>) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", emu.base_url()))
        .header("Authorization", format!("SSWS {}", emu.token()))
        .header("Accept", "application/json");
    req = match body {
        Some(b) => req.json(&b),
        None => req.header("Content-Length", "0"),
    };
    let resp = req.send().await.unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
}

fn user_of(emu: &EmulatorHandle, employee: &str) -> Vec<OktaUser> {
    emu.model_users()
        .into_iter()
        .filter(|u| u.attr("employeeNumber") == Some(employee))
        .collect()
}

async fn full_sync(fx: &Fixture, now: &str) -> RunReport {
    let request = RunRequest {
        trigger: "test".into(),
        full: true,
        ..RunRequest::default()
    };
    run_once(&fx.deps(), &request, at(now)).await.unwrap()
}

/// A synced org of three whose journal holds a cache with a watermark: a first run creates,
/// a second (a full pass: the first listed nobody) fills the cache.
async fn synced(emulator: EmulatorConfig, extra_toml: &str) -> Fixture {
    let fx = Fixture::start_with(&three_employees(), emulator, extra_toml).await;
    let first = fx.sync(at("2026-12-01T12:00:00Z")).await.unwrap();
    assert_eq!((first.pass, first.counts.created), (Pass::Full, 3));
    let second = fx.sync(at("2026-12-01T12:01:00Z")).await.unwrap();
    assert_eq!((second.pass, second.users_read), (Pass::Full, 3));
    fx
}

#[tokio::test]
async fn a_steady_incremental_run_makes_at_most_three_okta_requests_and_no_write() {
    let fx = synced(EmulatorConfig::default(), "").await;
    fx.emulator.reset_stats();
    let report = fx.sync(at("2026-12-01T12:02:00Z")).await.unwrap();
    assert_eq!(report.pass, Pass::Incremental);
    assert!(report.plan.is_empty(), "{:?}", report.plan.actions);
    assert!(
        report.okta_requests <= 3,
        "{} requests",
        report.okta_requests
    );
    assert_eq!(fx.emulator.stats().writes(), 0);
    let runs = Journal::open(&fx.journal_path()).unwrap().runs(1).unwrap();
    assert_eq!(runs[0].pass, Some(Pass::Incremental));
    assert_eq!(runs[0].users_read, Some(report.users_read as u64));
}

#[tokio::test]
async fn a_profile_edited_by_hand_in_okta_is_repaired_by_the_next_incremental_run() {
    let fx = synced(EmulatorConfig::default(), "").await;
    let ada = &user_of(&fx.emulator, "1001")[0];
    let path = format!("/api/v1/users/{}", ada.id);
    by_hand(
        &fx.emulator,
        reqwest::Method::POST,
        &path,
        Some(json!({"profile": {"title": "Chief Everything"}})),
    )
    .await;
    let report = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert_eq!(report.pass, Pass::Incremental);
    assert_eq!(report.counts.updated, 1, "{:?}", report.plan.actions);
    assert_eq!(
        user_of(&fx.emulator, "1001")[0].attr("title"),
        Some("Data Engineer")
    );
}

#[tokio::test]
async fn a_user_deleted_by_hand_is_recreated_at_the_next_full_pass_and_not_before() {
    let fx = synced(EmulatorConfig::default(), "").await;
    let lee = user_of(&fx.emulator, "1002")[0].id.clone();
    let path = format!("/api/v1/users/{lee}");
    // Okta deletes in two steps: deactivate, then delete.
    by_hand(&fx.emulator, reqwest::Method::DELETE, &path, None).await;
    by_hand(&fx.emulator, reqwest::Method::DELETE, &path, None).await;
    assert!(user_of(&fx.emulator, "1002").is_empty());
    let incremental = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert_eq!(incremental.pass, Pass::Incremental);
    assert_eq!(incremental.counts.created, 0);
    assert!(user_of(&fx.emulator, "1002").is_empty(), "not before");

    let full = full_sync(&fx, "2026-12-01T12:04:00Z").await;
    assert_eq!(full.pass, Pass::Full);
    assert_eq!(full.counts.created, 1, "{:?}", full.plan.actions);
    assert_eq!(user_of(&fx.emulator, "1002").len(), 1);
    // A day later a full pass runs by itself.
    let later = fx.sync(at("2026-12-02T12:05:00Z")).await.unwrap();
    assert_eq!(later.pass, Pass::Full, "full_pass_every = 24h");
}

#[tokio::test]
async fn a_write_that_finds_its_user_deleted_by_hand_makes_the_next_run_a_full_pass() {
    let fx = synced(EmulatorConfig::default(), "").await;
    let ada = user_of(&fx.emulator, "1001")[0].id.clone();
    let path = format!("/api/v1/users/{ada}");
    by_hand(&fx.emulator, reqwest::Method::DELETE, &path, None).await;
    by_hand(&fx.emulator, reqwest::Method::DELETE, &path, None).await;
    fx.write_csv(&three_employees().replace("Data Engineer", "Staff Data Engineer"));
    let failed = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert_eq!(failed.pass, Pass::Incremental);
    assert_eq!(failed.counts.failed, 1, "{:?}", failed.apply);
    let next = fx.sync(at("2026-12-01T12:04:00Z")).await.unwrap();
    assert_eq!(next.pass, Pass::Full);
    assert_eq!(next.counts.created, 1, "{:?}", next.plan.actions);
    let back = user_of(&fx.emulator, "1001");
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].attr("title"), Some("Staff Data Engineer"));
}

#[tokio::test]
async fn a_lagging_search_index_causes_neither_a_duplicate_nor_a_missed_update() {
    let lag = EmulatorConfig::default().search_lag_ms(60_000);
    let fx = synced(lag, "").await;
    // Let the index catch up with the creates, then read once more: a clean cache.
    fx.emulator.advance_clock(Duration::from_secs(61));
    fx.sync(at("2026-12-01T12:02:00Z")).await.unwrap();

    // A new hire, whose account an admin made by hand a moment ago: the index does not show
    // it yet, the cache does not hold it.
    let hire = "1004,Grace,Hopper,grace.hopper@example.com,Admiral,Engineering,,Active,2024-01-08,,Europe/London\n";
    fx.write_csv(&format!("{}{hire}", three_employees()));
    by_hand(
        &fx.emulator,
        reqwest::Method::POST,
        "/api/v1/users?activate=false",
        Some(json!({"profile": {
            "login": "grace.hopper@example.com", "email": "grace.hopper@example.com",
            "firstName": "Grace", "lastName": "Hopper", "employeeNumber": "1004"
        }})),
    )
    .await;
    // And a hand edit of Ada's title, which the index will show only in a minute.
    let ada = user_of(&fx.emulator, "1001")[0].id.clone();
    by_hand(
        &fx.emulator,
        reqwest::Method::POST,
        &format!("/api/v1/users/{ada}"),
        Some(json!({"profile": {"title": "Chief Everything"}})),
    )
    .await;

    let report = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert_eq!(report.pass, Pass::Incremental);
    assert_eq!(report.counts.created, 0, "{:?}", report.plan.actions);
    assert_eq!(report.counts.failed, 0);
    let logins: Vec<String> = fx
        .emulator
        .model_users()
        .iter()
        .filter_map(|u| u.login().map(str::to_lowercase))
        .filter(|l| l.contains("grace") || l.contains("hopper"))
        .collect();
    assert_eq!(
        logins,
        ["grace.hopper@example.com"],
        "one account for Grace"
    );

    // Once the index shows the hand edit, the next incremental run repairs it.
    fx.emulator.advance_clock(Duration::from_secs(61));
    let report = fx.sync(at("2026-12-01T12:04:00Z")).await.unwrap();
    assert_eq!(report.pass, Pass::Incremental);
    assert_eq!(
        user_of(&fx.emulator, "1001")[0].attr("title"),
        Some("Data Engineer"),
        "{:?}",
        report.plan.actions
    );
    // The index still shows the old copy of what hrsync just wrote: the cache keeps the
    // answer, so nothing is written twice.
    fx.emulator.reset_stats();
    let again = fx.sync(at("2026-12-01T12:05:00Z")).await.unwrap();
    assert!(again.plan.is_empty(), "{:?}", again.plan.actions);
    assert_eq!(fx.emulator.stats().writes(), 0);
    assert_eq!(user_of(&fx.emulator, "1004").len(), 1);
}

#[tokio::test]
async fn an_incremental_run_never_deactivates_an_orphan_and_the_next_full_pass_does() {
    let fx = synced(
        EmulatorConfig::default(),
        "[termination]\norphans = \"deactivate\"\n[safety]\nmax_deactivation_percent = 100\n",
    )
    .await;
    // An account someone made by hand for an id HR does not have.
    by_hand(
        &fx.emulator,
        reqwest::Method::POST,
        "/api/v1/users",
        Some(json!({"profile": {
            "login": "ghost@example.com", "email": "ghost@example.com",
            "firstName": "G", "lastName": "Host", "employeeNumber": "9999"
        }})),
    )
    .await;
    let report = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert_eq!(report.pass, Pass::Incremental);
    assert_eq!(report.counts.deactivated, 0);
    assert!(
        report
            .plan
            .findings
            .iter()
            .any(|f| f.detail.contains("waits for the next full pass")),
        "{:?}",
        report.plan.findings
    );
    assert_ne!(
        user_of(&fx.emulator, "9999")[0].status,
        UserStatus::Deprovisioned
    );

    let full = full_sync(&fx, "2026-12-01T12:04:00Z").await;
    assert_eq!(full.counts.deactivated, 1, "{:?}", full.plan.actions);
    assert_eq!(
        user_of(&fx.emulator, "9999")[0].status,
        UserStatus::Deprovisioned
    );
}

#[tokio::test]
async fn a_cache_from_another_org_url_is_discarded() {
    let fx = synced(EmulatorConfig::default(), "").await;
    // The same journal, pointed at another (empty) org.
    let other = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let mut config = fx.config.clone();
    config.okta.org_url = other.base_url().parse().unwrap();
    config.okta.auth = hrsync::config::OktaAuth::Ssws(hrsync::config::Secret::new(other.token()));
    let deps = SyncDeps {
        source: AnySource::from_config(&config.source, &config.employee).unwrap(),
        okta: OktaClient::new(&config.okta).unwrap(),
        journal: Journal::open(&fx.journal_path()).unwrap(),
        policy: config.policy(),
        concurrency: config.okta.max_concurrent_requests,
        reads: hrsync::sync::reads::ReadSettings::of(&config.okta),
    };
    let request = RunRequest {
        trigger: "test".into(),
        ..RunRequest::default()
    };
    let report = run_once(&deps, &request, at("2026-12-01T12:03:00Z"))
        .await
        .unwrap();
    assert_eq!(report.pass, Pass::Full);
    // Planned from the other org itself (empty), not from the first org's cache.
    assert_eq!(report.counts.created, 3, "{:?}", report.plan.actions);
    assert_eq!(other.model_users().len(), 3);
}

#[tokio::test]
async fn history_shows_each_runs_pass_and_sync_full_forces_a_full_pass_through_the_binary() {
    use crate::reliability::org::{Org, Setup, roster, text};
    let org = Org::start_with(&roster(5), EmulatorConfig::default(), Setup::default()).await;
    for args in [&["sync"][..], &["sync"], &["sync"], &["sync", "--full"]] {
        let out = org.hrsync(args).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
    let out = org.hrsync(&["history"]).await;
    let shown = String::from_utf8_lossy(&out.stdout);
    let passes: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("run "))
        .map(|l| {
            if l.contains("okta incremental read of") {
                "incremental"
            } else if l.contains("okta full read of") {
                "full"
            } else {
                "?"
            }
        })
        .collect();
    // Newest first: --full, then incremental, then the full pass that filled the cache and
    // the first run (which listed an empty org).
    assert_eq!(passes, ["full", "incremental", "full", "full"], "{shown}");
    assert!(shown.contains("okta full read of 5"), "{shown}");
}

#[tokio::test]
async fn a_first_full_pass_without_a_cache_splits_its_listing_by_the_span_of_last_updated() {
    let fx = Fixture::start_with(&three_employees(), EmulatorConfig::default(), "").await;
    let first = fx.sync(at("2026-12-01T12:00:00Z")).await.unwrap();
    assert_eq!(first.counts.created, 3);
    // Spread the users' lastUpdated over seconds, then forget the cache: a first run again.
    for (i, employee) in ["1001", "1002", "1003"].iter().enumerate() {
        fx.emulator.advance_clock(Duration::from_secs(2));
        let id = user_of(&fx.emulator, employee)[0].id.clone();
        let title = format!("Title {i}");
        by_hand(
            &fx.emulator,
            reqwest::Method::POST,
            &format!("/api/v1/users/{id}"),
            Some(json!({"profile": {"title": title}})),
        )
        .await;
    }
    // An org this small reads the plain listing (see the next test): split it anyway.
    let (report, lists) = first_run_again(&fx, Some(1)).await;
    assert_eq!((report.pass, report.users_read), (Pass::Full, 3));
    assert_eq!(report.counts.updated, 3, "{:?}", report.plan.actions);
    assert_eq!(report.counts.created, 0, "no duplicate");
    // Two probes (the earliest and latest lastUpdated) and one listing per range, where the
    // plain listing and the DEPROVISIONED one would have been two.
    assert!(lists >= 5, "{lists} list requests");
}

#[tokio::test]
async fn a_first_run_of_an_org_too_small_to_split_reads_the_plain_listing_without_probes() {
    let fx = Fixture::start_with(&three_employees(), EmulatorConfig::default(), "").await;
    fx.sync(at("2026-12-01T12:00:00Z")).await.unwrap();
    let (report, lists) = first_run_again(&fx, None).await;
    assert_eq!((report.pass, report.users_read), (Pass::Full, 3));
    assert_eq!(report.counts.created, 0, "no duplicate");
    // The plain listing and the DEPROVISIONED one, one page each; no probe, and no login
    // check (the plain listing is current; a check would have shown in the counts).
    assert_eq!(lists, 2);
    assert_eq!(report.okta_requests, 3, "the two listings and the schema");
}

/// Forgets the cache and runs again at 12:01 (a first run again), with the listing split
/// every `users_per_listing` users when given; the run's report and its list requests.
async fn first_run_again(fx: &Fixture, users_per_listing: Option<usize>) -> (RunReport, u64) {
    Journal::open(&fx.journal_path())
        .unwrap()
        .clear_okta_cache()
        .unwrap();
    let mut deps = fx.deps();
    if let Some(n) = users_per_listing {
        deps.reads.users_per_listing = n;
    }
    let request = RunRequest {
        trigger: "test".into(),
        ..RunRequest::default()
    };
    let report = run_once(&deps, &request, at("2026-12-01T12:01:00Z"))
        .await
        .unwrap();
    let lists = deps
        .okta
        .counters()
        .class_total(hrsync::okta::EndpointClass::List);
    (report, lists)
}

#[tokio::test]
async fn a_full_pass_that_fails_while_it_lists_leaves_a_cache_the_next_run_does_not_plan_from() {
    let fx = synced(EmulatorConfig::default(), "").await;
    // The token revoked: the full pass's listing is refused (401, no retry).
    let token = fx.emulator.token();
    fx.emulator
        .update_config(|c| c.tokens[0].token = "revoked".into());
    let request = RunRequest {
        trigger: "test".into(),
        full: true,
        ..RunRequest::default()
    };
    assert!(
        run_once(&fx.deps(), &request, at("2026-12-01T12:02:00Z"))
            .await
            .is_err()
    );
    let header = Journal::open(&fx.journal_path())
        .unwrap()
        .okta_cache_header()
        .unwrap()
        .unwrap();
    assert!(header.full_pass_wanted.is_some(), "{header:?}");

    fx.emulator.update_config(|c| c.tokens[0].token = token);
    let next = fx.sync(at("2026-12-01T12:03:00Z")).await.unwrap();
    assert_eq!((next.pass, next.users_read), (Pass::Full, 3));
    let after = fx.sync(at("2026-12-01T12:04:00Z")).await.unwrap();
    assert_eq!(after.pass, Pass::Incremental, "the cache is whole again");
}
