//! Read-only checks against a real Okta org. Ignored by default; run with
//! `OKTA_ORG_URL=https://… OKTA_API_TOKEN=… cargo test --test it live -- --ignored`.
//! They never write.

use super::support::*;
use hrsync::config::{OktaAuth, OktaConfig, Secret};
use hrsync::okta::{OktaRead, check_access};
use std::time::Duration;

fn live_config() -> Option<OktaConfig> {
    let url = std::env::var("OKTA_ORG_URL").ok()?;
    let token = std::env::var("OKTA_API_TOKEN").ok()?;
    Some(OktaConfig {
        org_url: url.parse().ok()?,
        token: None,
        oauth: None,
        auth: OktaAuth::Ssws(Secret::new(token)),
        anchor_attribute: "employeeNumber".into(),
        service_account_login: std::env::var("OKTA_SERVICE_ACCOUNT_LOGIN").ok(),
        max_concurrent_requests: 4,
        rate_limit_share: 0.5,
        request_timeout: Duration::from_secs(30),
        max_retry_wait: Duration::from_secs(120),
        max_retry_wait_per_run: Duration::from_secs(900),
        quarantine_after_failures: 3,
        send_activation_email: false,
        incremental: true,
        incremental_overlap: std::time::Duration::from_secs(300),
        full_pass_every: std::time::Duration::from_secs(86_400),
    })
}

#[tokio::test]
#[ignore = "needs a real Okta org (OKTA_ORG_URL, OKTA_API_TOKEN)"]
async fn a_real_org_can_be_listed_and_checked_without_writing() {
    let cfg = live_config().expect("set OKTA_ORG_URL and OKTA_API_TOKEN");
    let okta = client(&cfg);
    let report = check_access(&okta, cfg.service_account_login.as_deref())
        .await
        .unwrap();
    eprintln!("{report:#?}");
    let users = okta.list_users().await.unwrap();
    eprintln!("{} users; {:?}", users.len(), okta.counters());
    assert!(okta.counters().total() >= 2);
}
