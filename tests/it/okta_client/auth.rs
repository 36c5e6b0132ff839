//! Authentication: fatal credential errors, OAuth token caching and renewal, scopes, the
//! access check, and tokens kept out of logs.

use super::support::*;
use crate::support::ModelUsers;
use futures::future::join_all;
use hrsync::config::{OktaAuth, Secret};
use hrsync::emulator::{ApiToken, Emulator, EmulatorConfig};
use hrsync::okta::{EndpointClass, Error, OktaRead, OktaWrite, WriteAccess, check_access};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn a_bad_token_stops_the_run_with_a_clear_message_and_no_retries() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let mut cfg = ssws_config(&emu);
    cfg.auth = OktaAuth::Ssws(Secret::new("not-the-token"));
    let okta = client(&cfg);

    let e = okta.list_users().await.unwrap_err();

    assert!(e.is_fatal(), "{e}");
    assert_eq!(e.code(), Some("E0000011"));
    assert!(e.to_string().contains("issue a new token"), "{e}");
    assert_eq!(okta.requests_made(), 1);
}

#[tokio::test]
async fn a_read_only_token_stops_a_write_and_check_says_so_before_the_first_run() {
    let config = EmulatorConfig::default().token(ApiToken {
        token: "read-only".into(),
        read_only: true,
        share: None,
    });
    let emu = Emulator::start(config).await.unwrap();
    let mut cfg = ssws_config(&emu);
    cfg.auth = OktaAuth::Ssws(Secret::new("read-only"));
    let okta = client(&cfg);

    let e = okta.create_user(&profile(1), false).await.unwrap_err();

    assert!(e.is_fatal(), "{e}");
    assert!(e.to_string().contains("may not create users"), "{e}");
    assert!(emu.model_users().is_empty());
}

#[tokio::test]
async fn oauth_tokens_are_fetched_once_shared_and_renewed_before_expiry() {
    let mut config = EmulatorConfig::default()
        .oauth_client(oauth_client(&["okta.users.read", "okta.users.manage"]));
    config.oauth_token_lifetime_secs = 3;
    let emu = Emulator::start(config).await.unwrap();
    emu.seed(seed_entries(0, 5, "ACTIVE"));
    let okta = client(&oauth_config(
        &emu,
        &["okta.users.read", "okta.users.manage"],
    ));

    let logins: Vec<String> = (0..5).map(|i| format!("user{i:05}@example.com")).collect();
    let got = join_all(logins.iter().map(|l| okta.get_user(l))).await;
    assert!(got.iter().all(Result::is_ok), "{got:?}");
    assert_eq!(
        okta.tokens_fetched(),
        1,
        "concurrent requests share one token"
    );
    okta.create_user(&profile(9), false).await.unwrap();
    assert_eq!(okta.tokens_fetched(), 1);

    tokio::time::sleep(Duration::from_millis(3_050)).await;
    okta.list_users().await.unwrap();

    assert_eq!(okta.tokens_fetched(), 2, "renewed after the lifetime");
    assert_eq!(emu.stats().count("POST", "/oauth2/v1/token"), 2);
    assert_eq!(okta.counters().class_total(EndpointClass::Token), 2);
}

#[tokio::test]
async fn a_token_without_the_manage_scope_stops_a_write_naming_the_scope() {
    let config = EmulatorConfig::default().oauth_client(oauth_client(&["okta.users.read"]));
    let emu = Emulator::start(config).await.unwrap();
    let okta = client(&oauth_config(&emu, &["okta.users.read"]));

    okta.list_users().await.unwrap();
    let e = okta.create_user(&profile(1), false).await.unwrap_err();

    assert!(e.is_fatal(), "{e}");
    assert!(
        matches!(&e, Error::InsufficientScope { scope, .. } if scope.contains("okta.users.manage")),
        "{e}"
    );
    let report = check_access(&okta, None).await.unwrap();
    assert!(matches!(report.write, WriteAccess::No(_)), "{report:?}");
    assert_eq!(
        report.granted_scopes,
        Some(vec!["okta.users.read".to_owned()])
    );
}

#[tokio::test]
async fn an_unregistered_oauth_app_is_refused_with_advice() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let okta = client(&oauth_config(&emu, &["okta.users.manage"]));

    let e = okta.list_users().await.unwrap_err();

    assert!(e.is_fatal(), "{e}");
    assert!(matches!(e, Error::Auth(_)), "{e}");
}

#[tokio::test]
async fn check_access_reads_a_page_and_grants_write_with_the_manage_scope() {
    let config = EmulatorConfig::default()
        .oauth_client(oauth_client(&["okta.users.read", "okta.users.manage"]));
    let emu = Emulator::start(config).await.unwrap();
    emu.seed(seed_entries(0, 3, "ACTIVE"));
    let okta = client(&oauth_config(
        &emu,
        &["okta.users.read", "okta.users.manage"],
    ));

    let report = check_access(&okta, None).await.unwrap();

    assert_eq!(report.auth, "oauth");
    assert_eq!(report.users_on_first_page, 3);
    assert_eq!(report.write, WriteAccess::Yes);
}

