//! Helpers for the Okta client tests: an emulator plus a client configured for it.

use hrsync::config::{OAuthConfig, OktaAuth, OktaConfig, Secret};
use hrsync::emulator::{EmulatorHandle, OAuthClient};
use hrsync::model::Profile;
use hrsync::okta::{OktaClient, RetryPolicy};
use serde_json::json;
use std::time::Duration;

/// Test-only RSA key pair (see `tests/fixtures/okta_client/README.md`).
pub const PRIVATE_KEY: &str = include_str!("../../fixtures/okta_client/rsa-private.pem");
/// Its public half, registered with the emulator.
pub const PUBLIC_KEY: &str = include_str!("../../fixtures/okta_client/rsa-public.pem");
/// The OAuth client id used in tests.
pub const CLIENT_ID: &str = "0oa-hrsync-test";

/// `[okta]` for the emulator with its SSWS token.
pub fn ssws_config(emu: &EmulatorHandle) -> OktaConfig {
    OktaConfig {
        org_url: emu.base_url().parse().unwrap(),
        token: None,
        oauth: None,
        auth: OktaAuth::Ssws(Secret::new(emu.token())),
        anchor_attribute: "employeeNumber".into(),
        service_account_login: None,
        max_concurrent_requests: 8,
        rate_limit_share: 0.5,
        request_timeout: Duration::from_secs(10),
        max_retry_wait: Duration::from_secs(120),
        max_retry_wait_per_run: Duration::from_secs(900),
        quarantine_after_failures: 3,
        send_activation_email: false,
        incremental: true,
        incremental_overlap: std::time::Duration::from_secs(300),
        full_pass_every: std::time::Duration::from_secs(86_400),
    }
}

/// `[okta]` for the emulator with an OAuth app asking for `scopes`.
pub fn oauth_config(emu: &EmulatorHandle, scopes: &[&str]) -> OktaConfig {
    OktaConfig {
        token: None,
        oauth: None,
        auth: OktaAuth::OAuth(OAuthConfig {
            client_id: CLIENT_ID.into(),
            private_key: Secret::new(PRIVATE_KEY),
            key_id: None,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        }),
        ..ssws_config(emu)
    }
}

/// The emulator's registration of the test OAuth app, granted `scopes`.
pub fn oauth_client(scopes: &[&str]) -> OAuthClient {
    OAuthClient {
        client_id: CLIENT_ID.into(),
        public_key_pem: PUBLIC_KEY.into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        share: None,
    }
}

/// Short retry delays so fault tests run quickly.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 10,
        max_rate_limited_attempts: 40,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(100),
        activation_delay: Duration::from_millis(200),
    }
}

/// A client for `cfg` with fast retries.
pub fn client(cfg: &OktaConfig) -> OktaClient {
    OktaClient::new(cfg)
        .unwrap()
        .with_retry_policy(fast_retries())
}

/// The profile of employee `n`.
pub fn profile(n: usize) -> Profile {
    let login = format!("user{n:05}@example.com");
    let v = json!({
        "login": login, "email": login, "firstName": "Ada", "lastName": format!("Number{n}"),
        "employeeNumber": format!("E{n:05}"),
    });
    serde_json::from_value(v).unwrap()
}

/// Seed entries: `n` users starting at `from`, all with `status`.
pub fn seed_entries(from: usize, n: usize, status: &str) -> Vec<serde_json::Value> {
    (from..from + n)
        .map(|i| json!({ "status": status, "profile": profile(i) }))
        .collect()
}

/// Requests with exactly this method, route template and status.
pub fn exact(
    stats: &hrsync::emulator::EmulatorStats,
    method: &str,
    route: &str,
    status: u16,
) -> u64 {
    stats
        .requests
        .iter()
        .filter(|r| r.method == method && r.route == route && r.status == status)
        .map(|r| r.count)
        .sum()
}
