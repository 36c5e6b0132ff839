//! The emulated org authorization server: private_key_jwt client assertions, scopes,
//! one-hour tokens, and scope enforcement on the Users API.

use super::support::*;
use hrsync::emulator::{ApiToken, EmulatorConfig, OAuthClient};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

const KEY: &str = include_str!("../../fixtures/oauth-test-key.pem");
const PUBLIC: &str = include_str!("../../fixtures/oauth-test-key.pub.pem");
const OTHER_KEY: &str = include_str!("../../fixtures/oauth-other-key.pem");

fn config() -> EmulatorConfig {
    EmulatorConfig::default()
        .oauth_client(OAuthClient {
            client_id: "0oaWriter".into(),
            public_key_pem: PUBLIC.into(),
            scopes: vec![
                "okta.users.read".into(),
                "okta.users.manage".into(),
                "okta.schemas.read".into(),
                "okta.schemas.manage".into(),
            ],
            share: None,
        })
        .token(ApiToken {
            token: "read-only".into(),
            read_only: true,
            share: None,
        })
}

fn assertion(env: &Env, client: &str, key: &str, jti: &str, aud: Option<&str>) -> String {
    let now = chrono::Utc::now().timestamp();
    let aud = aud.map_or_else(
        || format!("{}/oauth2/v1/token", env.emu.base_url()),
        str::to_owned,
    );
    let claims =
        json!({"iss": client, "sub": client, "aud": aud, "iat": now, "exp": now + 300, "jti": jti});
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("k1".into());
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_rsa_pem(key.as_bytes()).unwrap(),
    )
    .unwrap()
}

async fn token_request(env: &Env, assertion: &str, scope: &str) -> reqwest::Response {
    env.http
        .post(format!("{}/oauth2/v1/token", env.emu.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", scope),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion),
        ])
        .send()
        .await
        .unwrap()
}