/// A `MakeWriter` collecting everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn tokens_never_appear_in_trace_level_logs() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    // With exactly one registered dispatcher, tracing-core computes the interest of a callsite
    // first hit on another test's thread from that thread's (empty) default and caches
    // "never". A second live dispatcher makes it ask every dispatcher, ours included.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let config = EmulatorConfig::with_token("ssws-SECRET-9f2c41")
        .oauth_client(oauth_client(&["okta.users.read", "okta.users.manage"]));
    let emu = Emulator::start(config).await.unwrap();
    let ssws = client(&ssws_config(&emu));
    ssws.create_user(&profile(1), false).await.unwrap();
    ssws.list_users().await.unwrap();
    let oauth = client(&oauth_config(
        &emu,
        &["okta.users.read", "okta.users.manage"],
    ));
    let user = oauth.get_user("user00001@example.com").await.unwrap();
    oauth.activate(&user.id).await.unwrap();
    let mut bad = ssws_config(&emu);
    bad.auth = OktaAuth::Ssws(Secret::new("ssws-WRONG-77aa01"));
    client(&bad).list_users().await.unwrap_err();

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("Okta answered"),
        "trace logs were captured:\n{text}"
    );
    for secret in [
        "ssws-SECRET-9f2c41",
        "ssws-WRONG-77aa01",
        "access_token",
        "Bearer ",
        "PRIVATE KEY",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} leaked into the logs:\n{text}"
        );
    }
}

#[tokio::test]
async fn check_access_with_ssws_names_the_token_owner_and_warns_about_another_service_login() {
    let config = EmulatorConfig {
        token_owner_login: Some("hrsync-svc@example.com".into()),
        ..EmulatorConfig::default()
    };
    let emu = Emulator::start(config).await.unwrap();
    let svc = serde_json::json!({"status": "ACTIVE", "profile": {
        "login": "hrsync-svc@example.com", "email": "hrsync-svc@example.com",
        "firstName": "hrsync", "lastName": "Service"}});
    emu.seed(vec![svc]);
    let okta = client(&ssws_config(&emu));

    let report = check_access(&okta, Some("someone-else@example.com"))
        .await
        .unwrap();

    assert_eq!(report.auth, "ssws");
    assert_eq!(report.users_on_first_page, 1);
    assert_eq!(
        report.token_user_login.as_deref(),
        Some("hrsync-svc@example.com")
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("someone-else@example.com") && w.contains("hrsync-svc@example.com")),
        "{report:?}"
    );
    assert_eq!(report.roles, Some(vec!["SUPER_ADMIN".to_owned()]));
    assert_eq!(report.write, WriteAccess::Yes, "{report:?}");
    let same = check_access(&okta, Some("HRSYNC-SVC@example.com"))
        .await
        .unwrap();
    assert!(same.warnings.is_empty(), "{same:?}");
}

#[tokio::test]
async fn check_access_fails_clearly_when_even_reading_is_refused() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let mut cfg = ssws_config(&emu);
    cfg.auth = OktaAuth::Ssws(Secret::new("wrong"));

    let e = check_access(&client(&cfg), None).await.unwrap_err();

    assert!(e.is_fatal() && e.to_string().contains("E0000011"), "{e}");
}

#[tokio::test]
async fn a_revoked_oauth_token_is_replaced_once_and_the_call_succeeds() {
    let config = EmulatorConfig::default()
        .oauth_client(oauth_client(&["okta.users.read", "okta.users.manage"]));
    let emu = Emulator::start(config).await.unwrap();
    let okta = client(&oauth_config(
        &emu,
        &["okta.users.read", "okta.users.manage"],
    ));
    okta.list_users().await.unwrap();
    assert_eq!(okta.tokens_fetched(), 1);
    // `POST /__emulator/reset` forgets every issued token (and every user).
    let reset = reqwest::Client::new()
        .post(format!("{}/__emulator/reset", emu.base_url()))
        .header("Authorization", format!("SSWS {}", emu.token()))
        .header("Content-Length", "0")
        .send()
        .await
        .unwrap();
    assert!(reset.status().is_success());

    let user = okta.create_user(&profile(1), false).await.unwrap().user;

    assert_eq!(user.attr("employeeNumber"), Some("E00001"));
    assert_eq!(okta.tokens_fetched(), 2, "one renewal after the 401");
    assert_eq!(emu.model_users().len(), 1);
}

#[tokio::test]
async fn check_access_tells_a_read_only_token_it_cannot_write() {
    let config = EmulatorConfig {
        token_owner_login: Some("hrsync-svc@example.com".into()),
        ..EmulatorConfig::default().token(ApiToken {
            token: "read-only".into(),
            read_only: true,
            share: None,
        })
    };
    let emu = Emulator::start(config).await.unwrap();
    emu.seed(vec![serde_json::json!({"status": "ACTIVE", "profile": {
        "login": "hrsync-svc@example.com", "email": "hrsync-svc@example.com",
        "firstName": "hrsync", "lastName": "Service"}})]);
    let mut cfg = ssws_config(&emu);
    cfg.auth = OktaAuth::Ssws(Secret::new("read-only"));

    let report = check_access(&client(&cfg), Some("hrsync-svc@example.com"))
        .await
        .unwrap();

    assert_eq!(report.roles, Some(vec!["READ_ONLY_ADMIN".to_owned()]));
    assert!(
        matches!(&report.write, WriteAccess::No(why) if why.contains("cannot create, update, activate or deactivate")),
        "{report:?}"
    );
    assert!(report.warnings.is_empty(), "{report:?}");
}