async fn bearer(env: &Env, scope: &str, jti: &str) -> String {
    let a = assertion(env, "0oaWriter", KEY, jti, None);
    let r = token_request(env, &a, scope).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3600);
    assert_eq!(v["scope"], scope);
    v["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_valid_assertion_gets_a_bearer_token_that_can_write() {
    let env = start_with(config()).await;
    let token = bearer(&env, "okta.users.read okta.users.manage", "j1").await;
    let r = env
        .http
        .post(format!("{}/api/v1/users", env.emu.base_url()))
        .bearer_auth(&token)
        .json(&profile("oauth@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(env.emu.stats().count("POST", "/oauth2/v1/token"), 1);
}

#[tokio::test]
async fn a_read_scoped_token_reads_but_a_write_is_403_insufficient_scope_without_body() {
    let env = start_with(config()).await;
    let token = bearer(&env, "okta.users.read", "j2").await;
    let url = format!("{}/api/v1/users", env.emu.base_url());
    let r = env.http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = env
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&profile("x@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let www = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(
        www.starts_with("Bearer ") && www.contains("error=\"insufficient_scope\""),
        "{www}"
    );
    assert!(www.contains("scope=\"okta.users.manage\""));
    assert!(r.bytes().await.unwrap().is_empty());
    assert!(env.emu.users().is_empty());
}

#[tokio::test]
async fn a_replayed_jti_a_wrong_audience_or_a_wrong_key_is_invalid_client() {
    let env = start_with(config()).await;
    let a = assertion(&env, "0oaWriter", KEY, "same", None);
    assert_eq!(
        token_request(&env, &a, "okta.users.read").await.status(),
        200
    );
    let r = token_request(&env, &a, "okta.users.read").await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_client");
    let wrong_aud = assertion(
        &env,
        "0oaWriter",
        KEY,
        "j3",
        Some("https://example.okta.com/oauth2/v1/token"),
    );
    assert_eq!(
        token_request(&env, &wrong_aud, "okta.users.read")
            .await
            .status(),
        401
    );
    let wrong_key = assertion(&env, "0oaWriter", OTHER_KEY, "j4", None);
    assert_eq!(
        token_request(&env, &wrong_key, "okta.users.read")
            .await
            .status(),
        401
    );
    let unknown = assertion(&env, "0oaNobody", KEY, "j5", None);
    assert_eq!(
        token_request(&env, &unknown, "okta.users.read")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn an_ungranted_scope_is_invalid_scope() {
    let env = start_with(config()).await;
    let a = assertion(&env, "0oaWriter", KEY, "j6", None);
    let r = token_request(&env, &a, "okta.groups.manage").await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_scope");
}

#[tokio::test]
async fn an_expired_or_unknown_bearer_token_is_401_e0000011() {
    let mut cfg = config();
    cfg.oauth_token_lifetime_secs = 2;
    let env = start_with(cfg).await;
    let token = bearer_short(&env).await;
    let url = format!("{}/api/v1/users", env.emu.base_url());
    assert_eq!(
        env.http
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = env.http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(error_code(r, 401).await, "E0000011");
    let r = env
        .http
        .get(&url)
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 401).await, "E0000011");
}

async fn bearer_short(env: &Env) -> String {
    let a = assertion(env, "0oaWriter", KEY, "short", None);
    let v: Value = token_request(env, &a, "okta.users.read")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["expires_in"], 2);
    v["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_read_only_ssws_token_reads_but_writes_are_403_e0000006() {
    let env = start_with(config()).await;
    let url = format!("{}/api/v1/users", env.emu.base_url());
    let r = env
        .http
        .get(&url)
        .header("Authorization", "SSWS read-only")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = env
        .http
        .post(&url)
        .header("Authorization", "SSWS read-only")
        .json(&profile("ro@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 403).await, "E0000006");
}

#[tokio::test]
async fn users_me_and_roles_describe_the_token_owner() {
    let mut cfg = config();
    cfg.token_owner_login = Some("svc@example.com".into());
    let env = start_with(cfg).await;
    env.emu.seed(vec![
        json!({"id": "00usvc", "status": "ACTIVE", "profile": {"login": "svc@example.com"}}),
    ]);
    let me: Value = env.get("/api/v1/users/me").await.json().await.unwrap();
    assert_eq!(me["id"], "00usvc");
    let roles: Value = env
        .get("/api/v1/users/00usvc/roles")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(roles[0]["type"], "SUPER_ADMIN");
    let r = env
        .http
        .get(format!("{}/api/v1/users/00usvc/roles", env.emu.base_url()))
        .header("Authorization", "SSWS read-only")
        .send()
        .await
        .unwrap();
    let roles: Value = r.json().await.unwrap();
    assert_eq!(roles[0]["type"], "READ_ONLY_ADMIN");
}

#[tokio::test]
async fn the_schema_api_needs_schema_scopes_users_scopes_are_not_enough() {
    let env = start_with(config()).await;
    let url = format!("{}/api/v1/meta/schemas/user/default", env.emu.base_url());
    let add = json!({"definitions": {"custom": {"properties": {
        "badgeId": {"title": "Badge", "type": "string"}
    }}}});
    let users_only = bearer(&env, "okta.users.read okta.users.manage", "s1").await;
    let r = env
        .http
        .get(&url)
        .bearer_auth(&users_only)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let www = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(www.contains("scope=\"okta.schemas.read\""), "{www}");
    let read = bearer(&env, "okta.schemas.read", "s2").await;
    let r = env.http.get(&url).bearer_auth(&read).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = env
        .http
        .post(&url)
        .bearer_auth(&read)
        .json(&add)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let www = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(www.contains("scope=\"okta.schemas.manage\""), "{www}");
    let manage = bearer(&env, "okta.schemas.manage", "s3").await;
    let r = env
        .http
        .post(&url)
        .bearer_auth(&manage)
        .json(&add)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["definitions"]["custom"]["properties"]["badgeId"]["type"],
        "string"
    );
}
